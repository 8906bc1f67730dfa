/**
 * The managed Akash wallet: one secp256k1 key (a BIP-39 mnemonic on the Cosmos HD path, or a raw hex key) from
 * the environment or a key file. The key never leaves this module and is never logged; callers get a direct
 * signer for transactions and an ADR-36 data signer for provider-gateway JWTs.
 */
import { Secp256k1Wallet, Secp256k1HdWallet, type OfflineAminoSigner } from '@cosmjs/amino';
import { fromHex } from '@cosmjs/encoding';
import { DirectSecp256k1HdWallet, DirectSecp256k1Wallet, type OfflineDirectSigner } from '@cosmjs/proto-signing';
import type { JwtTokenAccessScope } from '@akashnetwork/chain-sdk';
import { signGatewayToken } from './gateway-token.js';
import { AKASH_PREFIX } from './messages.js';

export class AkashWalletError extends Error {
  override name = 'AkashWalletError';
}

export interface AkashWallet {
  address: string;
  direct: OfflineDirectSigner;
  amino: OfflineAminoSigner;
  /** A short-lived JWT for the provider gateway, scoped to one provider's lease(s). */
  gatewayToken(args: { provider: string; dseq: bigint; scope: JwtTokenAccessScope[]; ttlSec?: number; nowSec?: number }): Promise<string>;
  toJSON(): { address: string };
}

/** Accepts a mnemonic (12–24 words) or a 32-byte hex private key (with or without 0x). */
export async function akashWalletFrom(secret: string): Promise<AkashWallet> {
  const s = secret.trim();
  let direct: OfflineDirectSigner;
  let amino: OfflineAminoSigner;
  if (/^(0x)?[0-9a-fA-F]{64}$/.test(s)) {
    const key = fromHex(s.replace(/^0x/, ''));
    direct = await DirectSecp256k1Wallet.fromKey(key, AKASH_PREFIX);
    amino = await Secp256k1Wallet.fromKey(key, AKASH_PREFIX);
  } else {
    const words = s.split(/\s+/);
    if (![12, 15, 18, 21, 24].includes(words.length)) throw new AkashWalletError('the Akash key is neither a mnemonic nor a 32-byte hex key');
    try {
      direct = await DirectSecp256k1HdWallet.fromMnemonic(words.join(' '), { prefix: AKASH_PREFIX });
      amino = await Secp256k1HdWallet.fromMnemonic(words.join(' '), { prefix: AKASH_PREFIX });
    } catch {
      throw new AkashWalletError('the Akash mnemonic is invalid');
    }
  }
  const [account] = await direct.getAccounts();
  if (!account) throw new AkashWalletError('the Akash key yields no account');
  const address = account.address;
  return {
    address,
    direct,
    amino,
    gatewayToken: ({ provider, dseq, scope, ttlSec = 120, nowSec }) => signGatewayToken(amino, { issuer: address, provider, dseq, scope, ttlSec, ...(nowSec !== undefined ? { nowSec } : {}) }),
    toJSON: () => ({ address }),
  };
}
