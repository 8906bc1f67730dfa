// JobMarket: jobs, routes, escrow and protocol settings. One handler per contract event.
import { Address, BigInt, Bytes, ethereum, log } from '@graphprotocol/graph-ts';
import {
  DisputeResolved as DisputeResolvedEvent,
  FeeAccrued as FeeAccruedEvent,
  FeesWithdrawn as FeesWithdrawnEvent,
  JobCancelled as JobCancelledEvent,
  JobCompleted as JobCompletedEvent,
  JobDisputed as JobDisputedEvent,
  JobExpired as JobExpiredEvent,
  JobSettled as JobSettledEvent,
  JobSpecPublished as JobSpecPublishedEvent,
  JobStarted as JobStartedEvent,
  JobSubmitted as JobSubmittedEvent,
  JobToppedUp as JobToppedUpEvent,
  Paused as PausedEvent,
  Unpaused as UnpausedEvent,
  MarketSettlementSet as MarketSettlementSetEvent,
  PaymentCredited as PaymentCreditedEvent,
  ProtocolFeeSet as ProtocolFeeSetEvent,
  RouteAccepted as RouteAcceptedEvent,
  RouteCommitted as RouteCommittedEvent,
  RouteRejected as RouteRejectedEvent,
  TreasurySet as TreasurySetEvent,
  WindowsSet as WindowsSetEvent,
  Withdrawn as WithdrawnEvent,
  AuthorityUpdated as AuthorityUpdatedEvent,
} from '../generated/JobMarket/JobMarket';
import {
  ActivityEvent,
  EscrowMovement,
  Job,
  MarketSettlement,
  Offer,
  Protocol,
  Provider,
  ProviderStats,
  RouteDecision,
  Team,
  TeamMember,
  Withdrawal,
} from '../generated/schema';
import { involve, newActivity } from './common/activity';
import { ActivityKind, JobStatus, MovementKind, ONE, ZERO } from './common/constants';
import { formatDuration, formatUsdc, shortAddress } from './common/format';
import {
  getAccount,
  getBuyerDaySpend,
  getMarketSettlement,
  getProtocol,
  getProtocolDay,
  getProviderDayEarnings,
  getTeamDaySpend,
  getTeamMemberDaySpend,
  getTeamProviderDaySpend,
  recordAuthority,
} from './common/getters';
import { eventId, isZeroAddress, teamMemberId } from './common/ids';
import { refreshOnTimeRate } from './common/provider-stats';

// ---------------------------------------------------------------- helpers

/** Adds `delta` to the Protocol counter of jobs in `status`. */
function countStatus(protocol: Protocol, status: string, delta: BigInt): void {
  if (status == JobStatus.OPEN) protocol.jobsOpen = protocol.jobsOpen.plus(delta);
  else if (status == JobStatus.ROUTED) protocol.jobsRouted = protocol.jobsRouted.plus(delta);
  else if (status == JobStatus.ACCEPTED) protocol.jobsAccepted = protocol.jobsAccepted.plus(delta);
  else if (status == JobStatus.RUNNING) protocol.jobsRunning = protocol.jobsRunning.plus(delta);
  else if (status == JobStatus.COMPLETED) protocol.jobsCompleted = protocol.jobsCompleted.plus(delta);
  else if (status == JobStatus.SETTLED) protocol.jobsSettled = protocol.jobsSettled.plus(delta);
  else if (status == JobStatus.CANCELLED) protocol.jobsCancelled = protocol.jobsCancelled.plus(delta);
  else if (status == JobStatus.EXPIRED) protocol.jobsExpired = protocol.jobsExpired.plus(delta);
  else if (status == JobStatus.DISPUTED) protocol.jobsDisputed = protocol.jobsDisputed.plus(delta);
  else if (status == JobStatus.RESOLVED) protocol.jobsResolved = protocol.jobsResolved.plus(delta);
}

function setStatus(job: Job, protocol: Protocol, status: string, timestamp: BigInt): void {
  countStatus(protocol, job.status, ONE.neg());
  countStatus(protocol, status, ONE);
  job.status = status;
  job.updatedAt = timestamp;
}

/** The job of an event; every JobMarket job event follows its JobSubmitted, so a miss is a bug worth a log. */
function loadJob(jobId: BigInt, event: string): Job | null {
  let job = Job.load(jobId.toString());
  if (job === null) log.error('{}: unknown job {}', [event, jobId.toString()]);
  return job;
}

function movement(id: string, kind: string, job: string | null, account: string | null, amount: BigInt, event: ethereum.Event): void {
  let m = new EscrowMovement(id);
  m.kind = kind;
  m.job = job;
  m.account = account;
  m.amount = amount;
  m.blockNumber = event.block.number;
  m.timestamp = event.block.timestamp;
  m.txHash = event.transaction.hash;
  m.save();
}

/** Starts a job's feed entry, linked to the job, its current provider and team, involving buyer and provider. */
function jobActivity(event: ethereum.Event, kind: string, job: Job, summary: string): ActivityEvent {
  let activity = newActivity(event, kind, summary);
  activity.job = job.id;
  activity.provider = job.provider;
  activity.team = job.team;
  involve(activity, Address.fromString(job.buyer));
  let provider = job.provider;
  if (provider !== null) involve(activity, Address.fromString(provider));
  return activity;
}

function jobLabel(job: Job): string {
  return 'Job #' + job.id;
}

/** "Acme GPU" for an on-chain provider, "akash:akash1…" for an external one. */
function routeTarget(provider: Provider | null, market: string | null, externalId: string | null, address: Bytes): string {
  if (provider !== null) return provider.name;
  if (market !== null) return market + ':' + (externalId !== null ? externalId : '?');
  return shortAddress(address);
}

/** Adds the USDC deposited into a team job (budget or top-up) to the team's totals and day buckets. */
function recordTeamDeposit(job: Job, buyer: Bytes, amount: BigInt, isNewJob: boolean, timestamp: BigInt): void {
  let teamId = job.team;
  let memberId = job.teamMember;
  if (teamId === null || memberId === null) return;
  let jobs = isNewJob ? 1 : 0;
  let team = Team.load(teamId);
  if (team !== null) {
    team.totalDeposited = team.totalDeposited.plus(amount);
    team.jobsSubmitted += jobs;
    team.updatedAt = timestamp;
    team.save();
  }
  let member = TeamMember.load(memberId);
  if (member !== null) {
    member.deposited = member.deposited.plus(amount);
    member.jobsSubmitted += jobs;
    member.save();
  }
  let day = getTeamDaySpend(teamId, timestamp);
  day.deposited = day.deposited.plus(amount);
  day.jobsSubmitted += jobs;
  day.save();
  let memberDay = getTeamMemberDaySpend(teamId, memberId, buyer, timestamp);
  memberDay.deposited = memberDay.deposited.plus(amount);
  memberDay.jobsSubmitted += jobs;
  memberDay.save();
}

/**
 * Pays a job out of escrow (settlement, resolution, cancellation, expiry): payout to `payee`, fee to the protocol,
 * refund to the buyer. Updates the job, protocol, buyer, payee, provider, market and team totals and day buckets,
 * and records one escrow movement per non-zero part (ids `<txHash>-<logIndex>-<0 release|1 fee|2 refund>`).
 */
function payOut(
  event: ethereum.Event,
  job: Job,
  protocol: Protocol,
  payee: Address,
  payout: BigInt,
  fee: BigInt,
  refund: BigInt,
  settled: boolean,
): void {
  let timestamp = event.block.timestamp;
  let spent = payout.plus(fee);
  let total = spent.plus(refund);
  let base = eventId(event);

  if (!isZeroAddress(payee)) job.payee = payee;
  job.payout = job.payout.plus(payout);
  job.fee = job.fee.plus(fee);
  job.refund = job.refund.plus(refund);
  job.balance = job.balance.minus(total);

  protocol.volumePaid = protocol.volumePaid.plus(payout);
  protocol.feesTotal = protocol.feesTotal.plus(fee);
  protocol.refundsTotal = protocol.refundsTotal.plus(refund);
  protocol.escrowBalance = protocol.escrowBalance.minus(total);

  let day = getProtocolDay(timestamp);
  day.paid = day.paid.plus(payout);
  day.fees = day.fees.plus(fee);
  day.refunded = day.refunded.plus(refund);
  if (settled) day.jobsSettled = day.jobsSettled.plus(ONE);
  day.save();

  let buyer = getAccount(Address.fromString(job.buyer));
  buyer.totalPaid = buyer.totalPaid.plus(spent);
  buyer.totalRefunded = buyer.totalRefunded.plus(refund);
  buyer.save();
  let buyerDay = getBuyerDaySpend(job.buyer, timestamp);
  buyerDay.spent = buyerDay.spent.plus(spent);
  buyerDay.refunded = buyerDay.refunded.plus(refund);
  buyerDay.save();

  if (payout.gt(ZERO)) {
    let payeeAccount = getAccount(payee);
    payeeAccount.totalEarned = payeeAccount.totalEarned.plus(payout);
    payeeAccount.save();
    movement(base + '-0', MovementKind.RELEASE, job.id, payeeAccount.id, payout, event);

    let providerId = job.provider;
    if (providerId !== null) {
      let stats = ProviderStats.load(providerId);
      if (stats !== null) {
        stats.totalEarned = stats.totalEarned.plus(payout);
        stats.totalFees = stats.totalFees.plus(fee);
        stats.jobsPaid += 1;
        stats.lastJobAt = timestamp;
        stats.save();
      }
      let earnings = getProviderDayEarnings(providerId, timestamp);
      earnings.earned = earnings.earned.plus(payout);
      earnings.fees = earnings.fees.plus(fee);
      earnings.jobsPaid += 1;
      earnings.save();
    }
    let market = job.market;
    if (market !== null) {
      let settlement = getMarketSettlement(market, timestamp);
      settlement.totalPaid = settlement.totalPaid.plus(payout);
      settlement.jobsPaid += 1;
      settlement.save();
    }
  }
  if (fee.gt(ZERO)) movement(base + '-1', MovementKind.FEE, job.id, null, fee, event);
  if (refund.gt(ZERO)) movement(base + '-2', MovementKind.REFUND, job.id, job.buyer, refund, event);

  let teamId = job.team;
  let memberId = job.teamMember;
  if (teamId !== null && memberId !== null) {
    let team = Team.load(teamId);
    if (team !== null) {
      team.totalSpent = team.totalSpent.plus(spent);
      team.totalRefunded = team.totalRefunded.plus(refund);
      team.updatedAt = timestamp;
      team.save();
    }
    let member = TeamMember.load(memberId);
    if (member !== null) {
      member.spent = member.spent.plus(spent);
      member.refunded = member.refunded.plus(refund);
      member.save();
    }
    let teamDay = getTeamDaySpend(teamId, timestamp);
    teamDay.spent = teamDay.spent.plus(spent);
    teamDay.refunded = teamDay.refunded.plus(refund);
    teamDay.save();
    let memberDay = getTeamMemberDaySpend(teamId, memberId, Address.fromString(job.buyer), timestamp);
    memberDay.spent = memberDay.spent.plus(spent);
    memberDay.refunded = memberDay.refunded.plus(refund);
    memberDay.save();
    let providerRef = job.providerRef;
    if (spent.gt(ZERO) && providerRef !== null) {
      let byProvider = getTeamProviderDaySpend(teamId, providerRef, job.provider, job.market, job.externalId, timestamp);
      byProvider.spent = byProvider.spent.plus(spent);
      byProvider.jobsPaid += 1;
      byProvider.save();
    }
  }
}

/** "10.00 USDC paid, 0.10 USDC fee, 2.00 USDC refunded" (zero parts left out). */
function payoutSummary(payout: BigInt, fee: BigInt, refund: BigInt): string {
  let parts: string[] = [];
  if (payout.gt(ZERO)) parts.push(formatUsdc(payout) + ' USDC paid');
  if (fee.gt(ZERO)) parts.push(formatUsdc(fee) + ' USDC fee');
  if (refund.gt(ZERO)) parts.push(formatUsdc(refund) + ' USDC refunded');
  if (parts.length == 0) return 'nothing to pay';
  return parts.join(', ');
}

/**
 * Who is paid for a job's current route (DisputeResolved does not name it): the on-chain provider's payout address,
 * or the external market's settlement account.
 */
function routePayee(job: Job): Address {
  let providerId = job.provider;
  if (providerId !== null) {
    let provider = Provider.load(providerId);
    if (provider !== null) return Address.fromBytes(provider.payout);
  }
  let market = job.market;
  if (market !== null) {
    let settlement = MarketSettlement.load(market);
    if (settlement !== null) {
      let account = settlement.account;
      if (account !== null) return Address.fromBytes(account);
    }
  }
  return Address.zero();
}

/** A binding route whose provider did not start: counts against the provider's on-time rate. */
function recordMissedStart(job: Job): void {
  let providerId = job.provider;
  if (job.status != JobStatus.ACCEPTED || providerId === null) return;
  let stats = ProviderStats.load(providerId);
  if (stats === null) return;
  stats.missedStarts += 1;
  refreshOnTimeRate(stats);
  stats.save();
}

// ---------------------------------------------------------------- buyer lifecycle

export function handleJobSubmitted(event: JobSubmittedEvent): void {
  let p = event.params;
  let timestamp = event.block.timestamp;
  let job = new Job(p.jobId.toString());
  job.jobId = p.jobId;
  job.buyer = p.buyer.toHexString();
  if (!p.teamId.isZero()) {
    job.team = p.teamId.toString();
    job.teamMember = teamMemberId(p.teamId.toString(), p.buyer);
  }
  job.status = JobStatus.OPEN;
  job.specHash = p.specHash;
  job.tracked = p.tracked;
  job.autoAccept = p.autoAccept;
  job.allowExternal = p.allowExternal;
  job.maxPricePerGpuHour = p.maxPricePerGpuHour;
  job.gpuCount = p.gpuCount;
  job.duration = p.duration;
  job.startBy = p.startBy;
  job.budget = p.budget;
  job.totalDeposited = p.budget;
  job.balance = p.budget;
  job.topUps = 0;
  job.round = 0;
  job.rejections = 0;
  job.payout = ZERO;
  job.fee = ZERO;
  job.refund = ZERO;
  job.submittedAt = timestamp;
  job.updatedAt = timestamp;
  job.submittedAtBlock = event.block.number;
  job.submittedTx = event.transaction.hash;
  job.save();

  let protocol = getProtocol(timestamp);
  protocol.jobsTotal = protocol.jobsTotal.plus(ONE);
  countStatus(protocol, JobStatus.OPEN, ONE);
  if (p.tracked) protocol.trackedJobs = protocol.trackedJobs.plus(ONE);
  protocol.volumeDeposited = protocol.volumeDeposited.plus(p.budget);
  protocol.escrowBalance = protocol.escrowBalance.plus(p.budget);
  protocol.save();

  let day = getProtocolDay(timestamp);
  day.jobsSubmitted = day.jobsSubmitted.plus(ONE);
  day.deposited = day.deposited.plus(p.budget);
  day.save();

  let buyer = getAccount(p.buyer);
  buyer.totalDeposited = buyer.totalDeposited.plus(p.budget);
  buyer.jobsSubmitted = buyer.jobsSubmitted.plus(ONE);
  buyer.save();
  let buyerDay = getBuyerDaySpend(buyer.id, timestamp);
  buyerDay.jobsSubmitted += 1;
  buyerDay.deposited = buyerDay.deposited.plus(p.budget);
  buyerDay.save();

  recordTeamDeposit(job, p.buyer, p.budget, true, timestamp);
  movement(eventId(event), MovementKind.DEPOSIT, job.id, buyer.id, p.budget, event);

  let activity = jobActivity(
    event,
    ActivityKind.JOB_SUBMITTED,
    job,
    jobLabel(job) + ' submitted by ' + shortAddress(p.buyer) + ': ' + p.gpuCount.toString() + ' GPU for ' +
      formatDuration(p.duration) + ', budget ' + formatUsdc(p.budget) + ' USDC',
  );
  activity.amount = p.budget;
  activity.save();
}

export function handleJobSpecPublished(event: JobSpecPublishedEvent): void {
  let job = loadJob(event.params.jobId, 'JobSpecPublished');
  if (job === null) return;
  let spec = event.params.spec;
  job.gpuModels = spec.gpuModels;
  job.regions = spec.regions;
  job.minVramGb = spec.minVramGb;
  job.minVcpu = spec.minVcpu;
  job.minRamGb = spec.minRamGb.toI32();
  job.save();
}

export function handleRouteAccepted(event: RouteAcceptedEvent): void {
  let job = loadJob(event.params.jobId, 'RouteAccepted');
  if (job === null) return;
  let timestamp = event.block.timestamp;
  let protocol = getProtocol(timestamp);
  setStatus(job, protocol, JobStatus.ACCEPTED, timestamp);
  job.acceptedAt = timestamp;
  job.startDeadline = event.params.startDeadline;
  job.save();
  protocol.save();
  jobActivity(event, ActivityKind.ROUTE_ACCEPTED, job, jobLabel(job) + ': route ' + event.params.round.toString() + ' accepted').save();
}

export function handleRouteRejected(event: RouteRejectedEvent): void {
  let job = loadJob(event.params.jobId, 'RouteRejected');
  if (job === null) return;
  let timestamp = event.block.timestamp;
  let activity = jobActivity(event, ActivityKind.ROUTE_REJECTED, job, jobLabel(job) + ': route ' + event.params.round.toString() + ' rejected, open again');
  let protocol = getProtocol(timestamp);
  setStatus(job, protocol, JobStatus.OPEN, timestamp);
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
  job.save();
  protocol.save();
  activity.save();
}

export function handleJobCancelled(event: JobCancelledEvent): void {
  let p = event.params;
  let job = loadJob(p.jobId, 'JobCancelled');
  if (job === null) return;
  let timestamp = event.block.timestamp;
  let protocol = getProtocol(timestamp);
  let providerId = job.provider;
  if (providerId !== null) {
    let stats = ProviderStats.load(providerId);
    if (stats !== null) {
      stats.jobsCancelled += 1;
      stats.lastJobAt = timestamp;
      stats.save();
    }
  }
  setStatus(job, protocol, JobStatus.CANCELLED, timestamp);
  job.cancelledAt = timestamp;
  payOut(event, job, protocol, p.payee, p.payout, p.fee, p.refund, false);
  job.save();
  protocol.save();
  let activity = jobActivity(event, ActivityKind.JOB_CANCELLED, job, jobLabel(job) + ' cancelled: ' + payoutSummary(p.payout, p.fee, p.refund));
  activity.amount = p.refund;
  if (!isZeroAddress(p.payee)) involve(activity, p.payee);
  activity.save();
}

export function handleJobDisputed(event: JobDisputedEvent): void {
  let job = loadJob(event.params.jobId, 'JobDisputed');
  if (job === null) return;
  let timestamp = event.block.timestamp;
  let protocol = getProtocol(timestamp);
  setStatus(job, protocol, JobStatus.DISPUTED, timestamp);
  job.disputedAt = timestamp;
  job.disputeReasonHash = event.params.reasonHash;
  job.save();
  protocol.save();
  let providerId = job.provider;
  if (providerId !== null) {
    let stats = ProviderStats.load(providerId);
    if (stats !== null) {
      stats.jobsDisputed += 1;
      stats.lastJobAt = timestamp;
      stats.save();
    }
  }
  jobActivity(event, ActivityKind.JOB_DISPUTED, job, jobLabel(job) + ' disputed by ' + shortAddress(event.params.buyer)).save();
}

export function handleJobToppedUp(event: JobToppedUpEvent): void {
  let p = event.params;
  let job = loadJob(p.jobId, 'JobToppedUp');
  if (job === null) return;
  let timestamp = event.block.timestamp;
  job.balance = p.balance;
  job.duration = p.duration;
  job.totalDeposited = job.totalDeposited.plus(p.amount);
  job.topUps += 1;
  job.updatedAt = timestamp;
  job.save();

  let protocol = getProtocol(timestamp);
  protocol.volumeDeposited = protocol.volumeDeposited.plus(p.amount);
  protocol.escrowBalance = protocol.escrowBalance.plus(p.amount);
  protocol.save();
  let day = getProtocolDay(timestamp);
  day.deposited = day.deposited.plus(p.amount);
  day.save();

  let buyer = getAccount(Address.fromString(job.buyer));
  buyer.totalDeposited = buyer.totalDeposited.plus(p.amount);
  buyer.save();
  let buyerDay = getBuyerDaySpend(job.buyer, timestamp);
  buyerDay.deposited = buyerDay.deposited.plus(p.amount);
  buyerDay.save();
  recordTeamDeposit(job, buyer.address, p.amount, false, timestamp);
  movement(eventId(event), MovementKind.TOP_UP, job.id, job.buyer, p.amount, event);

  let activity = jobActivity(
    event,
    ActivityKind.JOB_TOPPED_UP,
    job,
    jobLabel(job) + ' topped up with ' + formatUsdc(p.amount) + ' USDC (+' + formatDuration(p.extraDuration) + ')',
  );
  activity.amount = p.amount;
  activity.save();
}

// ---------------------------------------------------------------- keeper and provider

export function handleRouteCommitted(event: RouteCommittedEvent): void {
  let p = event.params;
  let job = loadJob(p.jobId, 'RouteCommitted');
  if (job === null) return;
  let timestamp = event.block.timestamp;
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

  let protocol = getProtocol(timestamp);
  protocol.routesTotal = protocol.routesTotal.plus(ONE);
  if (reroute) protocol.reroutesTotal = protocol.reroutesTotal.plus(ONE);
  setStatus(job, protocol, p.autoAccepted ? JobStatus.ACCEPTED : JobStatus.ROUTED, timestamp);
  protocol.save();
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
  job.save();

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

export function handleJobStarted(event: JobStartedEvent): void {
  let p = event.params;
  let job = loadJob(p.jobId, 'JobStarted');
  if (job === null) return;
  let timestamp = event.block.timestamp;
  let startedAt = p.startedAt;
  let protocol = getProtocol(timestamp);
  setStatus(job, protocol, JobStatus.RUNNING, timestamp);
  job.startedAt = startedAt;
  job.operator = p.operator;
  job.save();
  protocol.save();

  let providerId = job.provider;
  if (providerId !== null) {
    let stats = ProviderStats.load(providerId);
    if (stats !== null) {
      stats.jobsStarted += 1;
      let deadline = job.startDeadline;
      if (deadline === null || startedAt.le(deadline)) stats.onTimeStarts += 1;
      refreshOnTimeRate(stats);
      stats.lastJobAt = timestamp;
      stats.save();
    }
    let earnings = getProviderDayEarnings(providerId, timestamp);
    earnings.jobsStarted += 1;
    earnings.save();
  }
  jobActivity(event, ActivityKind.JOB_STARTED, job, jobLabel(job) + ' started by ' + shortAddress(p.operator)).save();
}

export function handleJobCompleted(event: JobCompletedEvent): void {
  let p = event.params;
  let job = loadJob(p.jobId, 'JobCompleted');
  if (job === null) return;
  let timestamp = event.block.timestamp;
  let protocol = getProtocol(timestamp);
  setStatus(job, protocol, JobStatus.COMPLETED, timestamp);
  job.completedAt = p.completedAt;
  job.resultHash = p.resultHash;
  job.save();
  protocol.save();

  let providerId = job.provider;
  if (providerId !== null) {
    let stats = ProviderStats.load(providerId);
    if (stats !== null) {
      stats.jobsCompleted += 1;
      stats.lastJobAt = timestamp;
      stats.save();
    }
    let earnings = getProviderDayEarnings(providerId, timestamp);
    earnings.jobsCompleted += 1;
    earnings.save();
  }
  jobActivity(event, ActivityKind.JOB_COMPLETED, job, jobLabel(job) + ' completed by ' + shortAddress(p.operator)).save();
}

export function handleJobSettled(event: JobSettledEvent): void {
  let p = event.params;
  let job = loadJob(p.jobId, 'JobSettled');
  if (job === null) return;
  let timestamp = event.block.timestamp;
  let protocol = getProtocol(timestamp);
  setStatus(job, protocol, JobStatus.SETTLED, timestamp);
  job.settledAt = timestamp;
  payOut(event, job, protocol, p.payee, p.payout, p.fee, p.refund, true);
  job.save();
  protocol.save();
  let activity = jobActivity(event, ActivityKind.JOB_SETTLED, job, jobLabel(job) + ' settled: ' + payoutSummary(p.payout, p.fee, p.refund));
  activity.amount = p.payout;
  if (!isZeroAddress(p.payee)) involve(activity, p.payee);
  activity.save();
}

export function handleJobExpired(event: JobExpiredEvent): void {
  let job = loadJob(event.params.jobId, 'JobExpired');
  if (job === null) return;
  let timestamp = event.block.timestamp;
  let protocol = getProtocol(timestamp);
  recordMissedStart(job);
  setStatus(job, protocol, JobStatus.EXPIRED, timestamp);
  job.expiredAt = timestamp;
  payOut(event, job, protocol, Address.zero(), ZERO, ZERO, event.params.refund, false);
  job.save();
  protocol.save();
  let activity = jobActivity(event, ActivityKind.JOB_EXPIRED, job, jobLabel(job) + ' expired: ' + formatUsdc(event.params.refund) + ' USDC refunded');
  activity.amount = event.params.refund;
  activity.save();
}

export function handleDisputeResolved(event: DisputeResolvedEvent): void {
  let p = event.params;
  let job = loadJob(p.jobId, 'DisputeResolved');
  if (job === null) return;
  let timestamp = event.block.timestamp;
  let protocol = getProtocol(timestamp);
  setStatus(job, protocol, JobStatus.RESOLVED, timestamp);
  job.resolvedAt = timestamp;
  job.providerShareBps = p.providerShareBps;
  job.arbiter = p.arbiter;
  payOut(event, job, protocol, routePayee(job), p.payout, p.fee, p.refund, true);
  job.save();
  protocol.save();
  let share = p.providerShareBps;
  let activity = jobActivity(
    event,
    ActivityKind.DISPUTE_RESOLVED,
    job,
    jobLabel(job) + ' dispute resolved (' + (share / 100).toString() + '.' + (share % 100 < 10 ? '0' : '') + (share % 100).toString() +
      '% to the provider): ' + payoutSummary(p.payout, p.fee, p.refund),
  );
  activity.amount = p.payout;
  activity.save();
}

// ---------------------------------------------------------------- escrow

export function handlePaymentCredited(event: PaymentCreditedEvent): void {
  let p = event.params;
  let account = getAccount(p.account);
  account.withdrawable = p.withdrawable;
  account.save();
  let protocol = getProtocol(event.block.timestamp);
  protocol.withdrawableTotal = protocol.withdrawableTotal.plus(p.amount);
  protocol.save();
}

export function handleFeeAccrued(event: FeeAccruedEvent): void {
  let protocol = getProtocol(event.block.timestamp);
  protocol.accruedFees = event.params.accruedFees;
  protocol.save();
}

export function handleWithdrawn(event: WithdrawnEvent): void {
  let p = event.params;
  let id = eventId(event);
  let account = getAccount(p.account);
  account.withdrawable = account.withdrawable.minus(p.amount);
  account.totalWithdrawn = account.totalWithdrawn.plus(p.amount);
  account.save();

  let withdrawal = new Withdrawal(id);
  withdrawal.account = account.id;
  withdrawal.to = p.to;
  withdrawal.amount = p.amount;
  withdrawal.protocolFees = false;
  withdrawal.blockNumber = event.block.number;
  withdrawal.timestamp = event.block.timestamp;
  withdrawal.txHash = event.transaction.hash;
  withdrawal.save();
  movement(id, MovementKind.WITHDRAWAL, null, account.id, p.amount, event);

  let protocol = getProtocol(event.block.timestamp);
  protocol.withdrawableTotal = protocol.withdrawableTotal.minus(p.amount);
  protocol.withdrawnTotal = protocol.withdrawnTotal.plus(p.amount);
  protocol.save();

  let toSelf = p.to.equals(p.account);
  let activity = newActivity(
    event,
    ActivityKind.WITHDRAWAL,
    shortAddress(p.account) + ' withdrew ' + formatUsdc(p.amount) + ' USDC' + (toSelf ? '' : ' to ' + shortAddress(p.to)),
  );
  involve(activity, p.account);
  involve(activity, p.to);
  activity.amount = p.amount;
  activity.save();
}

export function handleFeesWithdrawn(event: FeesWithdrawnEvent): void {
  let p = event.params;
  let id = eventId(event);
  let treasury = getAccount(p.treasury);
  treasury.save();
  let withdrawal = new Withdrawal(id);
  withdrawal.account = treasury.id;
  withdrawal.to = p.treasury;
  withdrawal.amount = p.amount;
  withdrawal.protocolFees = true;
  withdrawal.blockNumber = event.block.number;
  withdrawal.timestamp = event.block.timestamp;
  withdrawal.txHash = event.transaction.hash;
  withdrawal.save();
  movement(id, MovementKind.FEE_WITHDRAWAL, null, treasury.id, p.amount, event);

  let protocol = getProtocol(event.block.timestamp);
  protocol.accruedFees = protocol.accruedFees.minus(p.amount);
  protocol.feesWithdrawn = protocol.feesWithdrawn.plus(p.amount);
  protocol.save();

  let activity = newActivity(event, ActivityKind.FEES_WITHDRAWN, formatUsdc(p.amount) + ' USDC of protocol fees sent to the treasury ' + shortAddress(p.treasury));
  involve(activity, p.treasury);
  activity.amount = p.amount;
  activity.save();
}

// ---------------------------------------------------------------- admin

export function handleProtocolFeeSet(event: ProtocolFeeSetEvent): void {
  let protocol = getProtocol(event.block.timestamp);
  protocol.feeBps = event.params.feeBps;
  protocol.save();
}

export function handleTreasurySet(event: TreasurySetEvent): void {
  let protocol = getProtocol(event.block.timestamp);
  protocol.treasury = event.params.treasury;
  protocol.save();
}

export function handleWindowsSet(event: WindowsSetEvent): void {
  let p = event.params;
  let protocol = getProtocol(event.block.timestamp);
  protocol.startWindow = p.startWindow;
  protocol.disputeWindow = p.disputeWindow;
  protocol.defaultStartBy = p.defaultStartBy;
  protocol.save();
}

export function handleMarketSettlementSet(event: MarketSettlementSetEvent): void {
  let p = event.params;
  let settlement = getMarketSettlement(p.market, event.block.timestamp);
  settlement.marketKey = p.marketKey;
  settlement.account = p.account;
  settlement.enabled = !isZeroAddress(p.account);
  settlement.save();
}

// ---------------------------------------------------------------- access

export function handleAuthorityUpdated(event: AuthorityUpdatedEvent): void {
  recordAuthority(event.params.authority, event.block.timestamp);
}

export function handlePaused(event: PausedEvent): void {
  let protocol = getProtocol(event.block.timestamp);
  protocol.paused = true;
  protocol.save();
}

export function handleUnpaused(event: UnpausedEvent): void {
  let protocol = getProtocol(event.block.timestamp);
  protocol.paused = false;
  protocol.save();
}
