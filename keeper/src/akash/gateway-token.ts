/**
 * The provider gateway's JWT (ES256KADR36), scoped to one provider's deployment and the actions asked for, signed
 * by chain-sdk's JwtTokenManager with either a key held here (amino signer) or a browser wallet's ADR-36
 * `signArbitrary` (Keplr). The managed wallet and the self-signing buyer use this one function.
 */
import type { OfflineAminoSigner } from '@cosmjs/amino';
import { JwtTokenManager, type JwtTokenAccessScope, type OfflineDataSigner } from '@akashnetwork/chain-sdk';
import { SERVICE } from './sdl.js';

export type GatewayScope = JwtTokenAccessScope;

export async function signGatewayToken(
  signer: OfflineAminoSigner | OfflineDataSigner,
  args: { issuer: string; provider: string; dseq: bigint; scope: GatewayScope[]; ttlSec?: number; nowSec?: number },
): Promise<string> {
  const nowSec = args.nowSec ?? Math.floor(Date.now() / 1000);
  return new JwtTokenManager(signer).generateToken({
    version: 'v1',
    iss: args.issuer,
    iat: nowSec,
    nbf: nowSec,
    exp: nowSec + (args.ttlSec ?? 120),
    leases: { access: 'granular', permissions: [{ provider: args.provider, access: 'granular', deployments: [{ dseq: Number(args.dseq), scope: args.scope, services: [SERVICE] }] }] },
  } as never);
}
