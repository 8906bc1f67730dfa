// TeamRegistry: teams, members and the spending cap. One handler per contract event.
import { Address, BigInt, ethereum, log } from '@graphprotocol/graph-ts';
import {
  TeamCreated as TeamCreatedEvent,
  TeamMemberAdded as TeamMemberAddedEvent,
  TeamMemberRemoved as TeamMemberRemovedEvent,
  TeamOwnershipTransferred as TeamOwnershipTransferredEvent,
  TeamSpendingCapSet as TeamSpendingCapSetEvent,
  TeamSpendRecorded as TeamSpendRecordedEvent,
  TeamSpendReleased as TeamSpendReleasedEvent,
  AuthorityUpdated as AuthorityUpdatedEvent,
} from '../generated/TeamRegistry/TeamRegistry';
import { ActivityEvent, Team, TeamMember } from '../generated/schema';
import { involve, newActivity } from './common/activity';
import { ActivityKind, ONE, ZERO } from './common/constants';
import { formatDuration, formatUsdc, shortAddress } from './common/format';
import { ensureAccount, getProtocol, getTeamDaySpend, recordAuthority } from './common/getters';
import { teamMemberId } from './common/ids';

/** Marks `member` as an active member of the team; returns whether it was not one already. */
function join(teamId: string, member: Address, owner: boolean, timestamp: BigInt): boolean {
  let id = teamMemberId(teamId, member);
  let membership = TeamMember.load(id);
  if (membership === null) {
    ensureAccount(member);
    membership = new TeamMember(id);
    membership.team = teamId;
    membership.member = member.toHexString();
    membership.address = member;
    membership.active = false;
    membership.owner = false;
    membership.jobsSubmitted = 0;
    membership.deposited = ZERO;
    membership.spent = ZERO;
    membership.refunded = ZERO;
  }
  let joined = !membership.active;
  if (joined) {
    membership.active = true;
    membership.addedAt = timestamp;
  }
  if (owner) membership.owner = true;
  membership.save();
  return joined;
}

function teamActivity(event: ethereum.Event, kind: string, team: Team, summary: string): ActivityEvent {
  let activity = newActivity(event, kind, summary);
  activity.team = team.id;
  involve(activity, team.owner);
  return activity;
}

function capLabel(cap: BigInt, period: BigInt): string {
  if (cap.isZero()) return 'no cap';
  return formatUsdc(cap) + ' USDC per ' + formatDuration(period);
}

function loadTeam(teamId: BigInt, event: string): Team | null {
  let team = Team.load(teamId.toString());
  if (team === null) log.error('{}: unknown team {}', [event, teamId.toString()]);
  return team;
}

export function handleTeamCreated(event: TeamCreatedEvent): void {
  let p = event.params;
  let timestamp = event.block.timestamp;
  let team = new Team(p.teamId.toString());
  team.teamId = p.teamId;
  team.name = p.name;
  team.owner = p.owner;
  team.spendingCap = p.spendingCap;
  team.period = p.period;
  team.periodStart = timestamp;
  team.spentInPeriod = ZERO;
  // The creator is the only member at creation, whether or not the contract also emits TeamMemberAdded for it.
  team.memberCount = 1;
  team.totalRecorded = ZERO;
  team.totalReleased = ZERO;
  team.totalDeposited = ZERO;
  team.totalSpent = ZERO;
  team.totalRefunded = ZERO;
  team.jobsSubmitted = 0;
  team.createdAt = timestamp;
  team.updatedAt = timestamp;
  team.save();
  join(team.id, p.owner, true, timestamp);

  let protocol = getProtocol(timestamp);
  protocol.teamsTotal = protocol.teamsTotal.plus(ONE);
  protocol.save();

  let activity = teamActivity(
    event,
    ActivityKind.TEAM_CREATED,
    team,
    'Team ' + p.name + ' created by ' + shortAddress(p.owner) + ' (' + capLabel(p.spendingCap, p.period) + ')',
  );
  if (!p.spendingCap.isZero()) activity.amount = p.spendingCap;
  activity.save();
}

export function handleTeamMemberAdded(event: TeamMemberAddedEvent): void {
  let p = event.params;
  let timestamp = event.block.timestamp;
  let teamId = p.teamId.toString();
  let joined = join(teamId, p.member, false, timestamp);
  let team = Team.load(teamId);
  // Before TeamCreated (same transaction), the creator's membership is counted by TeamCreated.
  if (team === null) return;
  if (joined) {
    team.memberCount += 1;
    team.updatedAt = timestamp;
    team.save();
  }
  if (p.member.equals(team.owner)) return;
  let activity = teamActivity(event, ActivityKind.TEAM_MEMBER_ADDED, team, shortAddress(p.member) + ' joined team ' + team.name);
  involve(activity, p.member);
  activity.save();
}

export function handleTeamMemberRemoved(event: TeamMemberRemovedEvent): void {
  let p = event.params;
  let team = loadTeam(p.teamId, 'TeamMemberRemoved');
  if (team === null) return;
  let timestamp = event.block.timestamp;
  let membership = TeamMember.load(teamMemberId(team.id, p.member));
  if (membership !== null && membership.active) {
    membership.active = false;
    membership.owner = false;
    membership.removedAt = timestamp;
    membership.save();
    team.memberCount -= 1;
  }
  team.updatedAt = timestamp;
  team.save();
  let activity = teamActivity(event, ActivityKind.TEAM_MEMBER_REMOVED, team, shortAddress(p.member) + ' left team ' + team.name);
  involve(activity, p.member);
  activity.save();
}

export function handleTeamSpendingCapSet(event: TeamSpendingCapSetEvent): void {
  let p = event.params;
  let team = loadTeam(p.teamId, 'TeamSpendingCapSet');
  if (team === null) return;
  let timestamp = event.block.timestamp;
  team.spendingCap = p.spendingCap;
  team.period = p.period;
  // "The current period restarts now" (ITeamRegistry.setSpendingCap).
  team.periodStart = timestamp;
  team.spentInPeriod = ZERO;
  team.updatedAt = timestamp;
  team.save();
  let activity = teamActivity(event, ActivityKind.TEAM_CAP_SET, team, 'Team ' + team.name + ' cap set to ' + capLabel(p.spendingCap, p.period));
  activity.amount = p.spendingCap;
  activity.save();
}

export function handleTeamOwnershipTransferred(event: TeamOwnershipTransferredEvent): void {
  let p = event.params;
  let team = loadTeam(p.teamId, 'TeamOwnershipTransferred');
  if (team === null) return;
  let timestamp = event.block.timestamp;
  let previous = TeamMember.load(teamMemberId(team.id, p.previousOwner));
  if (previous !== null) {
    previous.owner = false;
    previous.save();
  }
  if (join(team.id, p.newOwner, true, timestamp)) team.memberCount += 1;
  team.owner = p.newOwner;
  team.updatedAt = timestamp;
  team.save();
  let activity = teamActivity(
    event,
    ActivityKind.TEAM_OWNERSHIP_TRANSFERRED,
    team,
    'Team ' + team.name + ' ownership moved from ' + shortAddress(p.previousOwner) + ' to ' + shortAddress(p.newOwner),
  );
  involve(activity, p.previousOwner);
  activity.save();
}

export function handleTeamSpendRecorded(event: TeamSpendRecordedEvent): void {
  let p = event.params;
  let team = loadTeam(p.teamId, 'TeamSpendRecorded');
  if (team === null) return;
  let timestamp = event.block.timestamp;
  team.periodStart = p.periodStart;
  team.spentInPeriod = p.spentInPeriod;
  team.totalRecorded = team.totalRecorded.plus(p.amount);
  team.updatedAt = timestamp;
  team.save();
  let day = getTeamDaySpend(team.id, timestamp);
  day.recorded = day.recorded.plus(p.amount);
  day.save();
}

export function handleTeamSpendReleased(event: TeamSpendReleasedEvent): void {
  let p = event.params;
  let team = loadTeam(p.teamId, 'TeamSpendReleased');
  if (team === null) return;
  let timestamp = event.block.timestamp;
  team.spentInPeriod = p.spentInPeriod;
  team.totalReleased = team.totalReleased.plus(p.amount);
  team.updatedAt = timestamp;
  team.save();
  let day = getTeamDaySpend(team.id, timestamp);
  day.released = day.released.plus(p.amount);
  day.save();
}

// ---------------------------------------------------------------- access

export function handleAuthorityUpdated(event: AuthorityUpdatedEvent): void {
  recordAuthority(event.params.authority, event.block.timestamp);
}
