// The Keplr connector for Akash: enable the configured Akash chain (akashnet-2 live; the local stand-in's chain
// id on the local stack, suggested to Keplr with experimentalSuggestChain when Keplr does not know it), read the
// account, and sign in direct mode (transactions) and ADR-36 (the provider gateway's JWT). Keplr's failures
// become KeplrError with a reason the UI can explain.
import type { ChainInfo, Keplr, Window as KeplrWindow } from '@keplr-wallet/types';
import type { OfflineDirectSigner } from '@necto/keeper/akash';

export type KeplrFailure = 'missing' | 'rejected' | 'wrong-chain' | 'failed';

export class KeplrError extends Error {
  override name = 'KeplrError';
  constructor(
    readonly reason: KeplrFailure,
    message: string,
  ) {
    super(message);
  }
}

export interface AkashChainConfig {
  chainId: string;
  /** REST (LCD) endpoint. */
  rest: string;
  /** RPC endpoint Keplr records for a suggested chain (the REST URL where no RPC is known). */
  rpc?: string;
  /** Shown by Keplr for a suggested chain. */
  name: string;
}

export interface KeplrAkashAccount {
  address: string;
  chainId: string;
  /** Direct-mode signer for transactions on this chain. */
  signer: OfflineDirectSigner;
  /** ADR-36 arbitrary-data signature (what the gateway JWT is signed with). */
  signArbitrary(signer: string, data: string | Uint8Array): Promise<{ pub_key: { type: string; value: string }; signature: string }>;
}

const REJECTED = /reject|denied|cancel/i;
const UNKNOWN_CHAIN = /no chain info|no modular chain info|not supported|unknown chain|There is no chain/i;

/** The injected Keplr, or a KeplrError('missing'). */
export function keplrOf(win: Partial<KeplrWindow> | undefined = typeof window === 'undefined' ? undefined : (window as Partial<KeplrWindow>)): Keplr {
  const k = win?.keplr;
  if (!k) throw new KeplrError('missing', 'Keplr is not installed in this browser. Install the Keplr extension, then reload this page.');
  return k;
}

/** Keplr's description of an Akash chain (coin type 118, bech32 prefix akash, fees in uakt). */
export function akashChainInfo(chain: AkashChainConfig): ChainInfo {
  const akt = { coinDenom: 'AKT', coinMinimalDenom: 'uakt', coinDecimals: 6 };
  const act = { coinDenom: 'ACT', coinMinimalDenom: 'uact', coinDecimals: 6 };
  return {
    chainId: chain.chainId,
    chainName: chain.name,
    rpc: chain.rpc ?? chain.rest,
    rest: chain.rest,
    bip44: { coinType: 118 },
    bech32Config: { bech32PrefixAccAddr: 'akash', bech32PrefixAccPub: 'akashpub', bech32PrefixValAddr: 'akashvaloper', bech32PrefixValPub: 'akashvaloperpub', bech32PrefixConsAddr: 'akashvalcons', bech32PrefixConsPub: 'akashvalconspub' },
    currencies: [akt, act],
    feeCurrencies: [{ ...akt, gasPriceStep: { low: 0.025, average: 0.025, high: 0.04 } }],
    stakeCurrency: akt,
  };
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Connects Keplr to `chain` (suggesting it when Keplr does not know it) and returns the Akash account. */
export async function connectKeplr(chain: AkashChainConfig, keplr: Keplr = keplrOf()): Promise<KeplrAkashAccount> {
  try {
    await keplr.enable(chain.chainId);
  } catch (error) {
    if (REJECTED.test(messageOf(error))) throw new KeplrError('rejected', 'The connection request was rejected in Keplr.');
    if (!UNKNOWN_CHAIN.test(messageOf(error))) throw new KeplrError('failed', `Keplr could not enable ${chain.chainId}: ${messageOf(error)}`);
    try {
      await keplr.experimentalSuggestChain(akashChainInfo(chain));
      await keplr.enable(chain.chainId);
    } catch (suggestError) {
      if (REJECTED.test(messageOf(suggestError))) throw new KeplrError('rejected', `Adding ${chain.name} to Keplr was rejected.`);
      throw new KeplrError('failed', `Keplr could not add ${chain.chainId}: ${messageOf(suggestError)}`);
    }
  }
  const signer = keplr.getOfflineSigner(chain.chainId) as unknown as OfflineDirectSigner;
  const [account] = await signer.getAccounts();
  if (!account) throw new KeplrError('failed', 'Keplr returned no account.');
  if (!account.address.startsWith('akash1')) throw new KeplrError('wrong-chain', `Keplr's account ${account.address} is not an Akash address.`);
  return {
    address: account.address,
    chainId: chain.chainId,
    signer: wrapRejections(signer),
    signArbitrary: async (who, data) => {
      try {
        return await keplr.signArbitrary(chain.chainId, who, data);
      } catch (error) {
        throw REJECTED.test(messageOf(error)) ? new KeplrError('rejected', 'The signature was rejected in Keplr.') : error;
      }
    },
  };
}

/** A rejected signature in Keplr becomes KeplrError('rejected'). */
function wrapRejections(signer: OfflineDirectSigner): OfflineDirectSigner {
  return {
    getAccounts: () => signer.getAccounts(),
    signDirect: async (address, doc) => {
      try {
        return await signer.signDirect(address, doc);
      } catch (error) {
        throw REJECTED.test(messageOf(error)) ? new KeplrError('rejected', 'The transaction was rejected in Keplr.') : error;
      }
    },
  };
}
