// JobMarket logs → the few domain events the keeper acts on, each with its chain position.
import { jobMarketAbi, type JobSpec } from '@necto/contracts';
import { parseEventLogs, type Log } from 'viem';
import type { Hex } from '../domain/types.js';

export interface Position {
  blockNumber: bigint;
  blockHash: Hex;
  txHash: Hex;
  logIndex: number;
}

/** A tracked job's JobSpec as JobSpecPublished emits it (spec hash in lower case). */
export type PublishedSpec = JobSpec;

export type MarketEvent = Position &
  (
    | {
        kind: 'submitted';
        jobId: bigint;
        buyer: Hex;
        teamId: bigint;
        budget: bigint;
        specHash: Hex;
        maxPricePerGpuHour: bigint;
        gpuCount: number;
        duration: number;
        startBy: bigint;
        autoAccept: boolean;
        tracked: boolean;
        allowExternal: boolean;
      }
    | { kind: 'specPublished'; jobId: bigint; spec: PublishedSpec }
    | {
        kind: 'routeCommitted';
        jobId: bigint;
        round: number;
        providerRef: Hex;
        provider: Hex;
        offerId: bigint;
        market: string;
        externalId: string;
        pricePerGpuHour: bigint;
        logRoot: Hex;
        decisionHash: Hex;
        sdlHash: Hex;
        autoAccepted: boolean;
        startDeadline: number;
      }
    | { kind: 'routeAccepted'; jobId: bigint; round: number; startDeadline: number }
    | { kind: 'routeRejected'; jobId: bigint; round: number }
    | { kind: 'started'; jobId: bigint }
    | { kind: 'closed'; jobId: bigint; reason: 'completed' | 'settled' | 'cancelled' | 'expired' | 'disputed' | 'resolved' }
  );

const CLOSING = {
  JobCompleted: 'completed',
  JobSettled: 'settled',
  JobCancelled: 'cancelled',
  JobExpired: 'expired',
  JobDisputed: 'disputed',
  DisputeResolved: 'resolved',
} as const;

/** Decodes raw logs of the JobMarket; logs of other events are skipped. */
export function decodeMarketLogs(logs: Log[]): MarketEvent[] {
  const out: MarketEvent[] = [];
  for (const log of parseEventLogs({ abi: jobMarketAbi, logs, strict: true })) {
    if (log.blockNumber === null || log.blockHash === null || log.transactionHash === null || log.logIndex === null) continue; // pending
    const pos: Position = {
      blockNumber: log.blockNumber,
      blockHash: log.blockHash.toLowerCase() as Hex,
      txHash: log.transactionHash.toLowerCase() as Hex,
      logIndex: log.logIndex,
    };
    switch (log.eventName) {
      case 'JobSubmitted': {
        const a = log.args;
        out.push({
          ...pos,
          kind: 'submitted',
          jobId: a.jobId,
          buyer: a.buyer.toLowerCase() as Hex,
          teamId: a.teamId,
          budget: a.budget,
          specHash: a.specHash.toLowerCase() as Hex,
          maxPricePerGpuHour: BigInt(a.maxPricePerGpuHour),
          gpuCount: Number(a.gpuCount),
          duration: Number(a.duration),
          startBy: BigInt(a.startBy),
          autoAccept: a.autoAccept,
          tracked: a.tracked,
          allowExternal: a.allowExternal,
        });
        break;
      }
      case 'JobSpecPublished': {
        const s = log.args.spec;
        out.push({
          ...pos,
          kind: 'specPublished',
          jobId: log.args.jobId,
          spec: { ...s, specHash: s.specHash.toLowerCase() as Hex },
        });
        break;
      }
      case 'RouteCommitted': {
        const a = log.args;
        out.push({
          ...pos,
          kind: 'routeCommitted',
          jobId: a.jobId,
          round: Number(a.round),
          providerRef: a.providerRef.toLowerCase() as Hex,
          provider: a.provider.toLowerCase() as Hex,
          offerId: a.offerId,
          market: a.market,
          externalId: a.externalId,
          pricePerGpuHour: BigInt(a.pricePerGpuHour),
          logRoot: a.logRoot.toLowerCase() as Hex,
          decisionHash: a.decisionHash.toLowerCase() as Hex,
          sdlHash: a.sdlHash.toLowerCase() as Hex,
          autoAccepted: a.autoAccepted,
          startDeadline: Number(a.startDeadline),
        });
        break;
      }
      case 'RouteAccepted':
        out.push({ ...pos, kind: 'routeAccepted', jobId: log.args.jobId, round: Number(log.args.round), startDeadline: Number(log.args.startDeadline) });
        break;
      case 'RouteRejected':
        out.push({ ...pos, kind: 'routeRejected', jobId: log.args.jobId, round: Number(log.args.round) });
        break;
      case 'JobStarted':
        out.push({ ...pos, kind: 'started', jobId: log.args.jobId });
        break;
      case 'JobCompleted':
      case 'JobSettled':
      case 'JobCancelled':
      case 'JobExpired':
      case 'JobDisputed':
      case 'DisputeResolved':
        out.push({ ...pos, kind: 'closed', jobId: log.args.jobId, reason: CLOSING[log.eventName] });
        break;
      default:
        break;
    }
  }
  return out;
}
