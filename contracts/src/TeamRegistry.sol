// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {ITeamRegistry} from "./interfaces/ITeamRegistry.sol";
import {Errors} from "./libraries/Errors.sol";
import {DataTypes} from "./types/DataTypes.sol";

/// @title TeamRegistry
/// @notice Teams of buyers (the owner is a member) with an optional spending cap per rolling period. The JobMarket
/// (market role) counts each team job's budget against the cap at submission and credits back the unspent part when
/// the job ends, as long as the job's period is still the current one.
/// @dev Spend is recorded per (team, market, job id): each market numbers its jobs from 1, so two markets (say, during
/// a migration) never credit back each other's spend. Crediting back needs no role: a caller can only release what it
/// recorded itself, so a market whose role was revoked (a retiring one) still releases its jobs' spend as they end.
/// @dev Periods roll lazily: when `block.timestamp >= periodStart + period` the period moves forward to the window
/// holding `block.timestamp` and `spentInPeriod` restarts at zero. A period of 0 (allowed only without a cap) never
/// rolls. Spend is tracked even without a cap, for dashboards.
contract TeamRegistry is ITeamRegistry, AccessManaged {
    uint256 private constant MAX_NAME_LENGTH = 64;

    /// @dev What a job counted against its team, and in which period.
    struct JobSpend {
        uint64 periodStart;
        uint128 amount;
    }

    mapping(uint256 teamId => DataTypes.Team) private _teams;
    mapping(uint256 teamId => mapping(address account => bool)) private _members;
    mapping(uint256 teamId => mapping(address market => mapping(uint256 jobId => JobSpend))) private _jobSpends;
    uint256 private _teamCount;

    /// @param authority The deployment's AccessManager.
    constructor(address authority) AccessManaged(authority) {}

    /*//////////////////////////////////////////////////////////////
                               TEAM OWNER
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ITeamRegistry
    function createTeam(string calldata name, uint128 spendingCap, uint32 period) external returns (uint256 teamId) {
        uint256 nameLength = bytes(name).length;
        if (nameLength == 0 || nameLength > MAX_NAME_LENGTH) revert Errors.InvalidString();
        if (spendingCap != 0 && period == 0) revert Errors.TeamRegistry_InvalidPeriod();
        teamId = ++_teamCount;
        _teams[teamId] = DataTypes.Team({
            owner: msg.sender,
            period: period,
            periodStart: uint64(block.timestamp),
            spendingCap: spendingCap,
            spentInPeriod: 0
        });
        _members[teamId][msg.sender] = true;
        emit TeamCreated(teamId, msg.sender, name, spendingCap, period);
        emit TeamMemberAdded(teamId, msg.sender);
    }

    /// @inheritdoc ITeamRegistry
    function addMember(uint256 teamId, address member) external {
        _onlyOwner(teamId);
        if (member == address(0)) revert Errors.ZeroAddress();
        if (_members[teamId][member]) revert Errors.TeamRegistry_AlreadyMember(teamId, member);
        _members[teamId][member] = true;
        emit TeamMemberAdded(teamId, member);
    }

    /// @inheritdoc ITeamRegistry
    function removeMember(uint256 teamId, address member) external {
        DataTypes.Team storage team = _onlyOwner(teamId);
        if (member == team.owner) revert Errors.TeamRegistry_CannotRemoveOwner(teamId);
        if (!_members[teamId][member]) revert Errors.TeamRegistry_NotMember(teamId, member);
        _members[teamId][member] = false;
        emit TeamMemberRemoved(teamId, member);
    }

    /// @inheritdoc ITeamRegistry
    /// @dev Restarting the period resets `spentInPeriod`; jobs recorded before are no longer credited back.
    function setSpendingCap(uint256 teamId, uint128 spendingCap, uint32 period) external {
        DataTypes.Team storage team = _onlyOwner(teamId);
        if (spendingCap != 0 && period == 0) revert Errors.TeamRegistry_InvalidPeriod();
        team.spendingCap = spendingCap;
        team.period = period;
        team.periodStart = uint64(block.timestamp);
        team.spentInPeriod = 0;
        emit TeamSpendingCapSet(teamId, spendingCap, period);
    }

    /// @inheritdoc ITeamRegistry
    function transferTeamOwnership(uint256 teamId, address newOwner) external {
        DataTypes.Team storage team = _onlyOwner(teamId);
        if (!_members[teamId][newOwner]) revert Errors.TeamRegistry_NotMember(teamId, newOwner);
        team.owner = newOwner;
        emit TeamOwnershipTransferred(teamId, msg.sender, newOwner);
    }

    /*//////////////////////////////////////////////////////////////
                                 MARKET
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ITeamRegistry
    function recordSpend(uint256 teamId, uint256 jobId, address member, uint256 amount) external restricted {
        DataTypes.Team storage team = _existing(teamId);
        if (!_members[teamId][member]) revert Errors.TeamRegistry_NotMember(teamId, member);
        _roll(team);
        uint128 amount128 = SafeCast.toUint128(amount);
        uint128 spent = team.spentInPeriod;
        uint128 cap = team.spendingCap;
        // A cap of 0 means no cap. The sum is checked (reverts on overflow).
        if (cap != 0 && uint256(spent) + amount > cap) {
            revert Errors.TeamRegistry_CapExceeded(teamId, spent, amount, cap);
        }
        spent += amount128;
        team.spentInPeriod = spent;
        uint64 periodStart = team.periodStart;
        JobSpend storage spend = _jobSpends[teamId][msg.sender][jobId];
        if (spend.periodStart != periodStart) {
            // A top-up in a later period: only what is counted in the current period can be credited back.
            spend.periodStart = periodStart;
            spend.amount = amount128;
        } else {
            // Cannot overflow: bounded by spentInPeriod, a uint128 computed with checked arithmetic above.
            unchecked {
                spend.amount += amount128;
            }
        }
        emit TeamSpendRecorded(teamId, jobId, member, amount, periodStart, spent);
    }

    /// @inheritdoc ITeamRegistry
    /// @dev Credits at most what the caller's job counted in the current period; a no-op (no event) otherwise. Open to
    /// any caller: only spend the caller itself recorded can be released.
    function releaseSpend(uint256 teamId, uint256 jobId, uint256 amount) external {
        DataTypes.Team storage team = _existing(teamId);
        _roll(team);
        JobSpend storage spend = _jobSpends[teamId][msg.sender][jobId];
        if (spend.periodStart != team.periodStart) return;
        uint256 credit = amount;
        if (credit > spend.amount) credit = spend.amount;
        uint128 spent = team.spentInPeriod;
        if (credit > spent) credit = spent;
        if (credit == 0) return;
        // Cannot underflow: credit ≤ spend.amount and credit ≤ spent (both uint128), checked just above.
        unchecked {
            spend.amount -= uint128(credit);
            spent -= uint128(credit);
        }
        team.spentInPeriod = spent;
        emit TeamSpendReleased(teamId, jobId, credit, spent);
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ITeamRegistry
    /// @dev Reverts for an unknown team id.
    function getTeam(uint256 teamId) external view returns (DataTypes.Team memory team) {
        team = _teams[teamId];
        if (team.owner == address(0)) revert Errors.TeamRegistry_UnknownTeam(teamId);
        (team.periodStart, team.spentInPeriod) = _current(team.period, team.periodStart, team.spentInPeriod);
    }

    /// @inheritdoc ITeamRegistry
    function isMember(uint256 teamId, address account) external view returns (bool) {
        return _members[teamId][account];
    }

    /// @inheritdoc ITeamRegistry
    function teamCount() external view returns (uint256) {
        return _teamCount;
    }

    /// @notice What a market's job counts against its team: the period it was recorded in and the amount still
    /// counted.
    function jobSpend(uint256 teamId, address market, uint256 jobId)
        external
        view
        returns (uint64 periodStart, uint128 amount)
    {
        JobSpend memory spend = _jobSpends[teamId][market][jobId];
        return (spend.periodStart, spend.amount);
    }

    /*//////////////////////////////////////////////////////////////
                                INTERNAL
    //////////////////////////////////////////////////////////////*/

    function _existing(uint256 teamId) private view returns (DataTypes.Team storage team) {
        team = _teams[teamId];
        if (team.owner == address(0)) revert Errors.TeamRegistry_UnknownTeam(teamId);
    }

    function _onlyOwner(uint256 teamId) private view returns (DataTypes.Team storage team) {
        team = _existing(teamId);
        if (team.owner != msg.sender) revert Errors.TeamRegistry_NotOwner(teamId, msg.sender);
    }

    /// @dev Moves the stored period forward to the current window, if it ended.
    function _roll(DataTypes.Team storage team) private {
        uint64 periodStart = team.periodStart;
        (uint64 currentStart, uint128 spent) = _current(team.period, periodStart, team.spentInPeriod);
        if (currentStart != periodStart) {
            team.periodStart = currentStart;
            team.spentInPeriod = spent;
        }
    }

    /// @dev The current period start and spend, given the stored ones.
    function _current(uint32 period, uint64 periodStart, uint128 spent) private view returns (uint64, uint128) {
        if (period == 0 || block.timestamp < uint256(periodStart) + period) return (periodStart, spent);
        // Cannot overflow or underflow: block.timestamp ≥ periodStart + period > periodStart, and the new start is at
        // most block.timestamp.
        unchecked {
            uint256 elapsedPeriods = (block.timestamp - periodStart) / period;
            return (uint64(periodStart + elapsedPeriods * period), 0);
        }
    }
}
