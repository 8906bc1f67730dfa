// Load-or-create getters: each returns the entity with every non-null field initialised. Callers save.
import { Address, BigInt, Bytes } from '@graphprotocol/graph-ts';
import {
  Account,
  BuyerDaySpend,
  MarketSettlement,
  Protocol,
  ProtocolDay,
  ProviderDayEarnings,
  TeamDaySpend,
  TeamMemberDaySpend,
  TeamProviderDaySpend,
} from '../../generated/schema';
import { PROTOCOL_ID, SECONDS_PER_DAY, ZERO } from './constants';
import { dayId, dayIndex } from './ids';

export function getProtocol(timestamp: BigInt): Protocol {
  let protocol = Protocol.load(PROTOCOL_ID);
  if (protocol === null) {
    protocol = new Protocol(PROTOCOL_ID);
    protocol.jobsTotal = ZERO;
    protocol.jobsOpen = ZERO;
    protocol.jobsRouted = ZERO;
    protocol.jobsAccepted = ZERO;
    protocol.jobsRunning = ZERO;
    protocol.jobsCompleted = ZERO;
    protocol.jobsSettled = ZERO;
    protocol.jobsCancelled = ZERO;
    protocol.jobsExpired = ZERO;
    protocol.jobsDisputed = ZERO;
    protocol.jobsResolved = ZERO;
    protocol.trackedJobs = ZERO;
    protocol.routesTotal = ZERO;
    protocol.reroutesTotal = ZERO;
    protocol.volumeDeposited = ZERO;
    protocol.volumePaid = ZERO;
    protocol.feesTotal = ZERO;
    protocol.refundsTotal = ZERO;
    protocol.escrowBalance = ZERO;
    protocol.withdrawableTotal = ZERO;
    protocol.withdrawnTotal = ZERO;
    protocol.accruedFees = ZERO;
    protocol.feesWithdrawn = ZERO;
    protocol.providersTotal = ZERO;
    protocol.activeProviders = ZERO;
    protocol.offersTotal = ZERO;
    protocol.activeOffers = ZERO;
    protocol.teamsTotal = ZERO;
    protocol.paused = false;
  }
  protocol.updatedAt = timestamp;
  return protocol;
}

export function getProtocolDay(timestamp: BigInt): ProtocolDay {
  let day = dayIndex(timestamp);
  let id = dayId(PROTOCOL_ID, day);
  let bucket = ProtocolDay.load(id);
  if (bucket === null) {
    bucket = new ProtocolDay(id);
    bucket.day = day;
    bucket.date = BigInt.fromI32(day * SECONDS_PER_DAY);
    bucket.jobsSubmitted = ZERO;
    bucket.jobsSettled = ZERO;
    bucket.routes = ZERO;
    bucket.deposited = ZERO;
    bucket.paid = ZERO;
    bucket.fees = ZERO;
    bucket.refunded = ZERO;
  }
  return bucket;
}

export function getAccount(address: Bytes): Account {
  let id = address.toHexString();
  let account = Account.load(id);
  if (account === null) {
    account = new Account(id);
    account.address = address;
    account.withdrawable = ZERO;
    account.totalDeposited = ZERO;
    account.totalPaid = ZERO;
    account.totalRefunded = ZERO;
    account.totalEarned = ZERO;
    account.totalWithdrawn = ZERO;
    account.jobsSubmitted = ZERO;
  }
  return account;
}

/** Makes sure an Account exists for `address` (for non-null references to it). */
export function ensureAccount(address: Bytes): void {
  if (Account.load(address.toHexString()) === null) getAccount(address).save();
}

export function getMarketSettlement(market: string, timestamp: BigInt): MarketSettlement {
  let settlement = MarketSettlement.load(market);
  if (settlement === null) {
    settlement = new MarketSettlement(market);
    settlement.market = market;
    settlement.enabled = false;
    settlement.jobsRouted = 0;
    settlement.jobsPaid = 0;
    settlement.totalPaid = ZERO;
  }
  settlement.updatedAt = timestamp;
  return settlement;
}

export function getBuyerDaySpend(buyer: string, timestamp: BigInt): BuyerDaySpend {
  let day = dayIndex(timestamp);
  let id = dayId(buyer, day);
  let bucket = BuyerDaySpend.load(id);
  if (bucket === null) {
    bucket = new BuyerDaySpend(id);
    bucket.buyer = buyer;
    bucket.day = day;
    bucket.date = BigInt.fromI32(day * SECONDS_PER_DAY);
    bucket.jobsSubmitted = 0;
    bucket.deposited = ZERO;
    bucket.spent = ZERO;
    bucket.refunded = ZERO;
  }
  return bucket;
}

export function getTeamDaySpend(teamId: string, timestamp: BigInt): TeamDaySpend {
  let day = dayIndex(timestamp);
  let id = dayId(teamId, day);
  let bucket = TeamDaySpend.load(id);
  if (bucket === null) {
    bucket = new TeamDaySpend(id);
    bucket.team = teamId;
    bucket.day = day;
    bucket.date = BigInt.fromI32(day * SECONDS_PER_DAY);
    bucket.jobsSubmitted = 0;
    bucket.deposited = ZERO;
    bucket.spent = ZERO;
    bucket.refunded = ZERO;
    bucket.recorded = ZERO;
    bucket.released = ZERO;
  }
  return bucket;
}

/** `teamMemberId` is `<teamId>-<address>`. */
export function getTeamMemberDaySpend(teamId: string, teamMemberId: string, member: Bytes, timestamp: BigInt): TeamMemberDaySpend {
  let day = dayIndex(timestamp);
  let id = dayId(teamMemberId, day);
  let bucket = TeamMemberDaySpend.load(id);
  if (bucket === null) {
    bucket = new TeamMemberDaySpend(id);
    bucket.team = teamId;
    bucket.teamMember = teamMemberId;
    bucket.member = member;
    bucket.day = day;
    bucket.date = BigInt.fromI32(day * SECONDS_PER_DAY);
    bucket.jobsSubmitted = 0;
    bucket.deposited = ZERO;
    bucket.spent = ZERO;
    bucket.refunded = ZERO;
  }
  return bucket;
}

export function getTeamProviderDaySpend(
  teamId: string,
  providerRef: Bytes,
  provider: string | null,
  market: string | null,
  externalId: string | null,
  timestamp: BigInt,
): TeamProviderDaySpend {
  let day = dayIndex(timestamp);
  let id = dayId(teamId + '-' + providerRef.toHexString(), day);
  let bucket = TeamProviderDaySpend.load(id);
  if (bucket === null) {
    bucket = new TeamProviderDaySpend(id);
    bucket.team = teamId;
    bucket.providerRef = providerRef;
    bucket.provider = provider;
    bucket.market = market;
    bucket.externalId = externalId;
    bucket.day = day;
    bucket.date = BigInt.fromI32(day * SECONDS_PER_DAY);
    bucket.jobsPaid = 0;
    bucket.spent = ZERO;
  }
  return bucket;
}

export function getProviderDayEarnings(provider: string, timestamp: BigInt): ProviderDayEarnings {
  let day = dayIndex(timestamp);
  let id = dayId(provider, day);
  let bucket = ProviderDayEarnings.load(id);
  if (bucket === null) {
    bucket = new ProviderDayEarnings(id);
    bucket.provider = provider;
    bucket.day = day;
    bucket.date = BigInt.fromI32(day * SECONDS_PER_DAY);
    bucket.jobsRouted = 0;
    bucket.jobsStarted = 0;
    bucket.jobsCompleted = 0;
    bucket.jobsPaid = 0;
    bucket.earned = ZERO;
    bucket.fees = ZERO;
  }
  return bucket;
}

/** AccessManaged.AuthorityUpdated, emitted by every Necto contract (at construction, and if the authority moves). */
export function recordAuthority(authority: Address, timestamp: BigInt): void {
  let protocol = getProtocol(timestamp);
  protocol.authority = authority;
  protocol.save();
}
