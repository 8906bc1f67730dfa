// A test Keplr for the browser under test: the page gets `window.keplr` (enable, experimentalSuggestChain,
// getOfflineSigner with signDirect, signArbitrary); every signature is made in Node by a cosmjs
// DirectSecp256k1Wallet / Secp256k1Wallet over the key given, exactly as Keplr signs (direct mode; ADR-36 for
// arbitrary data). It knows akashnet-2 only, so another chain must be suggested first, as with the real Keplr.
// `next` lets a test make the next request fail as a user would: reject it, or sign for another chain id.
import { Secp256k1Wallet, type StdSignDoc } from '@cosmjs/amino';
import { fromBase64, fromHex, toBase64 } from '@cosmjs/encoding';
import { DirectSecp256k1Wallet } from '@cosmjs/proto-signing';
import type { Page } from 'playwright-core';

export interface TestKeplr {
  address: string;
  /** Chains suggested to it (experimentalSuggestChain). */
  suggested: string[];
  /** Make the next `times` signDirect requests fail: 'reject' (the user rejects) or 'wrong-chain' (signed for akashnet-2). */
  failNext(failure: 'reject' | 'wrong-chain', times?: number): void;
  signed: { direct: number; arbitrary: number };
}

type Call =
  | { method: 'enable'; chainId: string }
  | { method: 'suggest'; chainId: string; prefix: string }
  | { method: 'accounts'; chainId: string }
  | { method: 'signDirect'; chainId: string; signer: string; doc: { bodyBytes: string; authInfoBytes: string; chainId: string; accountNumber: string } }
  | { method: 'signArbitrary'; chainId: string; signer: string; data: string };

export async function installKeplr(page: Page, privateKeyHex: string): Promise<TestKeplr> {
  const key = fromHex(privateKeyHex.replace(/^0x/, ''));
  const direct = await DirectSecp256k1Wallet.fromKey(key, 'akash');
  const amino = await Secp256k1Wallet.fromKey(key, 'akash');
  const [account] = await direct.getAccounts();
  const known = new Set(['akashnet-2']);
  let pending: { failure: 'reject' | 'wrong-chain'; times: number } | null = null;
  const state: TestKeplr = { address: account!.address, suggested: [], failNext: (failure, times = 1) => void (pending = { failure, times }), signed: { direct: 0, arbitrary: 0 } };
  const requireKnown = (chainId: string) => {
    if (!known.has(chainId)) throw new Error(`There is no chain info for ${chainId}`);
  };

  async function handle(call: Call): Promise<unknown> {
    switch (call.method) {
      case 'enable':
        requireKnown(call.chainId);
        return null;
      case 'suggest':
        if (call.prefix !== 'akash') throw new Error('not an Akash chain');
        state.suggested.push(call.chainId);
        known.add(call.chainId);
        return null;
      case 'accounts':
        requireKnown(call.chainId);
        return [{ address: account!.address, algo: 'secp256k1', pubkey: toBase64(account!.pubkey) }];
      case 'signDirect': {
        requireKnown(call.chainId);
        const failure = pending?.failure ?? null;
        if (pending && --pending.times <= 0) pending = null;
        if (failure === 'reject') throw new Error('Request rejected');
        const doc = { bodyBytes: fromBase64(call.doc.bodyBytes), authInfoBytes: fromBase64(call.doc.authInfoBytes), chainId: failure === 'wrong-chain' ? 'akashnet-2' : call.doc.chainId, accountNumber: BigInt(call.doc.accountNumber) };
        const { signed, signature } = await direct.signDirect(call.signer, doc);
        state.signed.direct++;
        return { signed: { bodyBytes: toBase64(signed.bodyBytes), authInfoBytes: toBase64(signed.authInfoBytes), chainId: call.doc.chainId, accountNumber: signed.accountNumber.toString() }, signature };
      }
      case 'signArbitrary': {
        // ADR-36: an amino sign doc with one sign/MsgSignData, empty chain id, zero account number and sequence.
        const doc: StdSignDoc = { chain_id: '', account_number: '0', sequence: '0', fee: { gas: '0', amount: [] }, msgs: [{ type: 'sign/MsgSignData', value: { signer: call.signer, data: call.data } }], memo: '' };
        const { signature } = await amino.signAmino(call.signer, doc);
        state.signed.arbitrary++;
        return signature;
      }
    }
  }

  await page.exposeFunction('__nectoKeplr', async (call: Call) => {
    try {
      return { ok: true, value: await handle(call) };
    } catch (error) {
      return { ok: false, message: error instanceof Error ? error.message : String(error) };
    }
  });
  await page.addInitScript(() => {
    type Reply = { ok: true; value: unknown } | { ok: false; message: string };
    const call = async (c: unknown) => {
      const r = (await (window as unknown as { __nectoKeplr(c: unknown): Promise<Reply> }).__nectoKeplr(c)) as Reply;
      if (!r.ok) throw new Error(r.message);
      return r.value;
    };
    const b64 = (u: Uint8Array) => btoa(String.fromCharCode(...u));
    const unb64 = (s: string) => Uint8Array.from(atob(s), (ch) => ch.charCodeAt(0));
    const keplr = {
      version: '0.13.41-test',
      enable: async (chainId: string) => void (await call({ method: 'enable', chainId })),
      experimentalSuggestChain: async (info: { chainId: string; bech32Config: { bech32PrefixAccAddr: string } }) => void (await call({ method: 'suggest', chainId: info.chainId, prefix: info.bech32Config.bech32PrefixAccAddr })),
      getOfflineSigner: (chainId: string) => ({
        getAccounts: async () => ((await call({ method: 'accounts', chainId })) as Array<{ address: string; algo: string; pubkey: string }>).map((a) => ({ ...a, pubkey: unb64(a.pubkey) })),
        signDirect: async (signer: string, doc: { bodyBytes: Uint8Array; authInfoBytes: Uint8Array; chainId: string; accountNumber: bigint }) => {
          const r = (await call({ method: 'signDirect', chainId, signer, doc: { bodyBytes: b64(doc.bodyBytes), authInfoBytes: b64(doc.authInfoBytes), chainId: doc.chainId, accountNumber: doc.accountNumber.toString() } })) as {
            signed: { bodyBytes: string; authInfoBytes: string; chainId: string; accountNumber: string };
            signature: unknown;
          };
          return { signed: { bodyBytes: unb64(r.signed.bodyBytes), authInfoBytes: unb64(r.signed.authInfoBytes), chainId: r.signed.chainId, accountNumber: BigInt(r.signed.accountNumber) }, signature: r.signature };
        },
      }),
      signArbitrary: (chainId: string, signer: string, data: string | Uint8Array) =>
        call({ method: 'signArbitrary', chainId, signer, data: typeof data === 'string' ? btoa(unescape(encodeURIComponent(data))) : b64(data) }),
    };
    (window as unknown as { keplr: unknown }).keplr = keplr;
  });
  return state;
}
