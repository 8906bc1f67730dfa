// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {DataTypes} from "../types/DataTypes.sol";

/// @title ITeamRegistry
/// @notice Teams of buyers with an optional spending cap per period, enforced when a team job is submitted.
interface ITeamRegistry {
    /// @notice Emitted when a team is created.
    event TeamCreated(uint256 indexed teamId, address indexed owner, string name, uint128 spendingCap, uint32 period);
    /// @notice Emitted when a member joins a team.
    event TeamMemberAdded(uint256 indexed teamId, address indexed member);
    /// @notice Emitted when a member leaves a team.
    event TeamMemberRemoved(uint256 indexed teamId, address indexed member);
    /// @notice Emitted when a team's cap or period changes.
    event TeamSpendingCapSet(uint256 indexed teamId, uint128 spendingCap, uint32 period);
    /// @notice Emitted when a team's ownership moves.
    event TeamOwnershipTransferred(uint256 indexed teamId, address indexed previousOwner, address indexed newOwner);
    /// @notice Emitted when a team job's budget is counted against the team's cap.
    event TeamSpendRecorded(
        uint256 indexed teamId,
        uint256 indexed jobId,
        address indexed member,
        uint256 amount,
        uint64 periodStart,
        uint128 spentInPeriod
    );
    /// @notice Emitted when a job's unspent budget is credited back to the team (only while the job's period is
    /// still the current one).
    event TeamSpendReleased(uint256 indexed teamId, uint256 indexed jobId, uint256 amount, uint128 spentInPeriod);

    /// @notice Creates a team owned (and joined) by the caller.
    /// @param spendingCap Max budget per period, USDC 6 decimals (0 = no cap).
    /// @param period Length of a cap period in seconds (required when a cap is set).
    function createTeam(string calldata name, uint128 spendingCap, uint32 period) external returns (uint256 teamId);

    /// @notice Adds a member. Team owner only.
    function addMember(uint256 teamId, address member) external;

    /// @notice Removes a member. Team owner only; the owner cannot be removed.
    function removeMember(uint256 teamId, address member) external;

    /// @notice Sets the cap and period. Team owner only. The current period restarts now.
    function setSpendingCap(uint256 teamId, uint128 spendingCap, uint32 period) external;

    /// @notice Moves ownership to a member of the team. Team owner only.
    function transferTeamOwnership(uint256 teamId, address newOwner) external;

    /// @notice Counts `amount` against the team's cap for the caller's job `jobId`; reverts when the member is not in
    /// the team or the cap would be exceeded. Market role only.
    function recordSpend(uint256 teamId, uint256 jobId, address member, uint256 amount) external;

    /// @notice Credits back the unspent budget of the caller's job `jobId`, if the job's period is still the current
    /// one. Any caller (the record is the caller's own), so a market's exits never depend on its role.
    function releaseSpend(uint256 teamId, uint256 jobId, uint256 amount) external;

    /// @notice A team's stored record, with the current period rolled forward.
    function getTeam(uint256 teamId) external view returns (DataTypes.Team memory);

    /// @notice Whether `account` is a member of the team.
    function isMember(uint256 teamId, address account) external view returns (bool);

    /// @notice Number of teams ever created.
    function teamCount() external view returns (uint256);
}
