// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {DataTypes} from "../../../src/types/DataTypes.sol";

/// @title JobStore
/// @notice Ghost state of the invariant campaign: the jobs and accounts the handler created, what went into and out of
/// each job, the status transitions it observed and the campaign's clock. Written only by the handler.
contract JobStore {
    /// @notice What the handler observed of one job.
    struct JobGhost {
        address buyer;
        uint32 teamId;
        /// Budget at submission plus every top-up.
        uint256 deposited;
        /// Provider (or settlement account) payouts, protocol fees and buyer refunds credited by the market.
        uint256 paidOut;
        uint256 fees;
        uint256 refunded;
        /// Number of payout events seen (settle, cancel, resolve, expire): at most one per job.
        uint256 closings;
    }

    /// @notice A status change that is not an edge of DataTypes.JobStatus.
    struct BadTransition {
        uint256 jobId;
        DataTypes.JobStatus from;
        DataTypes.JobStatus to;
        bytes4 action;
    }

    /// @notice A settlement whose payout + fee differs from what the job's record says is due.
    struct DueMismatch {
        uint256 jobId;
        uint256 expectedDue;
        uint256 paidDue;
        bytes4 action;
    }

    uint256[] public jobIds;
    mapping(uint256 jobId => JobGhost) internal _jobs;

    address[] public accounts;
    mapping(address account => bool) public isAccount;

    uint256 public timestamp;

    uint256 public totalDeposited;
    uint256 public totalWithdrawn;
    uint256 public totalFeesWithdrawn;
    /// @notice Token amounts the market's balance moved by that differ from the amount the action was about.
    uint256 public balanceDeltaMismatches;

    BadTransition[] internal _badTransitions;
    DueMismatch[] internal _dueMismatches;
    uint256 public transitionsChecked;

    mapping(bytes4 action => uint256) public calls;
    mapping(bytes4 action => uint256) public successes;

    constructor(uint256 startTimestamp) {
        timestamp = startTimestamp;
    }

    /*//////////////////////////////////////////////////////////////
                                 WRITES
    //////////////////////////////////////////////////////////////*/

    function setTimestamp(uint256 timestamp_) external {
        timestamp = timestamp_;
    }

    function addAccount(address account) public {
        if (account == address(0) || isAccount[account]) return;
        isAccount[account] = true;
        accounts.push(account);
    }

    function addJob(uint256 jobId, address buyer, uint32 teamId, uint256 budget) external {
        jobIds.push(jobId);
        JobGhost storage ghost = _jobs[jobId];
        ghost.buyer = buyer;
        ghost.teamId = teamId;
        ghost.deposited = budget;
        totalDeposited += budget;
        addAccount(buyer);
    }

    function addDeposit(uint256 jobId, uint256 amount) external {
        _jobs[jobId].deposited += amount;
        totalDeposited += amount;
    }

    function addClosing(uint256 jobId, uint256 payout, uint256 fee, uint256 refund) external {
        JobGhost storage ghost = _jobs[jobId];
        ghost.paidOut += payout;
        ghost.fees += fee;
        ghost.refunded += refund;
        ghost.closings++;
    }

    function addWithdrawal(uint256 amount) external {
        totalWithdrawn += amount;
    }

    function addFeesWithdrawal(uint256 amount) external {
        totalFeesWithdrawn += amount;
    }

    function addBalanceDeltaMismatch() external {
        balanceDeltaMismatches++;
    }

    function addDueMismatch(uint256 jobId, uint256 expectedDue, uint256 paidDue, bytes4 action) external {
        _dueMismatches.push(DueMismatch(jobId, expectedDue, paidDue, action));
    }

    /// @notice Records a status change and keeps it if it is not an allowed edge.
    function recordTransition(uint256 jobId, DataTypes.JobStatus from, DataTypes.JobStatus to, bytes4 action) external {
        transitionsChecked++;
        if (!isAllowedEdge(from, to)) _badTransitions.push(BadTransition(jobId, from, to, action));
    }

    function countCall(bytes4 action, bool success) external {
        calls[action]++;
        if (success) successes[action]++;
    }

    /*//////////////////////////////////////////////////////////////
                                 READS
    //////////////////////////////////////////////////////////////*/

    function jobCount() external view returns (uint256) {
        return jobIds.length;
    }

    function accountCount() external view returns (uint256) {
        return accounts.length;
    }

    function ghostJob(uint256 jobId) external view returns (JobGhost memory) {
        return _jobs[jobId];
    }

    function badTransitionCount() external view returns (uint256) {
        return _badTransitions.length;
    }

    function badTransition(uint256 index) external view returns (BadTransition memory) {
        return _badTransitions[index];
    }

    function dueMismatchCount() external view returns (uint256) {
        return _dueMismatches.length;
    }

    function dueMismatch(uint256 index) external view returns (DueMismatch memory) {
        return _dueMismatches[index];
    }

    /// @notice The edges of DataTypes.JobStatus's NatSpec, plus None → Open (submission). A status that does not change
    /// is not a transition.
    function isAllowedEdge(DataTypes.JobStatus from, DataTypes.JobStatus to) public pure returns (bool) {
        if (from == to) {
            // Routed → Routed and Accepted → Accepted (re-route) are edges; for the other statuses "no change".
            return true;
        }
        if (from == DataTypes.JobStatus.None) return to == DataTypes.JobStatus.Open;
        if (from == DataTypes.JobStatus.Open) {
            return to == DataTypes.JobStatus.Routed || to == DataTypes.JobStatus.Accepted
                || to == DataTypes.JobStatus.Cancelled || to == DataTypes.JobStatus.Expired;
        }
        if (from == DataTypes.JobStatus.Routed) {
            return to == DataTypes.JobStatus.Accepted || to == DataTypes.JobStatus.Open
                || to == DataTypes.JobStatus.Cancelled || to == DataTypes.JobStatus.Expired;
        }
        if (from == DataTypes.JobStatus.Accepted) {
            return to == DataTypes.JobStatus.Running || to == DataTypes.JobStatus.Routed
                || to == DataTypes.JobStatus.Cancelled || to == DataTypes.JobStatus.Expired;
        }
        if (from == DataTypes.JobStatus.Running) {
            return to == DataTypes.JobStatus.Completed || to == DataTypes.JobStatus.Cancelled
                || to == DataTypes.JobStatus.Disputed;
        }
        if (from == DataTypes.JobStatus.Completed) {
            return to == DataTypes.JobStatus.Settled || to == DataTypes.JobStatus.Disputed;
        }
        if (from == DataTypes.JobStatus.Disputed) return to == DataTypes.JobStatus.Resolved;
        // Settled, Cancelled, Expired, Resolved are final.
        return false;
    }

    /// @notice Whether no more money can move for the job.
    function isFinal(DataTypes.JobStatus status) public pure returns (bool) {
        return status == DataTypes.JobStatus.Settled || status == DataTypes.JobStatus.Cancelled
            || status == DataTypes.JobStatus.Expired || status == DataTypes.JobStatus.Resolved;
    }
}
