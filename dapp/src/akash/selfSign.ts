// The buyer's side of a self-signed Akash round: the same messages the keeper's deployer sends, signed by Keplr.
// The deployment takes its deposit from the operator's grant and its fees from the operator's allowance (the
// escrowed USDC pays the operator back at settlement), so the buyer pays once, on Necto.
import {
  AkashChainError,
  DEPOSIT_SOURCE,
  createChainClient,
  createDeploymentMsg,
  createLeaseMsg,
  manifestOf,
  manifestVersionOf,
  signGatewayToken,
  type BidId,
} from '@necto/keeper/akash';
import type { AkashSelfSignView } from '@necto/keeper/domain';
import { KeplrError, type KeplrAkashAccount } from './keplr';

export class SelfSignError extends Error {
  override name = 'SelfSignError';
}

/** A failed broadcast, in words a buyer can act on. */
export function explainChainError(error: unknown): Error {
  if (error instanceof KeplrError || error instanceof SelfSignError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof AkashChainError) {
    if (/code 4\b|signature verification failed/.test(message)) return new SelfSignError(`The Akash node refused the signature: it was not made for this chain and account (${message}).`);
    if (/node is on chain/.test(message)) return new SelfSignError(`Wrong chain: ${message}.`);
    if (/authz|spend limit|fee-grant|feegrant/.test(message)) return new SelfSignError(`The operator's grant does not cover this: ${message}.`);
  }
  return new SelfSignError(message);
}

const chainOf = (view: AkashSelfSignView) => createChainClient({ rest: view.nodeUrl, chainId: view.chainId });
const signerOf = (account: KeplrAkashAccount) => ({ address: account.address, direct: account.signer });

/**
 * Signs and broadcasts the round's MsgCreateDeployment: groups and hash from the job's SDL, which must hash to the
 * route's committed sdlHash (checked here, before anything is signed). Returns the dseq.
 */
export async function createDeployment(view: AkashSelfSignView, account: KeplrAkashAccount, sdlYaml: string, routeSdlHash: string): Promise<bigint> {
  if (account.address !== view.owner) throw new SelfSignError(`Keplr's account ${account.address} is not the job's Akash signer ${view.owner}.`);
  if (account.chainId !== view.chainId) throw new SelfSignError(`Keplr is on ${account.chainId}; this deployment is on ${view.chainId}.`);
  const { groups, groupSpecs } = manifestOf(sdlYaml);
  const hash = await manifestVersionOf(groups);
  if (hash !== routeSdlHash.toLowerCase() || hash !== view.sdlHash) throw new SelfSignError(`The SDL hashes to ${hash}, the route committed ${routeSdlHash}: not signing it.`);
  const chain = chainOf(view);
  try {
    const dseq = await chain.latestHeight();
    const bytes = new Uint8Array(hash.slice(2).match(/../g)!.map((h) => parseInt(h, 16)));
    await chain.sendTx(signerOf(account), [createDeploymentMsg({ owner: account.address, dseq, groupSpecs, hash: bytes, deposit: view.deposit, sources: [DEPOSIT_SOURCE.grant] })], `necto job ${view.jobId} round ${view.round}`, { feeGranter: view.granter });
    return dseq;
  } catch (error) {
    throw explainChainError(error);
  }
}

/** Signs and broadcasts MsgCreateLease for the routed provider's bid. */
export async function acceptBid(view: AkashSelfSignView, account: KeplrAkashAccount, bid: BidId): Promise<void> {
  if (bid.provider !== view.provider) throw new SelfSignError(`Only the routed provider's bid (${view.provider}) can be accepted for this job.`);
  try {
    await chainOf(view).sendTx(signerOf(account), [createLeaseMsg(bid)], `necto job ${view.jobId} round ${view.round}`, { feeGranter: view.granter });
  } catch (error) {
    throw explainChainError(error);
  }
}

/** The gateway JWT for this lease (send the manifest, read status and logs), valid for the paid duration. */
export function leaseToken(view: AkashSelfSignView, account: KeplrAkashAccount, dseq: bigint, ttlSec: number): Promise<string> {
  return signGatewayToken({ signArbitrary: (signer, data) => account.signArbitrary(signer, data) }, { issuer: account.address, provider: view.provider, dseq, scope: ['send-manifest', 'status', 'logs'], ttlSec });
}
