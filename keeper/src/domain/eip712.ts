/**
 * EIP-712 typed data for the requests a wallet signs to the keeper or to a provider agent: fetching an untracked
 * job's document, reading a job's live logs, uploading content, and provider heartbeats. One domain per deployment
 * (`verifyingContract` = the JobMarket), so a signature for one chain or deployment is worthless on another.
 * Browser-safe: imports only zod and viem.
 */
import { getAddress, isAddress, recoverTypedDataAddress, type Address, type Hex, type TypedDataDomain } from 'viem';
import { z } from 'zod';

export const EIP712_NAME = 'Necto';
export const EIP712_VERSION = '1';
/** The longest an expiring signature may live: `expires` more than this many seconds ahead is refused. */
export const MAX_SIGNATURE_LIFETIME_SEC = 300;

export const nectoTypes = {
  DocumentRequest: [
    { name: 'jobId', type: 'uint256' },
    { name: 'requester', type: 'address' },
    { name: 'expires', type: 'uint64' },
  ],
  LogRequest: [
    { name: 'jobId', type: 'uint256' },
    { name: 'requester', type: 'address' },
    { name: 'expires', type: 'uint64' },
  ],
  ContentUpload: [
    { name: 'root', type: 'bytes32' },
    { name: 'uploader', type: 'address' },
    { name: 'expires', type: 'uint64' },
  ],
  Heartbeat: [
    { name: 'provider', type: 'address' },
    { name: 'endpoint', type: 'string' },
    { name: 'running', type: 'uint32' },
    { name: 'timestamp', type: 'uint64' },
  ],
} as const;

export type NectoPrimaryType = keyof typeof nectoTypes;

export type DocumentRequest = {
  jobId: bigint;
  requester: Address;
  expires: bigint;
};
export type LogRequest = DocumentRequest;
export type ContentUpload = {
  root: Hex;
  uploader: Address;
  expires: bigint;
};
export type Heartbeat = {
  provider: Address;
  endpoint: string;
  running: number;
  timestamp: bigint;
};

export interface NectoMessages {
  DocumentRequest: DocumentRequest;
  LogRequest: LogRequest;
  ContentUpload: ContentUpload;
  Heartbeat: Heartbeat;
}

/** The signing domain of one deployment. */
export function nectoDomain(chainId: number, jobMarket: Address): TypedDataDomain {
  return { name: EIP712_NAME, version: EIP712_VERSION, chainId, verifyingContract: getAddress(jobMarket) };
}

/** Arguments for viem's `signTypedData` (wallet client or local account). */
export function typedDataFor<T extends NectoPrimaryType>(domain: TypedDataDomain, primaryType: T, message: NectoMessages[T]) {
  return { domain, types: nectoTypes, primaryType, message } as const;
}

export type SignatureFailure = 'expired' | 'expires_too_far' | 'bad_signature' | 'wrong_signer';

/** Thrown when a signed request cannot be accepted; `reason` says why (all of them mean 401 over HTTP). */
export class SignatureError extends Error {
  constructor(
    readonly reason: SignatureFailure,
    message: string,
  ) {
    super(message);
    this.name = 'SignatureError';
  }
}

/** Refuses an `expires` in the past or more than MAX_SIGNATURE_LIFETIME_SEC ahead of `nowSec`. */
export function checkExpiry(expires: bigint, nowSec: number): void {
  const now = BigInt(Math.floor(nowSec));
  if (expires <= now) throw new SignatureError('expired', `the signature expired at ${expires} (now ${now})`);
  if (expires > now + BigInt(MAX_SIGNATURE_LIFETIME_SEC)) {
    throw new SignatureError('expires_too_far', `expires may be at most ${MAX_SIGNATURE_LIFETIME_SEC} s ahead`);
  }
}

/**
 * Recovers the signer of `message` and checks it is `claimed` (the message's requester/uploader/provider).
 * Returns the checksummed signer.
 */
export async function verifySigned<T extends NectoPrimaryType>(opts: {
  domain: TypedDataDomain;
  primaryType: T;
  message: NectoMessages[T];
  signature: Hex;
  claimed: Address;
}): Promise<Address> {
  let signer: Address;
  try {
    signer = await recoverTypedDataAddress({
      domain: opts.domain,
      types: nectoTypes,
      primaryType: opts.primaryType,
      message: opts.message,
      signature: opts.signature,
    } as unknown as Parameters<typeof recoverTypedDataAddress>[0]);
  } catch {
    throw new SignatureError('bad_signature', 'the signature is malformed');
  }
  if (signer.toLowerCase() !== opts.claimed.toLowerCase()) {
    throw new SignatureError('wrong_signer', `the signature is not from ${getAddress(opts.claimed)}`);
  }
  return signer;
}

// Wire shapes (JSON bodies and headers). uint64/uint256 travel as decimal strings or safe integers.

export const checksumAddressSchema = z
  .string()
  .refine((v) => isAddress(v, { strict: false }), 'expected a 0x address')
  .transform((v) => getAddress(v));
export const signatureSchema = z
  .string()
  .regex(/^0x[0-9a-fA-F]{130}$/, 'expected a 65-byte 0x-hex signature')
  .transform((v) => v as Hex);
const uintString = (max: bigint) =>
  z
    .union([z.string().regex(/^\d{1,78}$/), z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER)])
    .transform((v) => BigInt(v))
    .refine((v) => v <= max, 'out of range');
export const uint64Schema = uintString(2n ** 64n - 1n);
export const uint256Schema = uintString(2n ** 256n - 1n);

export const heartbeatMessageSchema = z.object({
  provider: checksumAddressSchema,
  endpoint: z.string().url().max(256),
  running: z.number().int().min(0).max(4_294_967_295),
  timestamp: uint64Schema,
});

export const signedHeartbeatSchema = z.object({ message: heartbeatMessageSchema, signature: signatureSchema });
export type SignedHeartbeat = z.output<typeof signedHeartbeatSchema>;

/** `POST /jobs/:id/document` body: the request signed by the job's operator (jobId comes from the path). */
export const documentRequestBodySchema = z.object({
  requester: checksumAddressSchema,
  expires: uint64Schema,
  signature: signatureSchema,
});

/** Header names of a signed GET (live logs) or upload (content). */
export const SIGNATURE_HEADERS = {
  signature: 'X-Necto-Signature',
  expires: 'X-Necto-Expires',
  requester: 'X-Necto-Requester',
} as const;

export const signedHeadersSchema = z.object({
  signature: signatureSchema,
  expires: uint64Schema,
  requester: checksumAddressSchema,
});

/** Reads the signature headers (undefined where one is missing or malformed). */
export function readSignedHeaders(header: (name: string) => string | undefined) {
  const parsed = signedHeadersSchema.safeParse({
    signature: header(SIGNATURE_HEADERS.signature),
    expires: header(SIGNATURE_HEADERS.expires),
    requester: header(SIGNATURE_HEADERS.requester),
  });
  return parsed.success ? parsed.data : undefined;
}

/** The headers a client sends with a signed request. */
export function signedHeaders(requester: Address, expires: bigint, signature: Hex): Record<string, string> {
  return {
    [SIGNATURE_HEADERS.signature]: signature,
    [SIGNATURE_HEADERS.expires]: expires.toString(),
    [SIGNATURE_HEADERS.requester]: requester,
  };
}
