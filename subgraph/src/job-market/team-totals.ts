// Team totals: what a team job adds to its team, its member and their day buckets.
import { Address, BigInt } from '@graphprotocol/graph-ts';
import { Job, Team, TeamMember } from '../../generated/schema';
import { ZERO } from '../common/constants';
import { getTeamDaySpend, getTeamMemberDaySpend, getTeamProviderDaySpend } from '../common/getters';

/**
 * Adds a team job's deposit (budget or top-up; `jobsSubmitted` 1 for a new job), spending and refund to the totals of
 * its team and member and to their day buckets. No-op for a job outside a team.
 */
export function addTeamTotals(job: Job, timestamp: BigInt, jobsSubmitted: i32, deposited: BigInt, spent: BigInt, refunded: BigInt): void {
  let teamId = job.team;
  let memberId = job.teamMember;
  if (teamId === null || memberId === null) return;
  let team = Team.load(teamId);
  if (team !== null) {
    team.totalDeposited = team.totalDeposited.plus(deposited);
    team.totalSpent = team.totalSpent.plus(spent);
    team.totalRefunded = team.totalRefunded.plus(refunded);
    team.jobsSubmitted += jobsSubmitted;
    team.updatedAt = timestamp;
    team.save();
  }
  let member = TeamMember.load(memberId);
  if (member !== null) {
    member.deposited = member.deposited.plus(deposited);
    member.spent = member.spent.plus(spent);
    member.refunded = member.refunded.plus(refunded);
    member.jobsSubmitted += jobsSubmitted;
    member.save();
  }
  let day = getTeamDaySpend(teamId, timestamp);
  day.deposited = day.deposited.plus(deposited);
  day.spent = day.spent.plus(spent);
  day.refunded = day.refunded.plus(refunded);
  day.jobsSubmitted += jobsSubmitted;
  day.save();
  let memberDay = getTeamMemberDaySpend(teamId, memberId, Address.fromString(job.buyer), timestamp);
  memberDay.deposited = memberDay.deposited.plus(deposited);
  memberDay.spent = memberDay.spent.plus(spent);
  memberDay.refunded = memberDay.refunded.plus(refunded);
  memberDay.jobsSubmitted += jobsSubmitted;
  memberDay.save();
}

/** Adds what a team job paid for (payout and fee) to the team's day bucket for the job's current provider. */
export function addTeamProviderSpend(job: Job, spent: BigInt, timestamp: BigInt): void {
  let teamId = job.team;
  let providerRef = job.providerRef;
  if (teamId === null || job.teamMember === null || providerRef === null || !spent.gt(ZERO)) return;
  let byProvider = getTeamProviderDaySpend(teamId, providerRef, job.provider, job.market, job.externalId, timestamp);
  byProvider.spent = byProvider.spent.plus(spent);
  byProvider.jobsPaid += 1;
  byProvider.save();
}
