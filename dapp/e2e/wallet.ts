// A real EIP-1193 wallet for the browser under test: the page gets `window.ethereum` (and an EIP-6963
// announcement), every request is forwarded to Node, which signs with the account's private key (viem) and
// talks to anvil. Signatures — the EIP-2612 permit included — are real secp256k1 signatures, exactly as a
// browser wallet would make them; nothing in the dApp build knows it is under test.
import type { Page } from 'playwright-core';
import { createWalletClient, http, type Hex, type TypedDataDefinition } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { foundry } from 'viem/chains';

export interface WalletOptions {
  rpcUrl: string;
  privateKey: Hex;
  chainId?: number;
  name?: string;
}

type RpcEnvelope = { result: unknown } | { error: { code: number; message: string; data?: unknown } };

/** Converts the JSON form of eth_signTypedData_v4 (numbers as strings) into viem's typed-data values. */
function typedValue(types: Record<string, { name: string; type: string }[]>, type: string, value: unknown): unknown {
  if (type.endsWith(']')) {
    const inner = type.slice(0, type.lastIndexOf('['));
    return (value as unknown[]).map((v) => typedValue(types, inner, v));
  }
  if (types[type]) {
    const out: Record<string, unknown> = {};
    for (const field of types[type]!) out[field.name] = typedValue(types, field.type, (value as Record<string, unknown>)[field.name]);
    return out;
  }
  if (/^u?int\d*$/.test(type)) return BigInt(value as string | number);
  return value;
}

async function forward(rpcUrl: string, method: string, params: unknown[]): Promise<RpcEnvelope> {
  const response = await fetch(rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
  const body = (await response.json()) as { result?: unknown; error?: { code: number; message: string; data?: unknown } };
  return body.error ? { error: body.error } : { result: body.result };
}

export async function installWallet(page: Page, options: WalletOptions): Promise<`0x${string}`> {
  const chainId = options.chainId ?? 31337;
  const account = privateKeyToAccount(options.privateKey);
  const chain = { ...foundry, id: chainId, rpcUrls: { default: { http: [options.rpcUrl] } } };
  const client = createWalletClient({ account, chain, transport: http(options.rpcUrl) });

  // Like a real wallet, the site sees no account until the user connects (eth_requestAccounts).
  let authorized = false;

  async function handle(method: string, params: unknown[]): Promise<RpcEnvelope> {
    try {
      switch (method) {
        case 'eth_requestAccounts':
          authorized = true;
          return { result: [account.address] };
        case 'eth_accounts':
          return { result: authorized ? [account.address] : [] };
        case 'eth_chainId':
          return { result: `0x${chainId.toString(16)}` };
        case 'net_version':
          return { result: String(chainId) };
        case 'wallet_requestPermissions':
          authorized = true;
          return { result: [{ parentCapability: 'eth_accounts' }] };
        case 'wallet_getPermissions':
          return { result: authorized ? [{ parentCapability: 'eth_accounts' }] : [] };
        case 'wallet_switchEthereumChain': {
          const wanted = Number((params[0] as { chainId: string }).chainId);
          if (wanted !== chainId) return { error: { code: 4902, message: `Unrecognized chain ${wanted}` } };
          return { result: null };
        }
        case 'wallet_addEthereumChain':
        case 'wallet_watchAsset':
          return { result: null };
        case 'personal_sign':
          return { result: await account.signMessage({ message: { raw: params[0] as Hex } }) };
        case 'eth_signTypedData_v4': {
          const typed = JSON.parse(params[1] as string) as { domain: Record<string, unknown>; types: Record<string, { name: string; type: string }[]>; primaryType: string; message: Record<string, unknown> };
          const { EIP712Domain: _domain, ...types } = typed.types;
          const domain = { ...typed.domain, ...(typed.domain.chainId !== undefined ? { chainId: Number(typed.domain.chainId) } : {}) };
          const message = typedValue(types, typed.primaryType, typed.message) as Record<string, unknown>;
          const signature = await account.signTypedData({ domain, types, primaryType: typed.primaryType, message } as unknown as TypedDataDefinition);
          return { result: signature };
        }
        case 'eth_sendTransaction': {
          const tx = params[0] as { to?: Hex; data?: Hex; value?: Hex; gas?: Hex };
          const hash = await client.sendTransaction({
            to: tx.to,
            data: tx.data,
            value: tx.value ? BigInt(tx.value) : undefined,
            gas: tx.gas ? BigInt(tx.gas) : undefined,
          });
          return { result: hash };
        }
        default:
          return await forward(options.rpcUrl, method, params);
      }
    } catch (error) {
      const e = error as { code?: number; shortMessage?: string; message?: string; data?: unknown };
      return { error: { code: typeof e.code === 'number' ? e.code : -32603, message: e.shortMessage ?? e.message ?? String(error), data: e.data } };
    }
  }

  await page.exposeFunction('__nectoWalletRequest', (method: string, params: unknown[]) => handle(method, params ?? []));
  await page.addInitScript(({ name, address, chainHex }) => {
    type Listener = (...args: unknown[]) => void;
    const listeners = new Map<string, Set<Listener>>();
    const bridge = (window as unknown as { __nectoWalletRequest: (m: string, p: unknown[]) => Promise<{ result?: unknown; error?: { code: number; message: string; data?: unknown } }> }).__nectoWalletRequest;
    const provider = {
      isNectoE2E: true,
      selectedAddress: address,
      chainId: chainHex,
      async request({ method, params }: { method: string; params?: unknown[] }) {
        const answer = await bridge(method, params ?? []);
        if (answer.error) {
          const error = new Error(answer.error.message) as Error & { code: number; data?: unknown };
          error.code = answer.error.code;
          error.data = answer.error.data;
          throw error;
        }
        return answer.result;
      },
      on(event: string, fn: Listener) {
        if (!listeners.has(event)) listeners.set(event, new Set());
        listeners.get(event)!.add(fn);
        return provider;
      },
      removeListener(event: string, fn: Listener) {
        listeners.get(event)?.delete(fn);
        return provider;
      },
    };
    Object.defineProperty(window, 'ethereum', { value: provider, configurable: true });
    const info = {
      uuid: '6f3c2a1e-0000-4000-8000-00000000e2e0',
      name,
      icon: "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Crect width='16' height='16' fill='%233fb950'/%3E%3C/svg%3E",
      rdns: 'dev.necto.e2e',
    };
    const announce = () => window.dispatchEvent(new CustomEvent('eip6963:announceProvider', { detail: Object.freeze({ info, provider }) }));
    window.addEventListener('eip6963:requestProvider', announce);
    announce();
  }, { name: options.name ?? 'Necto E2E Wallet', address: account.address, chainHex: `0x${chainId.toString(16)}` });
  return account.address;
}
