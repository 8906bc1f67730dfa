/**
 * Akash transactions built and signed with `@akashnetwork/chain-sdk` message types and `@cosmjs/*`:
 * MsgCreateDeployment (deployment v1beta4), MsgCreateLease (market v1beta5), MsgCloseDeployment (v1beta4),
 * MsgAccountDeposit (escrow v1). Signing is SIGN_MODE_DIRECT; `verifyTxRaw` checks a signed TxRaw the way
 * the chain's ante handler does (sign doc over body, auth info, chain id and account number).
 */
import { encodeSecp256k1Pubkey, pubkeyToAddress } from '@cosmjs/amino';
import { Secp256k1, Secp256k1Signature, sha256 } from '@cosmjs/crypto';
import { fromBase64 } from '@cosmjs/encoding';
import { Registry, decodePubkey, decodeTxRaw, makeSignBytes, makeSignDoc, type EncodeObject, type OfflineDirectSigner } from '@cosmjs/proto-signing';
import { SigningStargateClient, defaultRegistryTypes, type StdFee } from '@cosmjs/stargate';
import { DepositAuthorization, DepositAuthorization_Scope, MsgAccountDeposit } from '@akashnetwork/chain-sdk/private-types/akash.v1';
import { MsgCloseDeployment, MsgCreateDeployment } from '@akashnetwork/chain-sdk/private-types/akash.v1beta4';
import { MsgCreateLease } from '@akashnetwork/chain-sdk/private-types/akash.v1beta5';
import { MsgGrant } from 'cosmjs-types/cosmos/authz/v1beta1/tx.js';
import { BasicAllowance } from 'cosmjs-types/cosmos/feegrant/v1beta1/feegrant.js';
import { MsgGrantAllowance } from 'cosmjs-types/cosmos/feegrant/v1beta1/tx.js';
import { TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx.js';
import Long from 'long';
import type { ManifestGroups } from './sdl.js';

export const AKASH_PREFIX = 'akash';
export const AKASH_MAINNET_CHAIN_ID = 'akashnet-2';

export const TYPE_URL = {
  createDeployment: `/${MsgCreateDeployment.$type}`,
  closeDeployment: `/${MsgCloseDeployment.$type}`,
  createLease: `/${MsgCreateLease.$type}`,
  accountDeposit: `/${MsgAccountDeposit.$type}`,
  /** cosmos authz: the operator's deposit grant to a buyer who signs with their own wallet. */
  grant: '/cosmos.authz.v1beta1.MsgGrant',
  /** cosmos feegrant: the operator pays that buyer's transaction fees. */
  grantAllowance: '/cosmos.feegrant.v1beta1.MsgGrantAllowance',
} as const;

export const AUTHZ_TYPE_URL = {
  depositAuthorization: `/${DepositAuthorization.$type}`,
  basicAllowance: '/cosmos.feegrant.v1beta1.BasicAllowance',
} as const;

export class TxVerifyError extends Error {
  override name = 'TxVerifyError';
}

/** cosmjs registry with the Akash messages this client sends (and the SDK defaults). */
export function akashRegistry(): Registry {
  const registry = new Registry(defaultRegistryTypes);
  registry.register(TYPE_URL.createDeployment, MsgCreateDeployment as never);
  registry.register(TYPE_URL.closeDeployment, MsgCloseDeployment as never);
  registry.register(TYPE_URL.createLease, MsgCreateLease as never);
  registry.register(TYPE_URL.accountDeposit, MsgAccountDeposit as never);
  return registry;
}

export interface Coin {
  denom: string;
  amount: string;
}

export interface BidId {
  owner: string;
  dseq: string;
  gseq: number;
  oseq: number;
  provider: string;
  bseq: number;
}

/** Deposit source `balance` (1): from the signer's own balance. `grant` (2) spends an authz deposit grant. */
export const DEPOSIT_SOURCE = { balance: 1, grant: 2 } as const;

export function createDeploymentMsg(args: { owner: string; dseq: bigint; groupSpecs: ManifestGroups['groupSpecs']; hash: Uint8Array; deposit: Coin; sources?: number[] }): EncodeObject {
  return {
    typeUrl: TYPE_URL.createDeployment,
    value: MsgCreateDeployment.fromPartial({
      id: { owner: args.owner, dseq: Long.fromString(args.dseq.toString(), true) },
      groups: args.groupSpecs,
      hash: args.hash,
      deposit: { amount: args.deposit, sources: args.sources ?? [DEPOSIT_SOURCE.balance] },
    }),
  };
}

export function createLeaseMsg(bid: BidId): EncodeObject {
  return {
    typeUrl: TYPE_URL.createLease,
    value: MsgCreateLease.fromPartial({ bidId: { ...bid, dseq: Long.fromString(bid.dseq, true) } }),
  };
}

export function closeDeploymentMsg(args: { owner: string; dseq: bigint }): EncodeObject {
  return {
    typeUrl: TYPE_URL.closeDeployment,
    value: MsgCloseDeployment.fromPartial({ id: { owner: args.owner, dseq: Long.fromString(args.dseq.toString(), true) } }),
  };
}

/** Tops up a deployment's escrow account (scope deployment, xid `<owner>/<dseq>`). */
export function accountDepositMsg(args: { signer: string; owner: string; dseq: bigint; amount: Coin; sources?: number[] }): EncodeObject {
  return {
    typeUrl: TYPE_URL.accountDeposit,
    value: MsgAccountDeposit.fromPartial({
      signer: args.signer,
      id: { scope: 1, xid: `${args.owner}/${args.dseq}` },
      deposit: { amount: args.amount, sources: args.sources ?? [DEPOSIT_SOURCE.balance] },
    }),
  };
}

const timestamp = (unixSec: number) => ({ seconds: BigInt(Math.floor(unixSec)), nanos: 0 });

/**
 * authz `MsgGrant` of a `DepositAuthorization` (scope deployment) from `granter` to `grantee`: the grantee's
 * deployments may take up to `spendLimit` of their deposit from the granter's balance (deposit source `grant`).
 */
export function depositGrantMsg(args: { granter: string; grantee: string; spendLimit: Coin; expiresAtSec: number }): EncodeObject {
  return {
    typeUrl: TYPE_URL.grant,
    value: MsgGrant.fromPartial({
      granter: args.granter,
      grantee: args.grantee,
      grant: {
        authorization: {
          typeUrl: AUTHZ_TYPE_URL.depositAuthorization,
          value: DepositAuthorization.encode(DepositAuthorization.fromPartial({ spendLimit: args.spendLimit, scopes: [DepositAuthorization_Scope.deployment] })).finish(),
        },
        expiration: timestamp(args.expiresAtSec),
      },
    }),
  };
}

/** feegrant `MsgGrantAllowance` of a `BasicAllowance`: the granter pays the grantee's fees up to `spendLimit`. */
export function feeAllowanceMsg(args: { granter: string; grantee: string; spendLimit: Coin; expiresAtSec: number }): EncodeObject {
  return {
    typeUrl: TYPE_URL.grantAllowance,
    value: MsgGrantAllowance.fromPartial({
      granter: args.granter,
      grantee: args.grantee,
      allowance: {
        typeUrl: AUTHZ_TYPE_URL.basicAllowance,
        value: BasicAllowance.encode(BasicAllowance.fromPartial({ spendLimit: [args.spendLimit], expiration: timestamp(args.expiresAtSec) })).finish(),
      },
    }),
  };
}

/** Decodes the DepositAuthorization inside a MsgGrant (null for any other authorization). */
export function depositAuthorizationOf(grant: { authorization?: { typeUrl: string; value: Uint8Array } }): { spendLimit: Coin | null; scopes: number[] } | null {
  if (grant.authorization?.typeUrl !== AUTHZ_TYPE_URL.depositAuthorization) return null;
  const a = DepositAuthorization.decode(grant.authorization.value);
  return { spendLimit: a.spendLimit ?? null, scopes: a.scopes };
}

/** Decodes the BasicAllowance inside a MsgGrantAllowance (null for any other allowance). */
export function basicAllowanceOf(allowance: { typeUrl: string; value: Uint8Array } | undefined): { spendLimit: Coin[]; expiresAtSec: number | null } | null {
  if (allowance?.typeUrl !== AUTHZ_TYPE_URL.basicAllowance) return null;
  const a = BasicAllowance.decode(allowance.value);
  return { spendLimit: a.spendLimit, expiresAtSec: a.expiration ? Number(a.expiration.seconds) : null };
}

export interface SignContext {
  chainId: string;
  accountNumber: number;
  sequence: number;
}

/** Signs messages offline (no node contacted) and returns the TxRaw bytes to broadcast. */
export async function signTx(signer: OfflineDirectSigner, address: string, msgs: EncodeObject[], fee: StdFee, memo: string, ctx: SignContext): Promise<Uint8Array> {
  const client = await SigningStargateClient.offline(signer, { registry: akashRegistry() });
  const raw = await client.sign(address, msgs, fee, memo, ctx);
  return TxRaw.encode(raw).finish();
}

export interface DecodedTx {
  signer: string;
  pubkey: Uint8Array;
  sequence: bigint;
  messages: Array<{ typeUrl: string; value: unknown }>;
  /** `granter`: the account whose fee allowance pays the fee ('' = the signer pays). */
  fee: { amount: Coin[]; gasLimit: bigint; granter: string };
  memo: string;
}

/** Decodes a TxRaw and its messages (Akash and SDK types). Throws TxVerifyError on anything malformed. */
export function decodeTx(bytes: Uint8Array): DecodedTx & { raw: ReturnType<typeof decodeTxRaw>; bodyBytes: Uint8Array; authInfoBytes: Uint8Array } {
  let raw: ReturnType<typeof decodeTxRaw>;
  let envelope: TxRaw;
  try {
    envelope = TxRaw.decode(bytes);
    raw = decodeTxRaw(bytes);
  } catch (err) {
    throw new TxVerifyError(`not a TxRaw: ${err instanceof Error ? err.message : String(err)}`);
  }
  const info = raw.authInfo.signerInfos;
  if (info.length !== 1 || raw.signatures.length !== 1) throw new TxVerifyError('expected exactly one signer and one signature');
  const pk = info[0]!.publicKey;
  if (!pk) throw new TxVerifyError('signer info has no public key');
  const decoded = decodePubkey(pk);
  if (decoded.type !== 'tendermint/PubKeySecp256k1') throw new TxVerifyError(`unsupported public key type ${decoded.type}`);
  const pubkey = fromBase64(decoded.value as string);
  const registry = akashRegistry();
  const messages = raw.body.messages.map((m) => {
    try {
      return { typeUrl: m.typeUrl, value: registry.decode(m) as unknown };
    } catch {
      throw new TxVerifyError(`unknown message type ${m.typeUrl}`);
    }
  });
  return {
    raw,
    bodyBytes: envelope.bodyBytes,
    authInfoBytes: envelope.authInfoBytes,
    signer: pubkeyToAddress(encodeSecp256k1Pubkey(pubkey), AKASH_PREFIX),
    pubkey,
    sequence: info[0]!.sequence,
    messages,
    fee: { amount: raw.authInfo.fee?.amount ?? [], gasLimit: raw.authInfo.fee?.gasLimit ?? 0n, granter: raw.authInfo.fee?.granter ?? '' },
    memo: raw.body.memo,
  };
}

/**
 * Verifies a TxRaw's direct-mode signature for `chainId` and `accountNumber`; returns the decoded tx.
 * A tx signed for another chain id or account number fails.
 */
export async function verifyTxRaw(bytes: Uint8Array, chainId: string, accountNumber: number): Promise<DecodedTx> {
  const tx = decodeTx(bytes);
  const signDoc = makeSignDoc(tx.bodyBytes, tx.authInfoBytes, chainId, accountNumber);
  const digest = sha256(makeSignBytes(signDoc));
  const sig = tx.raw.signatures[0]!;
  if (sig.length !== 64) throw new TxVerifyError('signature is not 64 bytes');
  const ok = await Secp256k1.verifySignature(Secp256k1Signature.fromFixedLength(sig), digest, tx.pubkey);
  if (!ok) throw new TxVerifyError(`signature does not verify for chain ${chainId} account ${accountNumber}`);
  const { raw: _raw, bodyBytes: _b, authInfoBytes: _a, ...rest } = tx;
  return rest;
}
