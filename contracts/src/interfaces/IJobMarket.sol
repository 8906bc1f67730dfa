// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {DataTypes} from "../types/DataTypes.sol";

/// @title IJobMarket
/// @notice Buyers post GPU jobs with a USDC budget held in escrow; the keeper commits verifiable routes; providers run
/// the jobs; escrow pays them (pull payments) when the work is done.
interface IJobMarket {
    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @notice Emitted when a job is submitted and its budget deposited.
    event JobSubmitted(
        uint256 indexed jobId,
        address indexed buyer,
        uint256 indexed teamId,
        uint256 budget,
        bytes32 specHash,
        uint48 maxPricePerGpuHour,
        uint16 gpuCount,
        uint32 duration,
        uint40 startBy,
        bool autoAccept,
        bool tracked,
        bool allowExternal
    );
    /// @notice Emitted for tracked jobs only: the full spec, with the job document, right after `JobSubmitted`.
    event JobSpecPublished(uint256 indexed jobId, DataTypes.JobSpec spec);
    /// @notice Emitted when the keeper commits a route (round 1) or re-routes (round > 1).
    event RouteCommitted(
        uint256 indexed jobId,
        uint8 indexed round,
        bytes32 indexed providerRef,
        address provider,
        uint256 offerId,
        string market,
        string externalId,
        uint48 pricePerGpuHour,
        bytes32 logRoot,
        bytes32 decisionHash,
        bytes32 sdlHash,
        address keeper,
        bool autoAccepted,
        uint32 startDeadline
    );
    /// @notice Emitted when the buyer accepts the route.
    event RouteAccepted(uint256 indexed jobId, uint8 indexed round, uint32 startDeadline);
    /// @notice Emitted when the buyer rejects the route; the job is open again.
    event RouteRejected(uint256 indexed jobId, uint8 indexed round);
    /// @notice Emitted when the provider (or the keeper, for an external market) starts the job.
    event JobStarted(uint256 indexed jobId, address indexed operator, uint32 startedAt);
    /// @notice Emitted when the provider (or the keeper, for an external market) reports completion.
    event JobCompleted(uint256 indexed jobId, address indexed operator, bytes32 resultHash, uint32 completedAt);
    /// @notice Emitted when a completed job is settled (by the buyer's confirmation or after the dispute window).
    event JobSettled(uint256 indexed jobId, address indexed payee, uint256 payout, uint256 fee, uint256 refund);
    /// @notice Emitted when the buyer disputes a running or completed job.
    event JobDisputed(uint256 indexed jobId, address indexed buyer, bytes32 reasonHash);
    /// @notice Emitted when the arbiter resolves a dispute.
    event DisputeResolved(
        uint256 indexed jobId,
        address indexed arbiter,
        uint16 providerShareBps,
        uint256 payout,
        uint256 fee,
        uint256 refund
    );
    /// @notice Emitted when a dispute the arbiter did not resolve within the dispute timeout is settled by the default
    /// rule (the provider gets `providerShareBps` of the amount due, the rest is refunded).
    event DisputeSettledByDefault(
        uint256 indexed jobId,
        address indexed caller,
        uint16 providerShareBps,
        uint256 payout,
        uint256 fee,
        uint256 refund
    );
    /// @notice Emitted when the buyer cancels a job (pro-rata payment if it was running).
    event JobCancelled(uint256 indexed jobId, address indexed payee, uint256 payout, uint256 fee, uint256 refund);
    /// @notice Emitted when a job that was not started by its start-by time is expired and refunded.
    event JobExpired(uint256 indexed jobId, uint256 refund);
    /// @notice Emitted when the buyer adds budget and run time.
    event JobToppedUp(uint256 indexed jobId, uint256 amount, uint32 extraDuration, uint32 duration, uint256 balance);

    /// @notice Emitted when escrow credits an account's withdrawable balance.
    event PaymentCredited(address indexed account, uint256 indexed jobId, uint256 amount, uint256 withdrawable);
    /// @notice Emitted when protocol fees accrue.
    event FeeAccrued(uint256 indexed jobId, uint256 amount, uint256 accruedFees);
    /// @notice Emitted when an account withdraws.
    event Withdrawn(address indexed account, address indexed to, uint256 amount);
    /// @notice Emitted when accrued fees are sent to the treasury.
    event FeesWithdrawn(address indexed treasury, uint256 amount);

    /// @notice Emitted when the protocol fee changes.
    event ProtocolFeeSet(uint16 feeBps);
    /// @notice Emitted when the treasury changes.
    event TreasurySet(address indexed treasury);
    /// @notice Emitted when the market's time windows change.
    event WindowsSet(uint32 startWindow, uint32 disputeWindow, uint32 defaultStartBy);
    /// @notice Emitted when the dispute timeout changes.
    event DisputeTimeoutSet(uint32 disputeTimeout);
    /// @notice Emitted when the terms new jobs agree to change (fee, dispute window or dispute timeout); jobs submitted
    /// from now on carry `termsId`.
    event TermsSet(uint16 indexed termsId, uint16 feeBps, uint32 disputeWindow, uint32 disputeTimeout);
    /// @notice Emitted when the market is paused (same signature as OpenZeppelin's Pausable).
    event Paused(address account);
    /// @notice Emitted when the market is unpaused (same signature as OpenZeppelin's Pausable).
    event Unpaused(address account);
    /// @notice Emitted when an external market's settlement account is set (zero disables the market).
    event MarketSettlementSet(bytes32 indexed marketKey, string market, address account);

    /*//////////////////////////////////////////////////////////////
                                 BUYER
    //////////////////////////////////////////////////////////////*/

    /// @notice Submits a job and pulls `budget` USDC into escrow (needs a prior approval). A tracked job carries its
    /// document, which must hash to `specHash` (keccak256 of its bytes) and is published in `JobSpecPublished`; an
    /// untracked job's document must be empty.
    /// @param budget USDC (6 decimals); at least maxPricePerGpuHour × gpuCount × duration / 3600.
    /// @return jobId The new job's id (starts at 1).
    function submitJob(DataTypes.JobSpec calldata spec, uint256 budget) external returns (uint256 jobId);

    /// @notice Submits a job with an EIP-2612 permit in the same call. A front-run permit does not block submission:
    /// if the permit was already used, the existing allowance is used.
    function submitJobWithPermit(
        DataTypes.JobSpec calldata spec,
        uint256 budget,
        uint256 permitDeadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (uint256 jobId);

    /// @notice Accepts the keeper's route (jobs without autoAccept). Buyer only.
    function acceptRoute(uint256 jobId) external;

    /// @notice Rejects the keeper's route; the job is open for a new route. Buyer only.
    function rejectRoute(uint256 jobId) external;

    /// @notice Cancels a job. Before start: full refund. While running: the provider is paid pro-rata for the elapsed
    /// time, the rest is refunded. Buyer only.
    function cancelJob(uint256 jobId) external;

    /// @notice Confirms a completed job and settles it at once. Buyer only.
    function confirmJob(uint256 jobId) external;

    /// @notice Disputes a running job or a completed job within the dispute window. Buyer only.
    function disputeJob(uint256 jobId, bytes32 reasonHash) external;

    /// @notice Adds budget and run time to a job that has not finished. Buyer only.
    function topUp(uint256 jobId, uint256 amount, uint32 extraDuration) external;

    /*//////////////////////////////////////////////////////////////
                            KEEPER, PROVIDER
    //////////////////////////////////////////////////////////////*/

    /// @notice Commits a route for an open job, or re-routes a job whose provider did not start by its start
    /// deadline. Keeper role only.
    function commitRoute(uint256 jobId, DataTypes.RouteInput calldata route) external;

    /// @notice Starts an accepted job. The routed provider's wallet, or the keeper for an external market.
    /// @dev A start after the start deadline is still accepted until the keeper re-routes the job (first come, first
    /// served): the buyer gets the job run either way. It must happen by the job's start-by time.
    function startJob(uint256 jobId) external;

    /// @notice Reports a running job as completed. The routed provider's wallet, or the keeper for an external market.
    function completeJob(uint256 jobId, bytes32 resultHash) external;

    /// @notice Settles a completed job once the dispute window has closed. Anyone.
    function settleJob(uint256 jobId) external;

    /// @notice Expires a job not started by its start-by time and refunds the buyer. Anyone.
    function expireJob(uint256 jobId) external;

    /// @notice Resolves a dispute: the provider gets `providerShareBps` of the amount due, the rest is refunded.
    /// Arbiter role only. Allowed as long as the job is disputed, also after the dispute timeout.
    function resolveDispute(uint256 jobId, uint16 providerShareBps) external;

    /// @notice Settles a dispute the arbiter left unresolved, once the job's dispute timeout has passed after its
    /// dispute window: the provider gets `DISPUTE_DEFAULT_SHARE_BPS` of the amount due, the rest is refunded. Anyone.
    function settleDispute(uint256 jobId) external;

    /*//////////////////////////////////////////////////////////////
                                 ESCROW
    //////////////////////////////////////////////////////////////*/

    /// @notice Sends the caller's whole withdrawable balance to the caller.
    function withdraw() external;

    /// @notice Sends the caller's whole withdrawable balance to `to`.
    function withdrawTo(address to) external;

    /// @notice Sends accrued protocol fees to the treasury. Anyone.
    function withdrawFees() external;

    /*//////////////////////////////////////////////////////////////
                                 ADMIN
    //////////////////////////////////////////////////////////////*/

    /// @notice Sets the protocol fee (at most 1,000 bps). Admin role.
    /// @dev Applies to jobs submitted from then on; earlier jobs keep the fee they were submitted under.
    function setProtocolFee(uint16 feeBps) external;

    /// @notice Sets the treasury. Admin role.
    function setTreasury(address treasury) external;

    /// @notice Sets the start window (after a route binds), the dispute window (after completion) and the default
    /// start-by delay (after submission), each between 1 second and `MAX_WINDOW`. Admin role.
    /// @dev The dispute window applies to jobs submitted from then on; the start window and start-by delay to every
    /// route and submission from then on.
    function setWindows(uint32 startWindow, uint32 disputeWindow, uint32 defaultStartBy) external;

    /// @notice Sets the dispute timeout (between 1 second and `MAX_WINDOW`). Admin role. Applies to jobs submitted
    /// from then on.
    function setDisputeTimeout(uint32 disputeTimeout) external;

    /// @notice Sets (or clears, with zero) the settlement account of an external market. Admin role.
    function setMarketSettlement(string calldata market, address account) external;

    /// @notice Pauses submissions and routing. Pauser role.
    function pause() external;

    /// @notice Unpauses. Pauser role.
    function unpause() external;

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @notice A job's stored record, unpacked, with the terms it was submitted under.
    function getJob(uint256 jobId) external view returns (DataTypes.Job memory);

    /// @notice The terms of version `termsId` (zero for an unknown version).
    function terms(uint16 termsId) external view returns (DataTypes.Terms memory);

    /// @notice The terms version new jobs are submitted under.
    function currentTermsId() external view returns (uint16);

    /// @notice Whether submissions and routing are paused.
    function paused() external view returns (bool);

    /// @notice USDC owed now to the routed provider if the job were settled (elapsed time, capped at duration).
    function amountDue(uint256 jobId) external view returns (uint256);

    /// @notice An account's withdrawable balance.
    function withdrawable(address account) external view returns (uint256);

    /// @notice Protocol fees accrued and not yet withdrawn.
    function accruedFees() external view returns (uint256);

    /// @notice The settlement account of an external market (zero if disabled).
    function settlementAccount(string calldata market) external view returns (address);

    /// @notice Number of jobs ever submitted.
    function jobCount() external view returns (uint256);

    /// @notice The USDC token.
    function usdc() external view returns (address);
}
