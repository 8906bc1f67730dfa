/**
 * Akash self-sign: a buyer whose job document names an `akashSigner` (their own Akash address, e.g. from Keplr)
 * signs the round's MsgCreateDeployment and MsgCreateLease in the browser instead of the managed wallet.
 *
 * Who pays: the buyer's USDC stays escrowed on Necto as for any Akash route. When the route binds, the operator's
 * Akash wallet grants the buyer's address (1) an authz `DepositAuthorization` (scope deployment) for exactly the
 * deposit the managed wallet would have made, and (2) a feegrant `BasicAllowance` for the transaction fees. The
 * buyer's deployment takes its deposit with source `grant`, so the Akash deposit comes from the operator's funds,
 * which the escrowed USDC pays back at settlement: nobody pays twice.
 *
 * The browser cannot reach providers (self-signed TLS), so the keeper relays exactly four provider calls for the
 * job's own deployment: its bids (chain data), sending the keeper's manifest for the route, lease status and logs.
 * Every relayed call is scoped to the deployment the buyer's address owns for this job round at the routed
 * provider, with a gateway JWT the keeper checks (issuer = the buyer's address, signature by its on-chain key,
 * the action granted for this provider and dseq) before it contacts the provider: nothing else is proxied.
 */
import { mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { AkashChainClient, BidView } from '../../akash/chain-client.js';
import type { GatewayClient, LeaseStatus } from '../../akash/gateway-client.js';
import { JwtError, claimsAllow, verifyGatewayJwt } from '../../akash/jwt.js';
import { depositGrantMsg, feeAllowanceMsg, type Coin } from '../../akash/messages.js';
import { manifestJson, manifestOf } from '../../akash/sdl.js';
import type { AkashWallet } from '../../akash/wallet.js';
import type { AkashSelfSignView } from '../../domain/api.js';
import type { Hex } from '../../domain/types.js';
import { errorSummary, type Logger } from '../../logger.js';
import type { AkashDeployer } from './deployer.js';
import type { DeploymentRecord } from './store.js';

export type SelfSignFailure = 'not_self_signed' | 'not_granted' | 'no_deployment' | 'deployment_mismatch' | 'no_lease' | 'bad_token' | 'forbidden' | 'provider';

/** Why a self-sign request was refused; `status` is the HTTP status the API answers with. */
export class SelfSignError extends Error {
  override name = 'SelfSignError';
  constructor(
    readonly reason: SelfSignFailure,
    readonly status: 400 | 401 | 403 | 404 | 409 | 422 | 502,
    message: string,
  ) {
    super(message);
  }
}

const grantRecordSchema = z.object({
  v: z.literal(1),
  jobId: z.string().regex(/^\d+$/),
  round: z.number().int().min(1),
  grantee: z.string(),
  provider: z.string(),
  sdlHash: z.string(),
  deposit: z.object({ denom: z.string(), amount: z.string().regex(/^\d+$/) }),
  fees: z.object({ denom: z.string(), amount: z.string().regex(/^\d+$/) }),
  expiresAtSec: z.number().int(),
  txhash: z.string(),
  grantedAtMs: z.number(),
});
export type GrantRecord = z.output<typeof grantRecordSchema>;

/** The job round's self-sign state, as the dApp reads it (`GET /jobs/:id/akash/self-sign`). */
export type SelfSignView = AkashSelfSignView;

export interface SelfSignDeps {
  chain: AkashChainClient;
  wallet: AkashWallet;
  gateway: GatewayClient;
  deployer: AkashDeployer;
  dataDir: string;
  chainId: number;
  jobMarket: Hex;
  akash: { chainId: string; nodeUrl: string; standin: boolean };
  logger: Logger;
  /** The fee allowance per round (default 1 AKT in uakt). */
  feeAllowance?: Coin;
  nowMs?: () => number;
}

/** What the keeper knows of a bound Akash round whose document names a self-signer. */
export interface BoundSelfSignRound {
  jobId: bigint;
  round: number;
  grantee: string;
  provider: string;
  sdl: string;
  sdlHash: Hex;
  durationSec: number;
  /** The job's start-by time (unix seconds): the deposit grant expires then (at the earliest in ten minutes). */
  startBy: number;
}

type Action = 'send-manifest' | 'status' | 'logs';

export function createSelfSign(deps: SelfSignDeps) {
  const now = deps.nowMs ?? Date.now;
  const log = deps.logger.child({ component: 'akash-self-sign' });
  const dir = join(deps.dataDir, 'akash-self-sign', `${deps.chainId}-${deps.jobMarket.toLowerCase()}`);
  mkdirSync(dir, { recursive: true });
  const file = (jobId: string, round: number) => join(dir, `${jobId}-${round}.json`);
  const fees = deps.feeAllowance ?? { denom: 'uakt', amount: '1000000' };
  /** Bound rounds seen by the service loop (jobId → latest), for the API. */
  const bound = new Map<string, BoundSelfSignRound>();
  /** The buyer's gateway token per round, in memory only (handed over again by the buyer's page after a restart). */
  const tokens = new Map<string, string>();
  const key = (jobId: string, round: number) => `${jobId}-${round}`;

  const readGrant = (jobId: string, round: number): GrantRecord | null => {
    try {
      return grantRecordSchema.parse(JSON.parse(readFileSync(file(jobId, round), 'utf8')));
    } catch {
      return null;
    }
  };
  const writeGrant = (g: GrantRecord) => {
    const f = file(g.jobId, g.round);
    writeFileSync(`${f}.tmp`, JSON.stringify(grantRecordSchema.parse(g)));
    renameSync(`${f}.tmp`, f);
  };

  /** Issues the round's deposit grant and fee allowance once (the chain is checked first after a restart). */
  async function ensureGranted(b: BoundSelfSignRound): Promise<GrantRecord> {
    const jobId = b.jobId.toString();
    bound.set(jobId, b);
    const existing = readGrant(jobId, b.round);
    if (existing) return existing;
    const deposit = deps.deployer.depositFor(b.sdl, b.durationSec);
    const nowSec = Math.floor(now() / 1000);
    const expiresAtSec = Math.max(b.startBy, nowSec + 600);
    const granter = deps.wallet.address;
    const msgs = [];
    const held = await deps.chain.grants(granter, b.grantee);
    // A later round of the same job replaces the grant (authz keeps one per granter, grantee and type) so its
    // spend limit is this round's deposit; otherwise a grant found on chain is this round's (a restart).
    const earlier = latestGrant(b.jobId);
    const replace = earlier !== null && earlier.round < b.round;
    if (replace || !held.some((g) => g.type === '/akash.escrow.v1.DepositAuthorization')) msgs.push(depositGrantMsg({ granter, grantee: b.grantee, spendLimit: deposit, expiresAtSec }));
    if (!(await deps.chain.hasFeeAllowance(granter, b.grantee))) msgs.push(feeAllowanceMsg({ granter, grantee: b.grantee, spendLimit: fees, expiresAtSec: expiresAtSec + b.durationSec }));
    const txhash = msgs.length > 0 ? (await deps.chain.sendTx(deps.wallet, msgs, `necto job ${jobId} round ${b.round} self-sign grant`)).txhash : 'existing';
    const g: GrantRecord = { v: 1, jobId, round: b.round, grantee: b.grantee, provider: b.provider, sdlHash: b.sdlHash.toLowerCase(), deposit, fees, expiresAtSec, txhash, grantedAtMs: now() };
    writeGrant(g);
    log.info('akash self-sign grant issued', { jobId, round: b.round, grantee: b.grantee, deposit: `${deposit.amount}${deposit.denom}` });
    return g;
  }

  /** The latest granted round of a job (the only one the API serves). */
  const latestGrant = (jobId: bigint): GrantRecord | null => {
    const id = jobId.toString();
    const rounds = readdirSync(dir)
      .map((f) => /^(\d+)-(\d+)\.json$/.exec(f))
      .filter((m): m is RegExpExecArray => m !== null && m[1] === id)
      .map((m) => Number(m[2]))
      .sort((a, b) => b - a);
    return rounds.length > 0 ? readGrant(id, rounds[0]!) : null;
  };
  const grantOrThrow = (jobId: bigint) => {
    const g = latestGrant(jobId);
    if (!g) throw new SelfSignError('not_self_signed', 404, `job ${jobId} has no self-signed Akash round`);
    return g;
  };
  const recordOrThrow = (g: GrantRecord) => {
    const r = deps.deployer.get(BigInt(g.jobId), g.round);
    if (!r || r.mode !== 'self-sign') throw new SelfSignError('no_deployment', 409, `the buyer's deployment for job ${g.jobId} round ${g.round} has not been reported yet`);
    return r;
  };

  /** Checks the buyer's gateway token for `action` on this round's deployment; returns it. */
  async function checkToken(g: GrantRecord, dseq: bigint, token: string, action: Action): Promise<string> {
    const account = await deps.chain.account(g.grantee);
    if (!account?.pubkey) throw new SelfSignError('bad_token', 401, 'the deployment owner has no public key on chain yet');
    let claims;
    try {
      claims = await verifyGatewayJwt(token, (a) => (a === g.grantee ? account.pubkey : null), Math.floor(now() / 1000));
    } catch (err) {
      throw new SelfSignError('bad_token', 401, err instanceof JwtError ? `gateway token refused: ${err.message}` : 'gateway token refused');
    }
    if (!claimsAllow(claims, g.provider, dseq, action)) throw new SelfSignError('forbidden', 403, `the token does not grant ${action} on deployment ${dseq} at ${g.provider}`);
    return token;
  }

  const hostUri = (provider: string) => deps.chain.providerHostUri(provider);
  const viewOf = (g: GrantRecord): SelfSignView => {
    const r = deps.deployer.get(BigInt(g.jobId), g.round);
    return {
      jobId: g.jobId,
      round: g.round,
      owner: g.grantee,
      granter: deps.wallet.address,
      chainId: deps.akash.chainId,
      nodeUrl: deps.akash.nodeUrl,
      network: deps.akash.standin ? 'akash-standin' : 'akash',
      provider: g.provider,
      sdlHash: g.sdlHash,
      deposit: g.deposit,
      feeAllowance: g.fees,
      grantExpiresAt: g.expiresAtSec,
      grantTx: g.txhash,
      deployment: r && r.mode === 'self-sign' ? { dseq: r.dseq, state: r.state, lease: r.lease, end: r.end } : null,
    };
  };

  return {
    ensureGranted,
    /** Whether the round is the buyer's to sign (the managed wallet must not deploy it). */
    owns: (jobId: bigint, round: number) => readGrant(jobId.toString(), round) !== null,
    /** The buyer's token for the deployer to follow the lease with (null until handed over). */
    tokenFor: (r: DeploymentRecord) => tokens.get(key(r.jobId, r.round)) ?? null,
    view(jobId: bigint): SelfSignView | null {
      const g = latestGrant(jobId);
      return g ? viewOf(g) : null;
    },
    /** The buyer reports the deployment it signed; it must be theirs, active, and carry the route's hash. */
    async deploymentCreated(jobId: bigint, dseq: bigint): Promise<SelfSignView> {
      const g = grantOrThrow(jobId);
      const b = bound.get(g.jobId);
      const existing = deps.deployer.get(jobId, g.round);
      if (existing) {
        if (existing.dseq !== dseq.toString()) throw new SelfSignError('deployment_mismatch', 409, `round ${g.round} already follows deployment ${existing.dseq}`);
        return viewOf(g);
      }
      const d = await deps.chain.deployment(g.grantee, dseq);
      if (!d) throw new SelfSignError('no_deployment', 404, `no deployment ${g.grantee}/${dseq} on ${deps.akash.chainId}`);
      if (d.state !== 'active') throw new SelfSignError('deployment_mismatch', 409, `deployment ${dseq} is ${d.state}`);
      const hash = `0x${Buffer.from(d.hash).toString('hex')}`;
      if (hash !== g.sdlHash) throw new SelfSignError('deployment_mismatch', 422, `deployment ${dseq} commits ${hash}, the route committed ${g.sdlHash}`);
      if (!b || b.round !== g.round) throw new SelfSignError('not_granted', 409, 'the round is not bound any more');
      await deps.deployer.track({ jobId, round: g.round, sdl: b.sdl, sdlHash: b.sdlHash, provider: g.provider, durationSec: b.durationSec, selfSign: { owner: g.grantee, dseq: dseq.toString() } });
      return viewOf(g);
    },
    /** The bids on the buyer's deployment (chain data, scoped to this round's deployment). */
    async bids(jobId: bigint): Promise<Array<BidView & { routed: boolean }>> {
      const g = grantOrThrow(jobId);
      const r = recordOrThrow(g);
      return (await deps.chain.bids(g.grantee, BigInt(r.dseq))).map((b) => ({ ...b, routed: b.id.provider === g.provider }));
    },
    /** Sends the route's manifest (the keeper's, for the committed SDL) with the buyer's token. */
    async sendManifest(jobId: bigint, token: string): Promise<SelfSignView> {
      const g = grantOrThrow(jobId);
      const r = recordOrThrow(g);
      const dseq = BigInt(r.dseq);
      await checkToken(g, dseq, token, 'send-manifest');
      const lease = (await deps.chain.leases(g.grantee, dseq)).find((l) => l.state === 'active' && l.id.provider === g.provider);
      if (!lease) throw new SelfSignError('no_lease', 409, `no active lease with the routed provider ${g.provider} yet`);
      let out;
      try {
        out = await deps.gateway.sendManifest(await hostUri(g.provider), dseq, manifestJson(manifestOf(r.sdl).groups), token);
      } catch (err) {
        throw new SelfSignError('provider', 502, `the provider could not be reached: ${errorSummary(err)}`);
      }
      if (!out.ok) throw new SelfSignError('provider', out.reason === 'hash-mismatch' ? 422 : out.reason === 'unauthorized' ? 401 : 502, `the provider refused the manifest (${out.status}): ${out.message}`);
      tokens.set(key(r.jobId, r.round), token);
      // The deployer may not have seen the lease yet: let it catch up, then record the manifest.
      if (deps.deployer.get(jobId, g.round)?.state === 'bidding') await deps.deployer.tick();
      deps.deployer.manifestSent(jobId, g.round);
      return viewOf(g);
    },
    async leaseStatus(jobId: bigint, token: string): Promise<LeaseStatus | null> {
      const { g, r } = await leased(jobId, token, 'status');
      try {
        return await deps.gateway.leaseStatus(await hostUri(g.provider), { dseq: BigInt(r.dseq), gseq: r.lease!.gseq, oseq: r.lease!.oseq }, token);
      } catch (err) {
        throw new SelfSignError('provider', 502, `lease status unavailable: ${errorSummary(err)}`);
      }
    },
    async logs(jobId: bigint, token: string, maxBytes: number): Promise<{ text: string; truncated: boolean } | null> {
      const { g, r } = await leased(jobId, token, 'logs');
      try {
        return await deps.gateway.logs(await hostUri(g.provider), { dseq: BigInt(r.dseq), gseq: r.lease!.gseq, oseq: r.lease!.oseq }, token, maxBytes);
      } catch (err) {
        throw new SelfSignError('provider', 502, `lease logs unavailable: ${errorSummary(err)}`);
      }
    },
  };

  async function leased(jobId: bigint, token: string, action: Action) {
    const g = grantOrThrow(jobId);
    const r = recordOrThrow(g);
    if (!r.lease) throw new SelfSignError('no_lease', 409, 'the deployment has no lease yet');
    await checkToken(g, BigInt(r.dseq), token, action);
    // A token that also grants status lets the deployer keep following the lease (e.g. after a keeper restart).
    if (!tokens.has(key(r.jobId, r.round)) && action === 'status') tokens.set(key(r.jobId, r.round), token);
    return { g, r };
  }
}

export type SelfSign = ReturnType<typeof createSelfSign>;
