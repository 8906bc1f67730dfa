import { DirectSecp256k1Wallet } from '@cosmjs/proto-signing';
import { describe, expect, it } from 'vitest';
import type { Keplr } from '@keplr-wallet/types';
import { connectKeplr, keplrOf, KeplrError } from './keplr';

const CHAIN = { chainId: 'akash-local-standin', rest: 'http://127.0.0.1:1', name: 'Akash (local stand-in)' };

/** A Keplr that knows only `known` chains until one is suggested; `reject` makes it refuse a step. */
async function fakeKeplr(opts: { known?: string[]; reject?: 'enable' | 'suggest' | 'sign' } = {}) {
  const wallet = await DirectSecp256k1Wallet.fromKey(new Uint8Array(32).fill(7), 'akash');
  const known = new Set(opts.known ?? []);
  const suggested: string[] = [];
  const keplr = {
    async enable(chainId: string) {
      if (opts.reject === 'enable') throw new Error('Request rejected');
      if (!known.has(chainId)) throw new Error(`There is no chain info for ${chainId}`);
    },
    async experimentalSuggestChain(info: { chainId: string; bech32Config: { bech32PrefixAccAddr: string } }) {
      if (opts.reject === 'suggest') throw new Error('Request rejected');
      expect(info.bech32Config.bech32PrefixAccAddr).toBe('akash');
      suggested.push(info.chainId);
      known.add(info.chainId);
    },
    getOfflineSigner: () => ({
      getAccounts: () => wallet.getAccounts(),
      signDirect: async (a: string, d: never) => {
        if (opts.reject === 'sign') throw new Error('Request rejected');
        return wallet.signDirect(a, d);
      },
    }),
    async signArbitrary() {
      throw new Error('Request rejected');
    },
  } as unknown as Keplr;
  return { keplr, suggested };
}

describe('Keplr connector', () => {
  it('says Keplr is missing when no window.keplr is injected', () => {
    expect(() => keplrOf({})).toThrow(KeplrError);
    try {
      keplrOf({});
    } catch (e) {
      expect((e as KeplrError).reason).toBe('missing');
    }
  });

  it('suggests an unknown chain (the local stand-in) and connects', async () => {
    const { keplr, suggested } = await fakeKeplr();
    const account = await connectKeplr(CHAIN, keplr);
    expect(suggested).toEqual(['akash-local-standin']);
    expect(account.address).toMatch(/^akash1/);
    expect(account.chainId).toBe('akash-local-standin');
  });

  it('does not suggest a chain Keplr already knows', async () => {
    const { keplr, suggested } = await fakeKeplr({ known: ['akashnet-2'] });
    await connectKeplr({ ...CHAIN, chainId: 'akashnet-2' }, keplr);
    expect(suggested).toEqual([]);
  });

  it('reports rejected connections, suggestions and signatures as rejected', async () => {
    for (const reject of ['enable', 'suggest'] as const) {
      const { keplr } = await fakeKeplr({ reject });
      await expect(connectKeplr(CHAIN, keplr)).rejects.toMatchObject({ name: 'KeplrError', reason: 'rejected' });
    }
    const { keplr } = await fakeKeplr({ known: [CHAIN.chainId], reject: 'sign' });
    const account = await connectKeplr(CHAIN, keplr);
    await expect(account.signer.signDirect(account.address, {} as never)).rejects.toMatchObject({ reason: 'rejected' });
    await expect(account.signArbitrary(account.address, 'x')).rejects.toMatchObject({ reason: 'rejected' });
  });
});
