// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {IAccessManager} from "@openzeppelin/contracts/access/manager/IAccessManager.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

import {Escrow} from "./Escrow.sol";
import {IJobMarket} from "./interfaces/IJobMarket.sol";
import {IProviderRegistry} from "./interfaces/IProviderRegistry.sol";
import {ITeamRegistry} from "./interfaces/ITeamRegistry.sol";
import {Errors} from "./libraries/Errors.sol";
import {Roles} from "./libraries/Roles.sol";
import {DataTypes} from "./types/DataTypes.sol";

/// @title JobMarket
/// @notice Buyers post GPU jobs with a USDC budget held in escrow; the keeper commits verifiable routes (0G log root and
/// decision hash) to an on-chain provider's offer or to an external market (Akash, io.net, …); the provider (or the
/// keeper, for an external market) starts and completes the job; the buyer confirms, or anyone settles after the
/// dispute window; the arbiter resolves disputes. Payments are credited and withdrawn (pull payments).
/// @dev Design decisions:
/// - The escrow is an abstract base (`Escrow`), not a separate contract: the tokens and the job records live in one
///   contract, so "only the JobMarket moves escrow" holds by construction, and every settlement saves the external
///   calls, cold accesses and duplicated per-job bookkeeping a separate vault would cost.
/// - A job is 3 storage slots; routes, specs, log roots and result hashes are only emitted. Market parameters and the
///   job counter share one slot.
/// - `Job.external_` stores the buyer's `allowExternal` flag. Whether the current route is external is derived from
///   the operator: an on-chain route's operator is a registered provider (non-zero `payoutOf`); an external route's
///   operator is the market's settlement account, which `setMarketSettlement` requires not to be a registered
///   provider. Should a settlement account register as a provider later, its own key chooses where that route's pay
///   goes, so no third party gains anything.
/// - Billing is per second: `price × gpuCount × min(end − startedAt, duration) / 3600`, rounded down; the budget must
///   cover the buyer's max price for the whole duration (rounded up), so the amount due never exceeds the balance.
/// - Status edges are those of `DataTypes.JobStatus`. A re-route is allowed only after the start deadline of a bound
///   route; a route that waits for the buyer's acceptance has no start deadline, so only the buyer's rejection (or
///   expiry) frees it. A repeated commit for a routed job reverts with `JobMarket_InvalidStatus`.
contract JobMarket is IJobMarket, Escrow, AccessManaged, Pausable {
    /// @dev Highest protocol fee, in basis points.
    uint16 public constant MAX_FEE_BPS = 1000;
    uint256 private constant BPS = 10_000;
    uint256 private constant SECONDS_PER_HOUR = 3600;
    uint256 private constant MAX_MARKET_LENGTH = 32;

    /// @dev Market parameters and the job counter, packed into one slot read by every hot path.
    struct Params {
        uint64 jobCount;
        uint32 startWindow;
        uint32 disputeWindow;
        uint32 defaultStartBy;
        uint16 feeBps;
    }

    /// @dev The non-indexed fields of `RouteCommitted`, in declaration order.
    struct RouteCommittedData {
        address provider;
        uint256 offerId;
        string market;
        string externalId;
        uint48 pricePerGpuHour;
        bytes32 logRoot;
        bytes32 decisionHash;
        bytes32 sdlHash;
        address keeper;
        bool autoAccepted;
        uint32 startDeadline;
    }

    IProviderRegistry private immutable _providerRegistry;
    ITeamRegistry private immutable _teamRegistry;

    mapping(uint256 jobId => DataTypes.Job) private _jobs;
    Params private _params;
    mapping(bytes32 marketKey => address) private _settlementAccounts;

    /// @param authority The deployment's AccessManager.
    /// @param usdc_ The USDC token.
    /// @param providerRegistry_ The provider registry.
    /// @param teamRegistry_ The team registry (this market needs its MARKET role).
    /// @param treasury_ Receiver of protocol fees.
    /// @param feeBps Protocol fee, at most `MAX_FEE_BPS`.
    /// @param startWindow Seconds a provider has to start a job once its route binds.
    /// @param disputeWindow Seconds the buyer has to dispute a completed job.
    /// @param defaultStartBy Seconds after submission by which a job must start when its spec sets no start-by.
    constructor(
        address authority,
        address usdc_,
        address providerRegistry_,
        address teamRegistry_,
        address treasury_,
        uint16 feeBps,
        uint32 startWindow,
        uint32 disputeWindow,
        uint32 defaultStartBy
    ) Escrow(usdc_) AccessManaged(authority) {
        if (providerRegistry_ == address(0) || teamRegistry_ == address(0)) {
            revert Errors.ZeroAddress();
        }
        _providerRegistry = IProviderRegistry(providerRegistry_);
        _teamRegistry = ITeamRegistry(teamRegistry_);
        _setProtocolFee(feeBps);
        _setTreasury(treasury_);
        _setWindows(startWindow, disputeWindow, defaultStartBy);
    }

    /*//////////////////////////////////////////////////////////////
                                 BUYER
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IJobMarket
    function submitJob(DataTypes.JobSpec calldata spec, uint256 budget)
        external
        whenNotPaused
        nonReentrant
        returns (uint256 jobId)
    {
        jobId = _submit(spec, budget);
    }

    /// @inheritdoc IJobMarket
    function submitJobWithPermit(
        DataTypes.JobSpec calldata spec,
        uint256 budget,
        uint256 permitDeadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external whenNotPaused nonReentrant returns (uint256 jobId) {
        // A permit front-run (or already used) fails here; the transfer then relies on the existing allowance.
        try IERC20Permit(address(_usdc)).permit(msg.sender, address(this), budget, permitDeadline, v, r, s) {} catch {}
        jobId = _submit(spec, budget);
    }

    /// @inheritdoc IJobMarket
    function acceptRoute(uint256 jobId) external {
        DataTypes.Job storage job = _buyerJob(jobId);
        _requireStatus(jobId, job.status, DataTypes.JobStatus.Routed);
        _requireBeforeStartBy(jobId, job.startBy);
        uint32 startDeadline = uint32(block.timestamp + _params.startWindow);
        job.status = DataTypes.JobStatus.Accepted;
        job.startDeadline = startDeadline;
        emit RouteAccepted(jobId, job.round, startDeadline);
    }

    /// @inheritdoc IJobMarket
    function rejectRoute(uint256 jobId) external {
        DataTypes.Job storage job = _buyerJob(jobId);
        _requireStatus(jobId, job.status, DataTypes.JobStatus.Routed);
        job.status = DataTypes.JobStatus.Open;
        job.pricePerGpuHour = 0;
        job.operator = address(0);
        emit RouteRejected(jobId, job.round);
    }

    /// @inheritdoc IJobMarket
    function cancelJob(uint256 jobId) external {
        DataTypes.Job storage job = _buyerJob(jobId);
        DataTypes.JobStatus status = job.status;
        uint256 balance = job.balance;
        address payee;
        uint256 payout;
        uint256 fee;
        uint256 refund = balance;
        if (status == DataTypes.JobStatus.Running) {
            uint256 due = _due(job, block.timestamp);
            payee = _payee(job.operator);
            (payout, fee, refund) = _split(balance, due, _params.feeBps);
        } else if (!_isPending(status)) {
            revert Errors.JobMarket_InvalidStatus(jobId, status);
        }
        job.status = DataTypes.JobStatus.Cancelled;
        job.balance = 0;
        emit JobCancelled(jobId, payee, payout, fee, refund);
        _distribute(jobId, payee, payout, fee, job.buyer, refund);
        _releaseTeamSpend(job.teamId, jobId, refund);
    }

    /// @inheritdoc IJobMarket
    function confirmJob(uint256 jobId) external {
        DataTypes.Job storage job = _buyerJob(jobId);
        _requireStatus(jobId, job.status, DataTypes.JobStatus.Completed);
        _settle(jobId, job);
    }

    /// @inheritdoc IJobMarket
    /// @dev Disputing a running job stops its billing clock (`completedAt` is set to now).
    function disputeJob(uint256 jobId, bytes32 reasonHash) external {
        DataTypes.Job storage job = _buyerJob(jobId);
        DataTypes.JobStatus status = job.status;
        if (status == DataTypes.JobStatus.Running) {
            job.completedAt = uint32(block.timestamp);
        } else if (status == DataTypes.JobStatus.Completed) {
            uint256 closesAt = uint256(job.completedAt) + _params.disputeWindow;
            if (block.timestamp >= closesAt) revert Errors.JobMarket_DisputeWindowClosed(jobId, closesAt);
        } else {
            revert Errors.JobMarket_InvalidStatus(jobId, status);
        }
        job.status = DataTypes.JobStatus.Disputed;
        emit JobDisputed(jobId, msg.sender, reasonHash);
    }

    /// @inheritdoc IJobMarket
    /// @dev The new balance must cover the buyer's max price for the new duration. Team jobs count the top-up against
    /// the team's cap.
    function topUp(uint256 jobId, uint256 amount, uint32 extraDuration) external whenNotPaused nonReentrant {
        DataTypes.Job storage job = _buyerJob(jobId);
        DataTypes.JobStatus status = job.status;
        if (!_isPending(status) && status != DataTypes.JobStatus.Running) {
            revert Errors.JobMarket_InvalidStatus(jobId, status);
        }
        if (amount == 0) revert Errors.ZeroAmount();
        uint256 duration = uint256(job.duration) + extraDuration;
        uint256 balance = job.balance + amount;
        if (duration > type(uint32).max || balance > type(uint96).max) revert Errors.JobMarket_Overflow();
        uint256 required = _required(job.maxPricePerGpuHour, job.gpuCount, duration);
        if (balance < required) revert Errors.JobMarket_InsufficientBudget(balance, required);
        job.duration = uint32(duration);
        job.balance = uint96(balance);
        emit JobToppedUp(jobId, amount, extraDuration, uint32(duration), balance);
        uint32 teamId = job.teamId;
        if (teamId != 0) _teamRegistry.recordSpend(teamId, jobId, msg.sender, amount);
        _deposit(msg.sender, amount);
    }

    /*//////////////////////////////////////////////////////////////
                            KEEPER, PROVIDER
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IJobMarket
    function commitRoute(uint256 jobId, DataTypes.RouteInput calldata route) external restricted whenNotPaused {
        DataTypes.Job storage job = _jobs[jobId];
        DataTypes.JobStatus status = job.status;
        if (status == DataTypes.JobStatus.Routed || status == DataTypes.JobStatus.Accepted) {
            // Re-route: only once the bound route's start deadline passed. Same-round repeats land here too.
            uint32 deadline = job.startDeadline;
            if (deadline == 0 || block.timestamp <= deadline) revert Errors.JobMarket_InvalidStatus(jobId, status);
        } else if (status != DataTypes.JobStatus.Open) {
            _revertStatus(jobId, status);
        }
        _requireBeforeStartBy(jobId, job.startBy);
        uint8 round = job.round;
        if (round == type(uint8).max) revert Errors.JobMarket_TooManyRounds(jobId);
        uint48 price = route.pricePerGpuHour;
        uint48 maxPrice = job.maxPricePerGpuHour;
        if (price > maxPrice) revert Errors.JobMarket_PriceAboveMax(price, maxPrice);

        (address operator, address provider) = _routeOperator(job, route);
        bool autoAccept = job.autoAccept;
        uint32 startDeadline = autoAccept ? uint32(block.timestamp + _params.startWindow) : 0;
        // Cannot overflow: round < 255, checked above.
        unchecked {
            ++round;
        }
        job.status = autoAccept ? DataTypes.JobStatus.Accepted : DataTypes.JobStatus.Routed;
        job.round = round;
        job.pricePerGpuHour = price;
        job.operator = operator;
        job.startDeadline = startDeadline;
        _emitRouteCommitted(jobId, route, provider);
    }

    /// @inheritdoc IJobMarket
    function startJob(uint256 jobId) external {
        DataTypes.Job storage job = _jobs[jobId];
        _requireStatus(jobId, job.status, DataTypes.JobStatus.Accepted);
        _requireBeforeStartBy(jobId, job.startBy);
        address operator = job.operator;
        _checkOperator(jobId, operator);
        uint32 startedAt = uint32(block.timestamp);
        job.status = DataTypes.JobStatus.Running;
        job.startedAt = startedAt;
        emit JobStarted(jobId, operator, startedAt);
    }

    /// @inheritdoc IJobMarket
    function completeJob(uint256 jobId, bytes32 resultHash) external {
        DataTypes.Job storage job = _jobs[jobId];
        _requireStatus(jobId, job.status, DataTypes.JobStatus.Running);
        address operator = job.operator;
        _checkOperator(jobId, operator);
        uint32 completedAt = uint32(block.timestamp);
        job.status = DataTypes.JobStatus.Completed;
        job.completedAt = completedAt;
        emit JobCompleted(jobId, operator, resultHash, completedAt);
    }

    /// @inheritdoc IJobMarket
    /// @dev The buyer may settle at any time (like `confirmJob`); anyone else once the dispute window closed.
    function settleJob(uint256 jobId) external {
        DataTypes.Job storage job = _jobs[jobId];
        _requireStatus(jobId, job.status, DataTypes.JobStatus.Completed);
        if (msg.sender != job.buyer) {
            uint256 closesAt = uint256(job.completedAt) + _params.disputeWindow;
            if (block.timestamp < closesAt) revert Errors.JobMarket_DisputeWindowOpen(jobId, closesAt);
        }
        _settle(jobId, job);
    }

    /// @inheritdoc IJobMarket
    function expireJob(uint256 jobId) external {
        DataTypes.Job storage job = _jobs[jobId];
        DataTypes.JobStatus status = job.status;
        if (!_isPending(status)) _revertStatus(jobId, status);
        uint40 startBy = job.startBy;
        if (block.timestamp <= startBy) revert Errors.JobMarket_NotExpired(jobId, startBy);
        uint256 refund = job.balance;
        job.status = DataTypes.JobStatus.Expired;
        job.balance = 0;
        emit JobExpired(jobId, refund);
        _credit(job.buyer, jobId, refund);
        _releaseTeamSpend(job.teamId, jobId, refund);
    }

    /// @inheritdoc IJobMarket
    /// @dev The amount due is frozen when the dispute is raised (completion time, or dispute time for a running job).
    function resolveDispute(uint256 jobId, uint16 providerShareBps) external restricted {
        DataTypes.Job storage job = _jobs[jobId];
        _requireStatus(jobId, job.status, DataTypes.JobStatus.Disputed);
        if (providerShareBps > BPS) revert Errors.JobMarket_InvalidBps(providerShareBps);
        uint256 balance = job.balance;
        // Cannot overflow: the amount due is below 2^96 (see `_due`) and the share at most 10,000.
        uint256 providerAmount;
        unchecked {
            providerAmount = _due(job, job.completedAt) * providerShareBps / BPS;
        }
        address payee = _payee(job.operator);
        (uint256 payout, uint256 fee, uint256 refund) = _split(balance, providerAmount, _params.feeBps);
        job.status = DataTypes.JobStatus.Resolved;
        job.balance = 0;
        emit DisputeResolved(jobId, msg.sender, providerShareBps, payout, fee, refund);
        _distribute(jobId, payee, payout, fee, job.buyer, refund);
        _releaseTeamSpend(job.teamId, jobId, refund);
    }

    /*//////////////////////////////////////////////////////////////
                                 ADMIN
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IJobMarket
    function setProtocolFee(uint16 feeBps) external restricted {
        _setProtocolFee(feeBps);
    }

    /// @inheritdoc IJobMarket
    function setTreasury(address treasury_) external restricted {
        _setTreasury(treasury_);
    }

    /// @inheritdoc IJobMarket
    function setWindows(uint32 startWindow, uint32 disputeWindow, uint32 defaultStartBy) external restricted {
        _setWindows(startWindow, disputeWindow, defaultStartBy);
    }

    /// @inheritdoc IJobMarket
    /// @dev The account must not be a registered provider (the market tells on-chain from external routes that way).
    function setMarketSettlement(string calldata market, address account) external restricted {
        uint256 length = bytes(market).length;
        if (length == 0 || length > MAX_MARKET_LENGTH) revert Errors.InvalidString();
        if (account != address(0) && _providerRegistry.payoutOf(account) != address(0)) {
            revert Errors.JobMarket_InvalidParameter();
        }
        bytes32 marketKey = keccak256(bytes(market));
        _settlementAccounts[marketKey] = account;
        emit MarketSettlementSet(marketKey, market, account);
    }

    /// @inheritdoc IJobMarket
    function pause() external restricted {
        _pause();
    }

    /// @inheritdoc IJobMarket
    function unpause() external restricted {
        _unpause();
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IJobMarket
    /// @dev A zero record (status None) for an unknown id.
    function getJob(uint256 jobId) external view returns (DataTypes.Job memory) {
        return _jobs[jobId];
    }

    /// @inheritdoc IJobMarket
    /// @dev Running: elapsed until now; Completed or Disputed: until completion (or dispute); otherwise 0.
    function amountDue(uint256 jobId) external view returns (uint256) {
        DataTypes.Job storage job = _jobs[jobId];
        DataTypes.JobStatus status = job.status;
        if (status == DataTypes.JobStatus.Running) return _due(job, block.timestamp);
        if (status == DataTypes.JobStatus.Completed || status == DataTypes.JobStatus.Disputed) {
            return _due(job, job.completedAt);
        }
        return 0;
    }

    /// @inheritdoc IJobMarket
    function settlementAccount(string calldata market) external view returns (address) {
        return _settlementAccounts[keccak256(bytes(market))];
    }

    /// @inheritdoc IJobMarket
    function jobCount() external view returns (uint256) {
        return _params.jobCount;
    }

    /// @notice The provider registry.
    function providerRegistry() external view returns (address) {
        return address(_providerRegistry);
    }

    /// @notice The team registry.
    function teamRegistry() external view returns (address) {
        return address(_teamRegistry);
    }

    /// @notice The protocol fee, in basis points of the amount due.
    function protocolFeeBps() external view returns (uint16) {
        return _params.feeBps;
    }

    /// @notice The start window, dispute window and default start-by delay, in seconds.
    function windows() external view returns (uint32 startWindow, uint32 disputeWindow, uint32 defaultStartBy) {
        Params memory params = _params;
        return (params.startWindow, params.disputeWindow, params.defaultStartBy);
    }

    /*//////////////////////////////////////////////////////////////
                                INTERNAL
    //////////////////////////////////////////////////////////////*/

    function _submit(DataTypes.JobSpec calldata spec, uint256 budget) private returns (uint256 jobId) {
        uint48 maxPrice = spec.maxPricePerGpuHour;
        uint16 gpuCount = spec.gpuCount;
        uint32 duration = spec.duration;
        if (gpuCount == 0 || duration == 0 || maxPrice == 0) revert Errors.JobMarket_InvalidSpec();
        Params memory params = _params;
        uint40 startBy = spec.startBy;
        if (startBy == 0) {
            // Cannot overflow: a timestamp plus a uint32 fits in 40 bits for millennia.
            unchecked {
                startBy = uint40(block.timestamp + params.defaultStartBy);
            }
        } else if (startBy <= block.timestamp) {
            revert Errors.JobMarket_InvalidSpec();
        }
        uint256 required = _required(maxPrice, gpuCount, duration);
        if (budget < required) revert Errors.JobMarket_InsufficientBudget(budget, required);
        if (budget > type(uint96).max) revert Errors.JobMarket_Overflow();
        // Cannot overflow: one job per transaction never reaches 2^64.
        unchecked {
            jobId = uint256(params.jobCount) + 1;
        }
        _params.jobCount = uint64(jobId);
        uint32 teamId = spec.teamId;
        DataTypes.Job storage job = _jobs[jobId];
        job.buyer = msg.sender;
        job.startBy = startBy;
        job.status = DataTypes.JobStatus.Open;
        job.autoAccept = spec.autoAccept;
        job.tracked = spec.tracked;
        job.gpuCount = gpuCount;
        job.external_ = spec.allowExternal;
        job.balance = uint96(budget);
        job.maxPricePerGpuHour = maxPrice;
        job.duration = duration;
        job.teamId = teamId;
        _emitJobSubmitted(jobId, spec, budget, startBy);
        if (spec.tracked) emit JobSpecPublished(jobId, spec);
        if (teamId != 0) _teamRegistry.recordSpend(teamId, jobId, msg.sender, budget);
        _deposit(msg.sender, budget);
    }

    function _emitJobSubmitted(uint256 jobId, DataTypes.JobSpec calldata spec, uint256 budget, uint40 startBy) private {
        emit JobSubmitted(
            jobId,
            msg.sender,
            spec.teamId,
            budget,
            spec.specHash,
            spec.maxPricePerGpuHour,
            spec.gpuCount,
            spec.duration,
            startBy,
            spec.autoAccept,
            spec.tracked,
            spec.allowExternal
        );
    }

    /// @dev Validates a route and returns its operator (who starts and completes the job, and is paid) and, for an
    /// on-chain route, the provider.
    function _routeOperator(DataTypes.Job storage job, DataTypes.RouteInput calldata route)
        private
        view
        returns (address operator, address provider)
    {
        bytes32 providerRef = route.providerRef;
        if (bytes(route.market).length == 0) {
            if (uint256(providerRef) >> 160 != 0) revert Errors.JobMarket_InvalidProviderRef(providerRef);
            provider = address(uint160(uint256(providerRef)));
            (bool usable, uint48 offerPrice,) = _providerRegistry.routeInfo(provider, route.offerId);
            if (!usable) revert Errors.JobMarket_ProviderNotActive(providerRef);
            if (route.pricePerGpuHour != offerPrice) {
                revert Errors.JobMarket_PriceMismatch(route.pricePerGpuHour, offerPrice);
            }
            operator = provider;
        } else {
            if (bytes(route.externalId).length == 0) revert Errors.InvalidString();
            if (providerRef != keccak256(abi.encode(route.market, route.externalId))) {
                revert Errors.JobMarket_InvalidProviderRef(providerRef);
            }
            operator = _settlementAccounts[keccak256(bytes(route.market))];
            if (!job.external_ || operator == address(0)) revert Errors.JobMarket_MarketNotAllowed(route.market);
        }
    }

    /// @dev Emits `RouteCommitted` for the route just stored. The event has 14 fields, more than the legacy code
    /// generator can keep on the stack, so its data is ABI-encoded from a memory struct with the same field order and
    /// logged in assembly (topics: signature, jobId, round, providerRef — as declared).
    function _emitRouteCommitted(uint256 jobId, DataTypes.RouteInput calldata route, address provider) private {
        DataTypes.Job storage job = _jobs[jobId];
        RouteCommittedData memory data;
        data.provider = provider;
        data.offerId = provider == address(0) ? 0 : route.offerId;
        data.market = route.market;
        data.externalId = route.externalId;
        data.pricePerGpuHour = route.pricePerGpuHour;
        data.logRoot = route.logRoot;
        data.decisionHash = route.decisionHash;
        data.sdlHash = route.sdlHash;
        data.keeper = msg.sender;
        data.autoAccepted = job.autoAccept;
        data.startDeadline = job.startDeadline;
        // abi.encode of a dynamic struct starts with its offset (0x20): the event data is what follows.
        bytes memory encoded = abi.encode(data);
        bytes32 signature = RouteCommitted.selector;
        uint256 round = job.round;
        bytes32 providerRef = route.providerRef;
        assembly ("memory-safe") {
            log4(add(encoded, 0x40), sub(mload(encoded), 0x20), signature, jobId, round, providerRef)
        }
    }

    function _settle(uint256 jobId, DataTypes.Job storage job) private {
        uint256 balance = job.balance;
        uint256 due = _due(job, job.completedAt);
        address payee = _payee(job.operator);
        (uint256 payout, uint256 fee, uint256 refund) = _split(balance, due, _params.feeBps);
        job.status = DataTypes.JobStatus.Settled;
        job.balance = 0;
        emit JobSettled(jobId, payee, payout, fee, refund);
        _distribute(jobId, payee, payout, fee, job.buyer, refund);
        _releaseTeamSpend(job.teamId, jobId, refund);
    }

    /// @dev Credits the team back with a finished job's refund.
    function _releaseTeamSpend(uint32 teamId, uint256 jobId, uint256 refund) private {
        if (teamId != 0 && refund != 0) _teamRegistry.releaseSpend(teamId, jobId, refund);
    }

    /// @dev Reverts unless the caller is the job's operator, or holds the keeper role for an external route.
    function _checkOperator(uint256 jobId, address operator) private view {
        if (msg.sender == operator) return;
        if (_providerRegistry.payoutOf(operator) == address(0)) {
            (bool isKeeper,) = IAccessManager(authority()).hasRole(Roles.KEEPER, msg.sender);
            if (isKeeper) return;
        }
        revert Errors.JobMarket_NotOperator(jobId, msg.sender);
    }

    /// @dev Who is paid for a route: an on-chain provider's payout address (read now), else the settlement account.
    function _payee(address operator) private view returns (address) {
        address payout = _providerRegistry.payoutOf(operator);
        return payout == address(0) ? operator : payout;
    }

    /// @dev The amount due for a started job billed until `end`: price × GPUs × min(end − start, duration) / 3600.
    function _due(DataTypes.Job storage job, uint256 end) private view returns (uint256) {
        uint256 startedAt = job.startedAt;
        uint256 billed = end > startedAt ? end - startedAt : 0;
        uint256 duration = job.duration;
        if (billed > duration) billed = duration;
        // Cannot overflow: a uint48 × a uint16 × a value below 2^32 is below 2^96.
        unchecked {
            return uint256(job.pricePerGpuHour) * job.gpuCount * billed / SECONDS_PER_HOUR;
        }
    }

    /// @dev The budget a job needs: max price × GPUs × duration / 3600, rounded up.
    function _required(uint256 maxPrice, uint256 gpuCount, uint256 duration) private pure returns (uint256) {
        // Cannot overflow: a uint48 × a uint16 × a uint32 is below 2^96.
        unchecked {
            return (maxPrice * gpuCount * duration + SECONDS_PER_HOUR - 1) / SECONDS_PER_HOUR;
        }
    }

    function _buyerJob(uint256 jobId) private view returns (DataTypes.Job storage job) {
        job = _jobs[jobId];
        if (job.buyer != msg.sender) {
            if (job.status == DataTypes.JobStatus.None) revert Errors.JobMarket_UnknownJob(jobId);
            revert Errors.JobMarket_NotBuyer(jobId, msg.sender);
        }
    }

    /// @dev Open, Routed or Accepted: not started yet.
    function _isPending(DataTypes.JobStatus status) private pure returns (bool) {
        return status == DataTypes.JobStatus.Open || status == DataTypes.JobStatus.Routed
            || status == DataTypes.JobStatus.Accepted;
    }

    function _requireStatus(uint256 jobId, DataTypes.JobStatus status, DataTypes.JobStatus expected) private pure {
        if (status != expected) _revertStatus(jobId, status);
    }

    function _revertStatus(uint256 jobId, DataTypes.JobStatus status) private pure {
        if (status == DataTypes.JobStatus.None) revert Errors.JobMarket_UnknownJob(jobId);
        revert Errors.JobMarket_InvalidStatus(jobId, status);
    }

    function _requireBeforeStartBy(uint256 jobId, uint40 startBy) private view {
        if (block.timestamp > startBy) revert Errors.JobMarket_StartByPassed(jobId, startBy);
    }

    function _setProtocolFee(uint16 feeBps) private {
        if (feeBps > MAX_FEE_BPS) revert Errors.JobMarket_InvalidBps(feeBps);
        _params.feeBps = feeBps;
        emit ProtocolFeeSet(feeBps);
    }

    function _setWindows(uint32 startWindow, uint32 disputeWindow, uint32 defaultStartBy) private {
        if (startWindow == 0 || disputeWindow == 0 || defaultStartBy == 0) revert Errors.JobMarket_InvalidParameter();
        Params storage params = _params;
        params.startWindow = startWindow;
        params.disputeWindow = disputeWindow;
        params.defaultStartBy = defaultStartBy;
        emit WindowsSet(startWindow, disputeWindow, defaultStartBy);
    }
}
