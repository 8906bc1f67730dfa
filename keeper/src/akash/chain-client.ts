/**
 * Akash node client over the REST (grpc-gateway) API every Akash node serves: accounts, simulate, broadcast,
 * tx lookup, deployments, bids (market v1beta5), leases and provider records. Every response is parsed with zod.
 * `sendTx` simulates for gas (× adjustment), signs offline, broadcasts, waits for the tx to be included, and
 * retries once with more gas on "out of gas" and once on a stale sequence.
 */
import { fromBase64, toBase64 } from '@cosmjs/encoding';
import type { EncodeObject } from '@cosmjs/proto-signing';
import { z } from 'zod';
import { signTx, type BidId, type Coin } from './messages.js';
import type { AkashWallet } from './wallet.js';

export class AkashChainError extends Error {
  override name = 'AkashChainError';
  constructor(message: string, readonly code?: number, readonly txhash?: string) {
    super(message);
  }
}

const uintString = z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]).transform((v) => BigInt(v));
const decCoin = z.object({ denom: z.string(), amount: z.string().regex(/^\d+(\.\d+)?$/) });
const bidIdSchema = z.object({ owner: z.string(), dseq: uintString, gseq: z.number().int(), oseq: z.number().int(), provider: z.string(), bseq: z.number().int().default(0) });

const accountResponse = z.object({
  account: z.object({ address: z.string(), account_number: uintString, sequence: uintString, pub_key: z.object({ key: z.string() }).loose().nullable().optional() }).loose(),
});
const grantsResponse = z.object({
  grants: z.array(z.object({ authorization: z.object({ '@type': z.string() }).loose(), expiration: z.string().nullable().optional() }).loose()),
});
const allowanceResponse = z.object({ allowance: z.object({ granter: z.string(), grantee: z.string(), allowance: z.object({ '@type': z.string() }).loose() }).loose() });
const txResponse = z.object({
  tx_response: z.object({ txhash: z.string(), code: z.number().int(), raw_log: z.string().default(''), height: uintString.default(0n), gas_used: uintString.default(0n), gas_wanted: uintString.default(0n) }).loose(),
});
const simulateResponse = z.object({ gas_info: z.object({ gas_used: uintString }).loose() });
const latestBlock = z.object({ block: z.object({ header: z.object({ height: uintString, chain_id: z.string() }).loose() }).loose() });
const bidsResponse = z.object({ bids: z.array(z.object({ bid: z.object({ id: bidIdSchema, state: z.string(), price: decCoin, created_at: z.string().optional() }).loose() }).loose()) });
const leasesResponse = z.object({
  leases: z.array(z.object({ lease: z.object({ id: bidIdSchema, state: z.string(), price: decCoin, created_at: z.string().optional(), closed_on: z.string().optional() }).loose() }).loose()),
});
const deploymentResponse = z.object({
  deployment: z.object({ id: z.object({ owner: z.string(), dseq: uintString }), state: z.string(), hash: z.string() }).loose(),
  escrow_account: z.object({ state: z.object({ funds: z.array(decCoin).default([]) }).loose() }).loose().optional(),
});
const providerResponse = z.object({ provider: z.object({ owner: z.string(), host_uri: z.string() }).loose() });

export interface BidView { id: BidId; state: string; price: { denom: string; amount: string } }
export interface LeaseView { id: BidId; state: string; price: { denom: string; amount: string } }

export interface ChainClientOptions {
  rest: string;
  chainId: string;
  /** Fee price per gas unit in `feeDenom`, e.g. 0.025 uakt. */
  gasPrice?: number;
  feeDenom?: string;
  gasAdjustment?: number;
  fetch?: typeof fetch;
  /** How long to wait for a tx to be included. */
  includeTimeoutMs?: number;
  pollMs?: number;
}

export interface TxResult { txhash: string; height: bigint; gasUsed: bigint }

export function createChainClient(opts: ChainClientOptions) {
  const f = opts.fetch ?? fetch;
  const base = opts.rest.replace(/\/+$/, '');
  const gasPrice = opts.gasPrice ?? 0.025;
  const feeDenom = opts.feeDenom ?? 'uakt';
  const adjust = opts.gasAdjustment ?? 1.3;
  const pollMs = opts.pollMs ?? 200;

  async function get<T>(path: string, schema: z.ZodType<T>, allow404 = false): Promise<T | null> {
    let res: Response;
    try {
      res = await f(`${base}${path}`, { signal: AbortSignal.timeout(10_000) });
    } catch (err) {
      throw new AkashChainError(`GET ${path}: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (allow404 && res.status === 404) return null;
    if (!res.ok) throw new AkashChainError(`GET ${path}: HTTP ${res.status}`);
    const parsed = schema.safeParse(await res.json().catch(() => null));
    if (!parsed.success) throw new AkashChainError(`GET ${path}: unexpected response shape`);
    return parsed.data;
  }
  async function post<T>(path: string, body: unknown, schema: z.ZodType<T>): Promise<T> {
    let res: Response;
    try {
      res = await f(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(15_000) });
    } catch (err) {
      throw new AkashChainError(`POST ${path}: ${err instanceof Error ? err.message : String(err)}`);
    }
    const json = await res.json().catch(() => null);
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const message = json && typeof json === 'object' && 'message' in json ? String((json as { message: unknown }).message) : `HTTP ${res.status}`;
      throw new AkashChainError(`POST ${path}: ${message.slice(0, 300)}`);
    }
    return parsed.data;
  }
  const q = (params: Record<string, string | undefined>) =>
    Object.entries(params)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v!)}`)
      .join('&');
  const idOf = (id: z.output<typeof bidIdSchema>): BidId => ({ owner: id.owner, dseq: id.dseq.toString(), gseq: id.gseq, oseq: id.oseq, provider: id.provider, bseq: id.bseq });

  const client = {
    chainId: opts.chainId,
    async latestHeight(): Promise<bigint> {
      const b = (await get('/cosmos/base/tendermint/v1beta1/blocks/latest', latestBlock))!;
      if (b.block.header.chain_id !== opts.chainId) throw new AkashChainError(`node is on chain ${b.block.header.chain_id}, expected ${opts.chainId}`);
      return b.block.header.height;
    },
    async account(address: string): Promise<{ accountNumber: number; sequence: number; pubkey: Uint8Array | null } | null> {
      const a = await get(`/cosmos/auth/v1beta1/accounts/${address}`, accountResponse, true);
      return a ? { accountNumber: Number(a.account.account_number), sequence: Number(a.account.sequence), pubkey: a.account.pub_key ? fromBase64(a.account.pub_key.key) : null } : null;
    },
    /** The authz grants from `granter` to `grantee` (their authorization type URLs and expirations). */
    async grants(granter: string, grantee: string): Promise<Array<{ type: string; expiration: string | null }>> {
      const r = (await get(`/cosmos/authz/v1beta1/grants?${q({ granter, grantee })}`, grantsResponse))!;
      return r.grants.map((g) => ({ type: g.authorization['@type'], expiration: g.expiration ?? null }));
    },
    /** Whether `granter` pays `grantee`'s fees (a feegrant allowance exists). */
    async hasFeeAllowance(granter: string, grantee: string): Promise<boolean> {
      return (await get(`/cosmos/feegrant/v1beta1/allowance/${granter}/${grantee}`, allowanceResponse, true)) !== null;
    },
    async tx(hash: string): Promise<{ code: number; rawLog: string; height: bigint; gasUsed: bigint } | null> {
      const r = await get(`/cosmos/tx/v1beta1/txs/${hash}`, txResponse, true);
      return r ? { code: r.tx_response.code, rawLog: r.tx_response.raw_log, height: r.tx_response.height, gasUsed: r.tx_response.gas_used } : null;
    },
    /** Simulates, signs, broadcasts and waits for inclusion. Throws AkashChainError on a failed tx. */
    async sendTx(wallet: Pick<AkashWallet, 'address' | 'direct'>, msgs: EncodeObject[], memo: string, txOpts: { feeGranter?: string } = {}): Promise<TxResult> {
      const granter = txOpts.feeGranter ? { granter: txOpts.feeGranter } : {};
      let gasOverride: bigint | null = null;
      for (let attempt = 0; ; attempt++) {
        const acct = await client.account(wallet.address);
        if (!acct) throw new AkashChainError(`account ${wallet.address} does not exist on ${opts.chainId} (fund it first)`);
        const ctx = { chainId: opts.chainId, accountNumber: acct.accountNumber, sequence: acct.sequence };
        const probe = await signTx(wallet.direct, wallet.address, msgs, { amount: [{ denom: feeDenom, amount: '0' }], gas: '10000000', ...granter }, memo, ctx);
        const sim = await post('/cosmos/tx/v1beta1/simulate', { tx_bytes: toBase64(probe) }, simulateResponse);
        const gas: bigint = gasOverride ?? BigInt(Math.ceil(Number(sim.gas_info.gas_used) * adjust));
        const fee = { amount: [{ denom: feeDenom, amount: String(Math.ceil(Number(gas) * gasPrice)) }], gas: gas.toString(), ...granter };
        const bytes = await signTx(wallet.direct, wallet.address, msgs, fee, memo, ctx);
        const sent = await post('/cosmos/tx/v1beta1/txs', { tx_bytes: toBase64(bytes), mode: 'BROADCAST_MODE_SYNC' }, txResponse);
        let code = sent.tx_response.code;
        let rawLog = sent.tx_response.raw_log;
        const txhash = sent.tx_response.txhash;
        let included: Awaited<ReturnType<typeof client.tx>> = null;
        if (code === 0) {
          const deadline = Date.now() + (opts.includeTimeoutMs ?? 60_000);
          while (!(included = await client.tx(txhash))) {
            if (Date.now() > deadline) throw new AkashChainError(`tx ${txhash} not included in time`, undefined, txhash);
            await new Promise((r) => setTimeout(r, pollMs));
          }
          code = included.code;
          rawLog = included.rawLog;
        }
        if (code === 0) return { txhash, height: included!.height, gasUsed: included!.gasUsed };
        if (code === 11 && attempt < 2) {
          gasOverride = BigInt(Math.ceil(Number(gas) * 1.5));
          continue;
        }
        if (code === 32 && attempt < 2) continue;
        throw new AkashChainError(`tx failed (code ${code}): ${rawLog.slice(0, 300)}`, code, txhash);
      }
    },
    async bids(owner: string, dseq: bigint): Promise<BidView[]> {
      const r = (await get(`/akash/market/v1beta5/bids/list?${q({ 'filters.owner': owner, 'filters.dseq': dseq.toString() })}`, bidsResponse))!;
      return r.bids.map((b) => ({ id: idOf(b.bid.id), state: b.bid.state, price: b.bid.price }));
    },
    async leases(owner: string, dseq: bigint): Promise<LeaseView[]> {
      const r = (await get(`/akash/market/v1beta5/leases/list?${q({ 'filters.owner': owner, 'filters.dseq': dseq.toString() })}`, leasesResponse))!;
      return r.leases.map((l) => ({ id: idOf(l.lease.id), state: l.lease.state, price: l.lease.price }));
    },
    async deployment(owner: string, dseq: bigint): Promise<{ state: string; hash: Uint8Array; escrow: Coin[] } | null> {
      const r = await get(`/akash/deployment/v1beta4/deployments/info?${q({ 'id.owner': owner, 'id.dseq': dseq.toString() })}`, deploymentResponse, true);
      if (!r) return null;
      return { state: r.deployment.state, hash: fromBase64(r.deployment.hash), escrow: r.escrow_account?.state.funds ?? [] };
    },
    async providerHostUri(address: string): Promise<string> {
      const r = await get(`/akash/provider/v1beta4/providers/${address}`, providerResponse, true);
      if (!r) throw new AkashChainError(`provider ${address} is not registered`);
      return r.provider.host_uri;
    },
  };
  return client;
}

export type AkashChainClient = ReturnType<typeof createChainClient>;
