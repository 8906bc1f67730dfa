// Paying a job out of escrow: payout to the payee, fee to the protocol, refund to the buyer, and every total it moves.
import { Address, BigInt, ethereum } from '@graphprotocol/graph-ts';
import { Job, Protocol, ProviderStats } from '../../generated/schema';
import { MovementKind, ONE, ZERO } from '../common/constants';
import { formatUsdc } from '../common/format';
import { getAccount, getBuyerDaySpend, getMarketSettlement, getProtocolDay, getProviderDayEarnings } from '../common/getters';
import { eventId, isZeroAddress } from '../common/ids';
import { JobEvent } from './job-event';
import { movement } from './movements';
import { addTeamProviderSpend, addTeamTotals } from './team-totals';

/** How an exit splits what is left of a job's escrow. */
export class Payout {
  payout: BigInt;
  fee: BigInt;
  refund: BigInt;

  constructor(payout: BigInt, fee: BigInt, refund: BigInt) {
    this.payout = payout;
    this.fee = fee;
    this.refund = refund;
  }

  /** What the buyer paid for: payout and fee. */
  spent(): BigInt {
    return this.payout.plus(this.fee);
  }

  /** What leaves the job's escrow. */
  total(): BigInt {
    return this.spent().plus(this.refund);
  }

  /** "10.00 USDC paid, 0.10 USDC fee, 2.00 USDC refunded" (zero parts left out). */
  summary(): string {
    let parts: string[] = [];
    if (this.payout.gt(ZERO)) parts.push(formatUsdc(this.payout) + ' USDC paid');
    if (this.fee.gt(ZERO)) parts.push(formatUsdc(this.fee) + ' USDC fee');
    if (this.refund.gt(ZERO)) parts.push(formatUsdc(this.refund) + ' USDC refunded');
    if (parts.length == 0) return 'nothing to pay';
    return parts.join(', ');
  }
}

function addToJob(job: Job, payee: Address, split: Payout): void {
  if (!isZeroAddress(payee)) job.payee = payee;
  job.payout = job.payout.plus(split.payout);
  job.fee = job.fee.plus(split.fee);
  job.refund = job.refund.plus(split.refund);
  job.balance = job.balance.minus(split.total());
}

function addToProtocol(protocol: Protocol, split: Payout, settled: boolean, timestamp: BigInt): void {
  protocol.volumePaid = protocol.volumePaid.plus(split.payout);
  protocol.feesTotal = protocol.feesTotal.plus(split.fee);
  protocol.refundsTotal = protocol.refundsTotal.plus(split.refund);
  protocol.escrowBalance = protocol.escrowBalance.minus(split.total());

  let day = getProtocolDay(timestamp);
  day.paid = day.paid.plus(split.payout);
  day.fees = day.fees.plus(split.fee);
  day.refunded = day.refunded.plus(split.refund);
  if (settled) day.jobsSettled = day.jobsSettled.plus(ONE);
  day.save();
}

function addToBuyer(job: Job, split: Payout, timestamp: BigInt): void {
  let buyer = getAccount(Address.fromString(job.buyer));
  buyer.totalPaid = buyer.totalPaid.plus(split.spent());
  buyer.totalRefunded = buyer.totalRefunded.plus(split.refund);
  buyer.save();
  let buyerDay = getBuyerDaySpend(job.buyer, timestamp);
  buyerDay.spent = buyerDay.spent.plus(split.spent());
  buyerDay.refunded = buyerDay.refunded.plus(split.refund);
  buyerDay.save();
}

/** The payout's side: the payee's earnings and the totals of the on-chain provider or external market routed to. */
function addToPayee(job: Job, payee: Address, split: Payout, timestamp: BigInt): string {
  let payeeAccount = getAccount(payee);
  payeeAccount.totalEarned = payeeAccount.totalEarned.plus(split.payout);
  payeeAccount.save();

  let providerId = job.provider;
  if (providerId !== null) {
    let stats = ProviderStats.load(providerId);
    if (stats !== null) {
      stats.totalEarned = stats.totalEarned.plus(split.payout);
      stats.totalFees = stats.totalFees.plus(split.fee);
      stats.jobsPaid += 1;
      stats.lastJobAt = timestamp;
      stats.save();
    }
    let earnings = getProviderDayEarnings(providerId, timestamp);
    earnings.earned = earnings.earned.plus(split.payout);
    earnings.fees = earnings.fees.plus(split.fee);
    earnings.jobsPaid += 1;
    earnings.save();
  }
  let market = job.market;
  if (market !== null) {
    let settlement = getMarketSettlement(market, timestamp);
    settlement.totalPaid = settlement.totalPaid.plus(split.payout);
    settlement.jobsPaid += 1;
    settlement.save();
  }
  return payeeAccount.id;
}

/**
 * Pays a job out of escrow (settlement, resolution, cancellation, expiry). Updates the job, protocol, buyer, payee,
 * provider, market and team totals and day buckets, and records one escrow movement per non-zero part (ids
 * `<txHash>-<logIndex>-<0 release|1 fee|2 refund>`). The caller saves the job and the protocol.
 */
export function payOut(event: ethereum.Event, e: JobEvent, payee: Address, split: Payout, settled: boolean): void {
  let job = e.job;
  let timestamp = e.timestamp;
  let base = eventId(event);
  addToJob(job, payee, split);
  addToProtocol(e.protocol, split, settled, timestamp);
  addToBuyer(job, split, timestamp);
  if (split.payout.gt(ZERO)) {
    let payeeId = addToPayee(job, payee, split, timestamp);
    movement(base + '-0', MovementKind.RELEASE, job.id, payeeId, split.payout, event);
  }
  if (split.fee.gt(ZERO)) movement(base + '-1', MovementKind.FEE, job.id, null, split.fee, event);
  if (split.refund.gt(ZERO)) movement(base + '-2', MovementKind.REFUND, job.id, job.buyer, split.refund, event);
  addTeamTotals(job, timestamp, 0, ZERO, split.spent(), split.refund);
  addTeamProviderSpend(job, split.spent(), timestamp);
}
