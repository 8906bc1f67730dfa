// Routing: the keeper commits a route (first route or re-route), the buyer accepts or rejects it.
import { Bytes } from '@graphprotocol/graph-ts';
import {
  RouteAccepted as RouteAcceptedEvent,
  RouteCommitted as RouteCommittedEvent,
  RouteRejected as RouteRejectedEvent,
} from '../../generated/JobMarket/JobMarket';
import { Job, Offer, Provider, ProviderStats, RouteDecision } from '../../generated/schema';
import { ActivityKind, JobStatus, ONE } from '../common/constants';
import { formatUsdc, shortAddress } from '../common/format';
import { getMarketSettlement, getProtocolDay, getProviderDayEarnings } from '../common/getters';
import { eventId, isZeroAddress } from '../common/ids';
import { refreshOnTimeRate } from '../common/provider-stats';
import { jobActivity, jobLabel, openJobEvent } from './job-event';

/** "Acme GPU" for an on-chain provider, "akash:akash1…" for an external one. */
function routeTarget(provider: Provider | null, market: string | null, externalId: string | null, address: Bytes): string {
  if (provider !== null) return provider.name;
  if (market !== null) return market + ':' + (externalId !== null ? externalId : '?');
  return shortAddress(address);
}

/** A binding route whose provider did not start: counts against the provider's on-time rate. */
export function recordMissedStart(job: Job): void {
  let providerId = job.provider;
  if (job.status != JobStatus.ACCEPTED || providerId === null) return;
  let stats = ProviderStats.load(providerId);
  if (stats === null) return;
  stats.missedStarts += 1;
  refreshOnTimeRate(stats);
  stats.save();
}

export function handleRouteCommitted(event: RouteCommittedEvent): void {
  let p = event.params;
  let e = openJobEvent(event, p.jobId, 'RouteCommitted');
  if (e === null) return;
  let job = e.job;
  let protocol = e.protocol;
  let timestamp = e.timestamp;
  // A route replacing a pending or binding one is a re-route; the first route after a rejection is not.
  let reroute = job.currentRoute !== null;
  if (reroute) recordMissedStart(job);

  let onChain = !isZeroAddress(p.provider);
  let providerId: string | null = onChain ? p.provider.toHexString() : null;
  let offerId: string | null = onChain && !p.offerId.isZero() ? p.offerId.toString() : null;
  let market: string | null = p.market.length > 0 ? p.market : null;
  let externalId: string | null = market !== null ? p.externalId : null;

  let route = new RouteDecision(eventId(event));
  route.job = job.id;
  route.round = p.round;
  route.reroute = reroute;
  route.providerRef = p.providerRef;
  route.provider = providerId;
  route.providerAddress = p.provider;
  route.offer = offerId;
  route.offerId = p.offerId;
  route.market = market;
  route.externalId = externalId;
  route.marketSettlement = market;
  route.pricePerGpuHour = p.pricePerGpuHour;
  route.logRoot = p.logRoot;
  route.decisionHash = p.decisionHash;
  route.sdlHash = p.sdlHash;
  route.keeper = p.keeper;
  route.autoAccepted = p.autoAccepted;
  route.startDeadline = p.startDeadline;
  route.blockNumber = event.block.number;
  route.timestamp = timestamp;
  route.txHash = event.transaction.hash;
  route.save();

  protocol.routesTotal = protocol.routesTotal.plus(ONE);
  if (reroute) protocol.reroutesTotal = protocol.reroutesTotal.plus(ONE);
  e.setStatus(p.autoAccepted ? JobStatus.ACCEPTED : JobStatus.ROUTED);
  let day = getProtocolDay(timestamp);
  day.routes = day.routes.plus(ONE);
  day.save();

  job.round = p.round;
  job.currentRoute = route.id;
  job.providerRef = p.providerRef;
  job.provider = providerId;
  job.offer = offerId;
  job.market = market;
  job.externalId = externalId;
  job.marketSettlement = market;
  job.pricePerGpuHour = p.pricePerGpuHour;
  job.startDeadline = route.startDeadline;
  job.routedAt = timestamp;
  if (p.autoAccepted) job.acceptedAt = timestamp;
  e.save();

  let provider: Provider | null = null;
  if (providerId !== null) {
    provider = Provider.load(providerId);
    let stats = ProviderStats.load(providerId);
    if (stats !== null) {
      stats.jobsRouted += 1;
      stats.lastJobAt = timestamp;
      stats.save();
    }
    let earnings = getProviderDayEarnings(providerId, timestamp);
    earnings.jobsRouted += 1;
    earnings.save();
  }
  if (offerId !== null) {
    let offer = Offer.load(offerId);
    if (offer !== null) {
      offer.jobsRouted += 1;
      offer.save();
    }
  }
  if (market !== null) {
    let settlement = getMarketSettlement(market, timestamp);
    settlement.jobsRouted += 1;
    settlement.save();
  }

  let summary =
    jobLabel(job) + (reroute ? ' re-routed to ' : ' routed to ') + routeTarget(provider, market, externalId, p.provider) + ' at ' +
    formatUsdc(p.pricePerGpuHour) + ' USDC/GPU-hour' + (p.autoAccepted ? ' (auto-accepted)' : '');
  let activity = jobActivity(event, reroute ? ActivityKind.JOB_REROUTED : ActivityKind.JOB_ROUTED, job, summary);
  activity.offer = offerId;
  activity.amount = p.pricePerGpuHour;
  activity.save();
}

export function handleRouteAccepted(event: RouteAcceptedEvent): void {
  let e = openJobEvent(event, event.params.jobId, 'RouteAccepted');
  if (e === null) return;
  let job = e.job;
  e.setStatus(JobStatus.ACCEPTED);
  job.acceptedAt = e.timestamp;
  job.startDeadline = event.params.startDeadline;
  e.save();
  jobActivity(event, ActivityKind.ROUTE_ACCEPTED, job, jobLabel(job) + ': route ' + event.params.round.toString() + ' accepted').save();
}

export function handleRouteRejected(event: RouteRejectedEvent): void {
  let e = openJobEvent(event, event.params.jobId, 'RouteRejected');
  if (e === null) return;
  let job = e.job;
  // The feed entry names the rejected route's provider: start it before the route is cleared.
  let activity = jobActivity(event, ActivityKind.ROUTE_REJECTED, job, jobLabel(job) + ': route ' + event.params.round.toString() + ' rejected, open again');
  e.setStatus(JobStatus.OPEN);
  job.rejections += 1;
  job.currentRoute = null;
  job.providerRef = null;
  job.provider = null;
  job.offer = null;
  job.market = null;
  job.externalId = null;
  job.marketSettlement = null;
  job.pricePerGpuHour = null;
  job.startDeadline = null;
  e.save();
  activity.save();
}
