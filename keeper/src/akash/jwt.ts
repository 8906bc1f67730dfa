/**
 * Checks a provider-gateway JWT the way an Akash provider does: ES256KADR36 — a secp256k1 signature over the
 * ADR-36 amino sign doc (`sign/MsgSignData`, empty chain id) of `<header>.<payload>`, by the key of `iss` —,
 * then the claims (version v1, nbf ≤ now < exp, the lease permission for this provider and deployment).
 */
import { encodeSecp256k1Pubkey, pubkeyToAddress, serializeSignDoc, type StdSignDoc } from '@cosmjs/amino';
import { Secp256k1, Secp256k1Signature, sha256 } from '@cosmjs/crypto';
import { fromBase64, toBase64 } from '@cosmjs/encoding';
import { z } from 'zod';
import { AKASH_PREFIX } from './messages.js';

export class JwtError extends Error {
  override name = 'JwtError';
}

const scope = z.enum(['send-manifest', 'get-manifest', 'logs', 'shell', 'events', 'status', 'restart', 'hostname-migrate', 'ip-migrate']);
const payloadSchema = z.object({
  version: z.literal('v1'),
  iss: z.string().startsWith(`${AKASH_PREFIX}1`),
  iat: z.number().int(),
  nbf: z.number().int(),
  exp: z.number().int(),
  leases: z.discriminatedUnion('access', [
    z.object({ access: z.literal('full') }),
    z.object({ access: z.literal('scoped'), scope: z.array(scope) }),
    z.object({
      access: z.literal('granular'),
      permissions: z.array(
        z.object({
          provider: z.string(),
          access: z.enum(['full', 'scoped', 'granular']),
          scope: z.array(scope).optional(),
          deployments: z.array(z.object({ dseq: z.number().int(), scope: z.array(scope), gseq: z.number().int().optional(), oseq: z.number().int().optional(), services: z.array(z.string()).optional() })).optional(),
        }),
      ),
    }),
  ]),
});
export type GatewayClaims = z.output<typeof payloadSchema>;

const b64url = (s: string) => fromBase64(s.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(s.length / 4) * 4, '='));

/** The ADR-36 sign doc a wallet signs for arbitrary data. */
export function adr36SignDoc(signer: string, data: string): StdSignDoc {
  return {
    chain_id: '',
    account_number: '0',
    sequence: '0',
    fee: { gas: '0', amount: [] },
    msgs: [{ type: 'sign/MsgSignData', value: { signer, data: toBase64(new TextEncoder().encode(data)) } }],
    memo: '',
  };
}

/**
 * Verifies `token` against the issuer's public key (from the chain's account record); returns its claims.
 * `lookupPubkey` returns null for an account the chain does not know.
 */
export async function verifyGatewayJwt(token: string, lookupPubkey: (address: string) => Uint8Array | null, nowSec: number): Promise<GatewayClaims> {
  const parts = token.split('.');
  if (parts.length !== 3) throw new JwtError('malformed token');
  const [h, p, s] = parts as [string, string, string];
  let header: unknown;
  let payload: unknown;
  try {
    header = JSON.parse(new TextDecoder().decode(b64url(h)));
    payload = JSON.parse(new TextDecoder().decode(b64url(p)));
  } catch {
    throw new JwtError('malformed token');
  }
  const hdr = z.object({ alg: z.string(), typ: z.literal('JWT') }).safeParse(header);
  if (!hdr.success || hdr.data.alg !== 'ES256KADR36') throw new JwtError('unsupported algorithm');
  const claims = payloadSchema.safeParse(payload);
  if (!claims.success) throw new JwtError('invalid claims');
  const c = claims.data;
  if (c.nbf > nowSec || c.exp <= nowSec || c.iat > c.exp) throw new JwtError('token expired or not yet valid');
  const pubkey = lookupPubkey(c.iss);
  if (!pubkey) throw new JwtError('unknown issuer');
  if (pubkeyToAddress(encodeSecp256k1Pubkey(pubkey), AKASH_PREFIX) !== c.iss) throw new JwtError('issuer key mismatch');
  let sig: Uint8Array;
  try {
    sig = b64url(s);
  } catch {
    throw new JwtError('malformed signature');
  }
  if (sig.length !== 64) throw new JwtError('malformed signature');
  const digest = sha256(serializeSignDoc(adr36SignDoc(c.iss, `${h}.${p}`)));
  if (!(await Secp256k1.verifySignature(Secp256k1Signature.fromFixedLength(sig), digest, pubkey))) throw new JwtError('bad signature');
  return c;
}

/** Whether the claims allow `action` on deployment `dseq` at `provider`. */
export function claimsAllow(c: GatewayClaims, provider: string, dseq: bigint, action: z.output<typeof scope>): boolean {
  const l = c.leases;
  if (l.access === 'full') return true;
  if (l.access === 'scoped') return l.scope.includes(action);
  return l.permissions.some((perm) => {
    if (perm.provider !== provider) return false;
    if (perm.access === 'full') return true;
    if (perm.access === 'scoped') return (perm.scope ?? []).includes(action);
    return (perm.deployments ?? []).some((d) => BigInt(d.dseq) === dseq && d.scope.includes(action));
  });
}
