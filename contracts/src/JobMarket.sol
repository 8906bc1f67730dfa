// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {IAccessManager} from "@openzeppelin/contracts/access/manager/IAccessManager.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";

import {Escrow} from "./Escrow.sol";
import {IJobMarket} from "./interfaces/IJobMarket.sol";
import {IProviderRegistry} from "./interfaces/IProviderRegistry.sol";
import {ITeamRegistry} from "./interfaces/ITeamRegistry.sol";
import {Billing} from "./libraries/Billing.sol";
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
/// - A job is 3 storage slots (`JobRecord`); routes, specs, documents, log roots and result hashes are only emitted.
///   Slot 1 holds all a route reads and writes besides its own slot 2, so a commit touches two job slots. What a
///   submission reads (job counter, default start-by, terms version, pause flag) shares one slot (`Params`), and what
///   a commit reads (the authority for the keeper check, the pause flag, the start window) another (`Gate`).
/// - Terms (protocol fee, dispute window, dispute timeout) are versioned: each change writes a new `Terms` entry and a
///   job stores the version it was submitted under, so a later change never alters what a running job agreed to.
/// - An on-chain route names an offer (`offerId != 0`); an external route has none and its operator is the market's
///   settlement account. The offer id tells the two apart wherever it matters (who may start, who is paid).
/// - Capacity: a route to an on-chain offer takes one of its free units when the keeper commits it (also for routes
///   that wait for the buyer's acceptance: the machine is held while the buyer decides) and gives it back when the job
///   leaves Routed/Accepted/Running: rejected, re-routed, cancelled, expired, completed or disputed while running. The
///   registry emits `OfferCapacityChanged` with the new free count for each change.
/// - Billing is per second (`Billing`): `price × gpuCount × min(end − startedAt, duration) / 3600`, rounded down; the
///   budget must cover the buyer's max price for the whole duration (rounded up), so the amount due never exceeds the
///   balance.
/// - Disputes: the arbiter resolves a dispute at any time while it is open. If the arbiter has not done so by the
///   job's dispute timeout (counted from the end of its dispute window), anyone may settle it by the default rule:
///   the provider gets `DISPUTE_DEFAULT_SHARE_BPS` (half) of the amount due and the buyer the rest. An absent arbiter
///   is neither side's fault, so neither side wins outright: a buyer cannot get the work free by disputing and
///   waiting, a provider cannot get paid in full for work the buyer contests, and both sides' funds are released.
/// - Status edges are those of `DataTypes.JobStatus`. A re-route is allowed only after the start deadline of a bound
///   route; a route that waits for the buyer's acceptance has no start deadline, so only the buyer's rejection (or
///   expiry) frees it. A repeated commit for a routed job reverts with `JobMarket_InvalidStatus`.
contract JobMarket is IJobMarket, Escrow, AccessManaged {
    /// @dev Highest protocol fee, in basis points.
    uint16 public constant MAX_FEE_BPS = 1000;
    /// @dev Longest start window, dispute window, start-by delay and dispute timeout. Bounded so that a timestamp plus
    /// a window always fits the uint32 deadlines (until 2105) and no cast can wrap.
    uint32 public constant MAX_WINDOW = 365 days;
    /// @dev The provider's share of the amount due when a dispute times out (see the design notes above).
    uint16 public constant DISPUTE_DEFAULT_SHARE_BPS = 5000;
    uint256 private constant MAX_MARKET_LENGTH = 32;
    /// @dev `RouteCommitted`'s topic 0, `RouteCommitted.selector` as a number (logged in assembly, see
    /// `_emitRouteCommitted`; the constructor checks the two are equal, as for the next one).
    uint256 private constant _ROUTE_COMMITTED = 0x81b743152d0b30881c3c9086655cb6b1f233b17c7de7aca76931591293d6e001;
    /// @dev `JobSpecPublished`'s topic 0, `JobSpecPublished.selector` as a number (see `_emitJobSpecPublished`).
    uint256 private constant _JOB_SPEC_PUBLISHED = 0x90cb733466a00642e2d5ea557fdc1e6d75f4f1011a47007f443ddee2dc67943e;

    /// @dev Bit offsets of the fields of a job's slot 1 (`JobRecord` declaration order; the status is bits 0-7), for
    /// the code that packs or reads the slot as one word.
    uint256 private constant _ROUND = 8;
    uint256 private constant _AUTO_ACCEPT = 16;
    uint256 private constant _TRACKED = 24;
    uint256 private constant _ALLOW_EXTERNAL = 32;
    uint256 private constant _TERMS_ID = 40;
    uint256 private constant _START_BY = 56;
    uint256 private constant _MAX_PRICE = 96;
    uint256 private constant _PRICE = 144;
    uint256 private constant _GPU_COUNT = 192;
    uint256 private constant _MIN_VRAM = 208;
    uint256 private constant _DURATION = 224;

    /// @dev What a submission reads: the job counter, the default start-by delay, the terms version and the pause
    /// flag, packed into one slot.
    struct Params {
        uint64 jobCount;
        uint32 defaultStartBy;
        /// The terms version new jobs are submitted under.
        uint16 termsId;
        bool paused;
    }

    /// @dev What a keeper's commit reads besides the job, packed into one slot: the authority (the AccessManager,
    /// kept in step with AccessManaged's own record by `_setAuthority` and read through `authority()`), the pause
    /// flag (a copy of `Params.paused`: `pause` and `unpause` write both) and the start window.
    struct Gate {
        address authority;
        bool paused;
        uint32 startWindow;
    }

    /// @dev A job as stored (3 slots). `getJob` unpacks it into `DataTypes.Job`. Slot 1 holds everything a route reads
    /// and writes (status, round, limits, price), so a commit reads one job slot and rewrites it with one SSTORE besides
    /// its own route slot; the buyer and the escrowed balance (read by the buyer's actions and the closes) sit in slot 0.
    struct JobRecord {
        // slot 0: written at submission (the balance by top-ups and closes)
        address buyer;
        uint64 balance;
        uint32 teamId;
        // slot 1: written at submission, then by each route and status change
        DataTypes.JobStatus status;
        uint8 round;
        bool autoAccept;
        bool tracked;
        bool allowExternal;
        uint16 termsId;
        uint40 startBy;
        uint48 maxPricePerGpuHour;
        uint48 pricePerGpuHour;
        uint16 gpuCount;
        uint16 minVramGb;
        uint32 duration;
        // slot 2: written by a route
        address operator;
        uint32 offerId;
        /// The start deadline until the job starts (0 while the route waits for acceptance), then the start time.
        uint32 startTime;
        uint32 completedAt;
    }

    IProviderRegistry private immutable _providerRegistry;
    ITeamRegistry private immutable _teamRegistry;

    mapping(uint256 jobId => JobRecord) private _jobs;
    Params private _params;
    Gate private _gate;
    mapping(bytes32 marketKey => address) private _settlementAccounts;
    mapping(uint256 termsId => DataTypes.Terms) private _terms;

    /// @param initialAuthority The deployment's AccessManager.
    /// @param usdc_ The USDC token.
    /// @param providerRegistry_ The provider registry (this market must be one of its markets).
    /// @param teamRegistry_ The team registry (this market needs its MARKET role to record team spend).
    /// @param treasury_ Receiver of protocol fees.
    /// @param feeBps Protocol fee, at most `MAX_FEE_BPS`.
    /// @param startWindow Seconds a provider has to start a job once its route binds.
    /// @param disputeWindow Seconds the buyer has to dispute a completed job.
    /// @param defaultStartBy Seconds after submission by which a job must start when its spec sets no start-by.
    /// @param disputeTimeout_ Seconds after the dispute window by which the arbiter should resolve a dispute.
    constructor(
        address initialAuthority,
        address usdc_,
        address providerRegistry_,
        address teamRegistry_,
        address treasury_,
        uint16 feeBps,
        uint32 startWindow,
        uint32 disputeWindow,
        uint32 defaultStartBy,
        uint32 disputeTimeout_
    ) Escrow(usdc_) AccessManaged(initialAuthority) {
        if (providerRegistry_ == address(0) || teamRegistry_ == address(0)) {
            revert Errors.ZeroAddress();
        }
        assert(bytes32(_ROUTE_COMMITTED) == RouteCommitted.selector);
        assert(bytes32(_JOB_SPEC_PUBLISHED) == JobSpecPublished.selector);
        _providerRegistry = IProviderRegistry(providerRegistry_);
        _teamRegistry = ITeamRegistry(teamRegistry_);
        _setTreasury(treasury_);
        _checkFee(feeBps);
        _setWindows(startWindow, disputeWindow, defaultStartBy);
        _checkWindow(disputeTimeout_);
        emit ProtocolFeeSet(feeBps);
        emit DisputeTimeoutSet(disputeTimeout_);
        _pushTerms(DataTypes.Terms({feeBps: feeBps, disputeWindow: disputeWindow, disputeTimeout: disputeTimeout_}));
    }

    /*//////////////////////////////////////////////////////////////
                                 BUYER
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IJobMarket
    function submitJob(DataTypes.JobSpec calldata spec, uint256 budget) external nonReentrant returns (uint256 jobId) {
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
    ) external nonReentrant returns (uint256 jobId) {
        // A permit front-run (or already used) fails here; the transfer then relies on the existing allowance.
        try IERC20Permit(address(_usdc)).permit(msg.sender, address(this), budget, permitDeadline, v, r, s) {} catch {}
        jobId = _submit(spec, budget);
    }

    /// @inheritdoc IJobMarket
    function acceptRoute(uint256 jobId) external {
        JobRecord storage job = _buyerJob(jobId);
        _requireStatus(jobId, job.status, DataTypes.JobStatus.Routed);
        _requireBeforeStartBy(jobId, job.startBy);
        uint32 startDeadline = _startDeadline(_gate.startWindow);
        job.status = DataTypes.JobStatus.Accepted;
        job.startTime = startDeadline;
        emit RouteAccepted(jobId, job.round, startDeadline);
    }

    /// @inheritdoc IJobMarket
    function rejectRoute(uint256 jobId) external {
        JobRecord storage job = _buyerJob(jobId);
        _requireStatus(jobId, job.status, DataTypes.JobStatus.Routed);
        _releaseUnit(job);
        job.status = DataTypes.JobStatus.Open;
        job.pricePerGpuHour = 0;
        job.operator = address(0);
        job.offerId = 0;
        emit RouteRejected(jobId, job.round);
    }

    /// @inheritdoc IJobMarket
    function cancelJob(uint256 jobId) external {
        JobRecord storage job = _buyerJob(jobId);
        DataTypes.JobStatus status = job.status;
        uint256 balance = job.balance;
        address payee;
        uint256 payout;
        uint256 fee;
        uint256 refund = balance;
        if (status == DataTypes.JobStatus.Running) {
            uint256 owed = _due(job, block.timestamp);
            payee = _payee(job);
            (payout, fee, refund) = Billing.split(balance, owed, _terms[job.termsId].feeBps);
            job.completedAt = uint32(block.timestamp);
            _releaseUnit(job);
        } else if (status == DataTypes.JobStatus.Routed || status == DataTypes.JobStatus.Accepted) {
            _releaseUnit(job);
        } else if (status != DataTypes.JobStatus.Open) {
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
        JobRecord storage job = _buyerJob(jobId);
        _requireStatus(jobId, job.status, DataTypes.JobStatus.Completed);
        _settle(jobId, job, _terms[job.termsId].feeBps);
    }

    /// @inheritdoc IJobMarket
    /// @dev Disputing a running job stops its billing clock (`completedAt` is set to now) and gives its unit back.
    function disputeJob(uint256 jobId, bytes32 reasonHash) external {
        JobRecord storage job = _buyerJob(jobId);
        DataTypes.JobStatus status = job.status;
        if (status == DataTypes.JobStatus.Running) {
            job.completedAt = uint32(block.timestamp);
            _releaseUnit(job);
        } else if (status == DataTypes.JobStatus.Completed) {
            uint256 closesAt = uint256(job.completedAt) + _terms[job.termsId].disputeWindow;
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
    function topUp(uint256 jobId, uint256 amount, uint32 extraDuration) external nonReentrant {
        _requireNotPaused(_params.paused);
        JobRecord storage job = _buyerJob(jobId);
        DataTypes.JobStatus status = job.status;
        if (!_isPending(status) && status != DataTypes.JobStatus.Running) {
            revert Errors.JobMarket_InvalidStatus(jobId, status);
        }
        if (amount == 0) revert Errors.ZeroAmount();
        uint256 duration = uint256(job.duration) + extraDuration;
        uint256 balance = job.balance + amount;
        if (duration > type(uint32).max || balance > type(uint64).max) revert Errors.JobMarket_Overflow();
        uint256 required = Billing.required(job.maxPricePerGpuHour, job.gpuCount, duration);
        if (balance < required) revert Errors.JobMarket_InsufficientBudget(balance, required);
        job.duration = uint32(duration);
        job.balance = uint64(balance);
        emit JobToppedUp(jobId, amount, extraDuration, uint32(duration), balance);
        uint32 teamId = job.teamId;
        if (teamId != 0) _teamRegistry.recordSpend(teamId, jobId, msg.sender, amount);
        _deposit(msg.sender, amount);
    }

    /*//////////////////////////////////////////////////////////////
                            KEEPER, PROVIDER
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IJobMarket
    /// @dev A route to an on-chain offer takes one of its free units (and checks the offer's GPU count and VRAM per
    /// GPU against the job); a re-route first gives the previous route's unit back. Gated by the KEEPER role itself
    /// (`hasRole`, one storage read, instead of the manager's full `canCall`): the manager's function-role mapping and
    /// target closing do not apply to this function; pausing the market does.
    function commitRoute(uint256 jobId, DataTypes.RouteInput calldata route) external {
        Gate memory gate = _gate;
        if (!_isKeeper(gate.authority)) revert AccessManagedUnauthorized(msg.sender);
        _requireNotPaused(gate.paused);
        JobRecord storage job = _jobs[jobId];
        // Slot 1 holds every job field a route reads; it is read once and its fields taken from the word.
        uint256 word1 = _loadSlot1(job);
        DataTypes.JobStatus status = DataTypes.JobStatus(uint8(word1));
        bool reroute;
        if (status == DataTypes.JobStatus.Routed || status == DataTypes.JobStatus.Accepted) {
            // Re-route: only once the bound route's start deadline passed. Same-round repeats land here too.
            uint32 deadline = job.startTime;
            if (deadline == 0 || block.timestamp <= deadline) revert Errors.JobMarket_InvalidStatus(jobId, status);
            reroute = true;
        } else if (status != DataTypes.JobStatus.Open) {
            _revertStatus(jobId, status);
        }
        _requireBeforeStartBy(jobId, uint40(word1 >> _START_BY));
        uint8 round = uint8(word1 >> _ROUND);
        if (round == type(uint8).max) revert Errors.JobMarket_TooManyRounds(jobId);
        uint48 price = route.pricePerGpuHour;
        uint48 maxPrice = uint48(word1 >> _MAX_PRICE);
        if (price > maxPrice) revert Errors.JobMarket_PriceAboveMax(price, maxPrice);
        if (reroute) _releaseUnit(job);

        (address operator, address provider, uint32 offerId) = _routeOperator(word1, route);
        bool autoAccept = uint8(word1 >> _AUTO_ACCEPT) != 0;
        uint32 startDeadline = autoAccept ? _startDeadline(gate.startWindow) : 0;
        // Cannot overflow: round < 255, checked above.
        unchecked {
            ++round;
        }
        _storeRouteTerms(job, autoAccept ? DataTypes.JobStatus.Accepted : DataTypes.JobStatus.Routed, round, price);
        _storeRoute(job, operator, offerId, startDeadline);
        _emitRouteCommitted(jobId, route, provider, round, autoAccept, startDeadline);
    }

    /// @inheritdoc IJobMarket
    /// @dev An on-chain provider that has been suspended or has deregistered since the route cannot start the job
    /// (the keeper re-routes it after the start deadline, or the buyer cancels).
    function startJob(uint256 jobId) external {
        JobRecord storage job = _jobs[jobId];
        _requireStatus(jobId, job.status, DataTypes.JobStatus.Accepted);
        _requireBeforeStartBy(jobId, job.startBy);
        address operator = job.operator;
        uint32 offerId = job.offerId;
        _checkOperator(jobId, operator, offerId);
        if (offerId != 0) {
            DataTypes.ProviderStatus providerStatus = _providerRegistry.statusOf(operator);
            if (
                providerStatus == DataTypes.ProviderStatus.Suspended
                    || providerStatus == DataTypes.ProviderStatus.Deregistered
            ) revert Errors.JobMarket_ProviderNotAllowed(operator);
        }
        uint32 startedAt = uint32(block.timestamp);
        job.status = DataTypes.JobStatus.Running;
        job.startTime = startedAt;
        emit JobStarted(jobId, operator, startedAt);
    }

    /// @inheritdoc IJobMarket
    /// @dev Gives the job's unit back to its offer.
    function completeJob(uint256 jobId, bytes32 resultHash) external {
        JobRecord storage job = _jobs[jobId];
        _requireStatus(jobId, job.status, DataTypes.JobStatus.Running);
        address operator = job.operator;
        _checkOperator(jobId, operator, job.offerId);
        uint32 completedAt = uint32(block.timestamp);
        job.status = DataTypes.JobStatus.Completed;
        job.completedAt = completedAt;
        _releaseUnit(job);
        emit JobCompleted(jobId, operator, resultHash, completedAt);
    }

    /// @inheritdoc IJobMarket
    /// @dev The buyer may settle at any time (like `confirmJob`); anyone else once the dispute window closed.
    function settleJob(uint256 jobId) external {
        JobRecord storage job = _jobs[jobId];
        _requireStatus(jobId, job.status, DataTypes.JobStatus.Completed);
        DataTypes.Terms storage jobTerms = _terms[job.termsId];
        if (msg.sender != job.buyer) {
            uint256 closesAt = uint256(job.completedAt) + jobTerms.disputeWindow;
            if (block.timestamp < closesAt) revert Errors.JobMarket_DisputeWindowOpen(jobId, closesAt);
        }
        _settle(jobId, job, jobTerms.feeBps);
    }

    /// @inheritdoc IJobMarket
    function expireJob(uint256 jobId) external {
        JobRecord storage job = _jobs[jobId];
        DataTypes.JobStatus status = job.status;
        if (!_isPending(status)) _revertStatus(jobId, status);
        uint40 startBy = job.startBy;
        if (block.timestamp <= startBy) revert Errors.JobMarket_NotExpired(jobId, startBy);
        if (status != DataTypes.JobStatus.Open) _releaseUnit(job);
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
        JobRecord storage job = _jobs[jobId];
        _requireStatus(jobId, job.status, DataTypes.JobStatus.Disputed);
        if (providerShareBps > Billing.BPS) revert Errors.JobMarket_InvalidBps(providerShareBps);
        _closeDispute(jobId, job, providerShareBps, _terms[job.termsId].feeBps, false);
    }

    /// @inheritdoc IJobMarket
    /// @dev Open from `completedAt + disputeWindow + disputeTimeout` (the job's terms): the arbiter always has at least
    /// the dispute timeout after the last moment a dispute could be raised.
    function settleDispute(uint256 jobId) external {
        JobRecord storage job = _jobs[jobId];
        _requireStatus(jobId, job.status, DataTypes.JobStatus.Disputed);
        DataTypes.Terms memory jobTerms = _terms[job.termsId];
        uint256 settlesAt = uint256(job.completedAt) + jobTerms.disputeWindow + jobTerms.disputeTimeout;
        if (block.timestamp < settlesAt) revert Errors.JobMarket_DisputeTimeoutNotReached(jobId, settlesAt);
        _closeDispute(jobId, job, DISPUTE_DEFAULT_SHARE_BPS, jobTerms.feeBps, true);
    }

    /*//////////////////////////////////////////////////////////////
                                 ADMIN
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IJobMarket
    function setProtocolFee(uint16 feeBps) external restricted {
        _checkFee(feeBps);
        emit ProtocolFeeSet(feeBps);
        DataTypes.Terms memory next = _terms[_params.termsId];
        next.feeBps = feeBps;
        _pushTerms(next);
    }

    /// @inheritdoc IJobMarket
    function setTreasury(address treasury_) external restricted {
        _setTreasury(treasury_);
    }

    /// @inheritdoc IJobMarket
    function setWindows(uint32 startWindow, uint32 disputeWindow, uint32 defaultStartBy) external restricted {
        _setWindows(startWindow, disputeWindow, defaultStartBy);
        DataTypes.Terms memory next = _terms[_params.termsId];
        next.disputeWindow = disputeWindow;
        _pushTerms(next);
    }

    /// @inheritdoc IJobMarket
    function setDisputeTimeout(uint32 disputeTimeout_) external restricted {
        _checkWindow(disputeTimeout_);
        emit DisputeTimeoutSet(disputeTimeout_);
        DataTypes.Terms memory next = _terms[_params.termsId];
        next.disputeTimeout = disputeTimeout_;
        _pushTerms(next);
    }

    /// @inheritdoc IJobMarket
    /// @dev The account must not be a registered provider (so the operator's kind is never ambiguous) nor the market
    /// itself (its credits could never be withdrawn).
    function setMarketSettlement(string calldata market, address account) external restricted {
        uint256 length = bytes(market).length;
        if (length == 0 || length > MAX_MARKET_LENGTH) revert Errors.InvalidString();
        if (account == address(this)) revert Errors.JobMarket_InvalidRecipient(account);
        if (account != address(0) && _providerRegistry.payoutOf(account) != address(0)) {
            revert Errors.JobMarket_InvalidParameter();
        }
        bytes32 marketKey = keccak256(bytes(market));
        _settlementAccounts[marketKey] = account;
        emit MarketSettlementSet(marketKey, market, account);
    }

    /// @inheritdoc IJobMarket
    function pause() external restricted {
        Params storage params = _params;
        _requireNotPaused(params.paused);
        params.paused = true;
        _gate.paused = true;
        emit Paused(msg.sender);
    }

    /// @inheritdoc IJobMarket
    function unpause() external restricted {
        Params storage params = _params;
        if (!params.paused) revert Errors.ExpectedPause();
        params.paused = false;
        _gate.paused = false;
        emit Unpaused(msg.sender);
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IJobMarket
    /// @dev A zero record (status None) for an unknown id.
    function getJob(uint256 jobId) external view returns (DataTypes.Job memory job) {
        JobRecord storage r = _jobs[jobId];
        DataTypes.JobStatus status = r.status;
        job.buyer = r.buyer;
        job.startBy = r.startBy;
        job.status = status;
        job.round = r.round;
        job.autoAccept = r.autoAccept;
        job.tracked = r.tracked;
        job.allowExternal = r.allowExternal;
        job.gpuCount = r.gpuCount;
        job.minVramGb = r.minVramGb;
        job.balance = r.balance;
        job.maxPricePerGpuHour = r.maxPricePerGpuHour;
        job.pricePerGpuHour = r.pricePerGpuHour;
        job.duration = r.duration;
        job.teamId = r.teamId;
        job.operator = r.operator;
        job.offerId = r.offerId;
        uint32 completedAt = r.completedAt;
        job.completedAt = completedAt;
        if (_hasStarted(status, completedAt)) job.startedAt = r.startTime;
        else job.startDeadline = r.startTime;
        DataTypes.Terms memory jobTerms = _terms[r.termsId];
        job.feeBps = jobTerms.feeBps;
        job.disputeWindow = jobTerms.disputeWindow;
        job.disputeTimeout = jobTerms.disputeTimeout;
    }

    /// @inheritdoc IJobMarket
    /// @dev Running: elapsed until now; Completed or Disputed: until completion (or dispute); otherwise 0.
    function amountDue(uint256 jobId) external view returns (uint256) {
        JobRecord storage job = _jobs[jobId];
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

    /// @inheritdoc IJobMarket
    function terms(uint16 termsId) external view returns (DataTypes.Terms memory) {
        return _terms[termsId];
    }

    /// @inheritdoc IJobMarket
    function currentTermsId() external view returns (uint16) {
        return _params.termsId;
    }

    /// @inheritdoc IJobMarket
    function paused() external view returns (bool) {
        return _params.paused;
    }

    /// @notice The provider registry.
    function providerRegistry() external view returns (address) {
        return address(_providerRegistry);
    }

    /// @notice The team registry.
    function teamRegistry() external view returns (address) {
        return address(_teamRegistry);
    }

    /// @inheritdoc AccessManaged
    /// @dev Read from the `Gate` slot, which a commit reads anyway (one cold slot fewer for the keeper check).
    function authority() public view override returns (address) {
        return _gate.authority;
    }

    /// @notice The protocol fee new jobs agree to, in basis points of the amount due.
    function protocolFeeBps() external view returns (uint16) {
        return _terms[_params.termsId].feeBps;
    }

    /// @notice The start window, dispute window (of new jobs) and default start-by delay, in seconds.
    function windows() external view returns (uint32 startWindow, uint32 disputeWindow, uint32 defaultStartBy) {
        Params memory params = _params;
        return (_gate.startWindow, _terms[params.termsId].disputeWindow, params.defaultStartBy);
    }

    /*//////////////////////////////////////////////////////////////
                                INTERNAL
    //////////////////////////////////////////////////////////////*/

    function _submit(DataTypes.JobSpec calldata spec, uint256 budget) private returns (uint256 jobId) {
        Params memory params = _params;
        _requireNotPaused(params.paused);
        uint48 maxPrice = spec.maxPricePerGpuHour;
        uint16 gpuCount = spec.gpuCount;
        uint32 duration = spec.duration;
        if (gpuCount == 0 || duration == 0 || maxPrice == 0) revert Errors.JobMarket_InvalidSpec();
        bool tracked = spec.tracked;
        _checkDocument(spec.specHash, spec.document, tracked);
        uint40 startBy = spec.startBy;
        if (startBy == 0) {
            // Cannot overflow: a timestamp plus a uint32 fits in 40 bits for millennia.
            unchecked {
                startBy = uint40(block.timestamp + params.defaultStartBy);
            }
        } else if (startBy <= block.timestamp) {
            revert Errors.JobMarket_InvalidSpec();
        }
        uint256 required = Billing.required(maxPrice, gpuCount, duration);
        if (budget < required) revert Errors.JobMarket_InsufficientBudget(budget, required);
        if (budget > type(uint64).max) revert Errors.JobMarket_Overflow();
        // Cannot overflow: one job per transaction never reaches 2^64.
        unchecked {
            jobId = uint256(params.jobCount) + 1;
        }
        _params.jobCount = uint64(jobId);
        uint32 teamId = spec.teamId;
        _storeJob(_jobs[jobId], spec, budget, startBy, params.termsId);
        _emitJobSubmitted(jobId, spec, budget, startBy);
        if (tracked) _emitJobSpecPublished(jobId, spec);
        if (teamId != 0) _teamRegistry.recordSpend(teamId, jobId, msg.sender, budget);
        _deposit(msg.sender, budget);
    }

    /// @dev Writes the two slots of a new job, each packed here and stored with one SSTORE (field by field, every field
    /// would re-read and re-write its slot). Bit offsets follow the `JobRecord` declaration order; round and
    /// pricePerGpuHour start at 0; slot 2 is first written by a route. `budget` fits 64 bits (checked by the caller).
    function _storeJob(
        JobRecord storage job,
        DataTypes.JobSpec calldata spec,
        uint256 budget,
        uint40 startBy,
        uint16 termsId
    ) private {
        uint256 word0 = uint256(uint160(msg.sender)) | (budget << 160) | (uint256(spec.teamId) << 224);
        uint256 word1 = uint256(uint8(DataTypes.JobStatus.Open)) | (_bit(spec.autoAccept) << _AUTO_ACCEPT)
            | (_bit(spec.tracked) << _TRACKED) | (_bit(spec.allowExternal) << _ALLOW_EXTERNAL)
            | (uint256(termsId) << _TERMS_ID) | (uint256(startBy) << _START_BY)
            | (uint256(spec.maxPricePerGpuHour) << _MAX_PRICE) | (uint256(spec.gpuCount) << _GPU_COUNT)
            | (uint256(spec.minVramGb) << _MIN_VRAM) | (uint256(spec.duration) << _DURATION);
        assembly ("memory-safe") {
            sstore(job.slot, word0)
            sstore(add(job.slot, 1), word1)
        }
    }

    /// @dev Slot 1 of `job` as one word (status in bits 0-7, the other fields at the `_ROUND` … `_DURATION` offsets).
    function _loadSlot1(JobRecord storage job) private view returns (uint256 word1) {
        assembly ("memory-safe") {
            word1 := sload(add(job.slot, 1))
        }
    }

    /// @dev Sets a route's status, round and price in slot 1 of `job` with one SSTORE (the slot's other fields kept).
    /// The fields are widened in Solidity, which clears the bits above each type (in assembly a `uint8` may carry
    /// stale upper bits, e.g. from `uint8(word >> 8)`, and would overwrite the fields above it).
    function _storeRouteTerms(JobRecord storage job, DataTypes.JobStatus status, uint8 round, uint48 price) private {
        // Status (bits 0-7), round (8-15) and pricePerGpuHour (144-191) are replaced, the other bits kept.
        uint256 replaced = 0xffff | (uint256(type(uint48).max) << _PRICE);
        uint256 fields = uint256(uint8(status)) | (uint256(round) << _ROUND) | (uint256(price) << _PRICE);
        assembly ("memory-safe") {
            let slot := add(job.slot, 1)
            sstore(slot, or(and(sload(slot), not(replaced)), fields))
        }
    }

    /// @dev Writes a route's slot of `job` (operator, offerId, startTime) with one SSTORE. `completedAt`, the slot's
    /// last field, is 0 whenever a route is committed (the job has not started).
    function _storeRoute(JobRecord storage job, address operator, uint32 offerId, uint32 startTime) private {
        uint256 word2 = uint256(uint160(operator)) | (uint256(offerId) << 160) | (uint256(startTime) << 192);
        assembly ("memory-safe") {
            sstore(add(job.slot, 2), word2)
        }
    }

    /// @dev 1 for true, 0 for false.
    function _bit(bool value) private pure returns (uint256) {
        return value ? 1 : 0;
    }

    /// @dev Emits `JobSpecPublished`. Its data is `abi.encode(spec)`: when the spec's calldata is in the standard
    /// encoding, that is `0x20` followed by the spec's calldata bytes, which are copied as they are (one copy instead of
    /// re-encoding every list and string); any other encoding of the same spec is re-encoded by Solidity. Either way the
    /// logged bytes are the same.
    function _emitJobSpecPublished(uint256 jobId, DataTypes.JobSpec calldata spec) private {
        uint256 size = _standardSpecSize(spec);
        if (size == 0) {
            emit JobSpecPublished(jobId, spec);
            return;
        }
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, 0x20)
            calldatacopy(add(ptr, 0x20), spec, size)
            log2(ptr, add(size, 0x20), _JOB_SPEC_PUBLISHED, jobId)
        }
    }

    /// @dev The length of `spec`'s calldata encoding when it is the standard one (what `abi.encode` writes), else 0.
    /// Standard: every static field fits its type, the three dynamic fields follow the 15 head words in order, each
    /// list's strings follow its offsets in order, each string's padding is zero, and everything lies within calldata.
    /// Lengths are bounded (below 2^32) so no offset arithmetic can wrap.
    function _standardSpecSize(DataTypes.JobSpec calldata spec) private pure returns (uint256 size) {
        assembly ("memory-safe") {
            // The end (relative to `base`) of the string at `base + offset`, or 0 when it is not standard.
            function stringEnd(base, offset) -> end {
                let start := add(base, offset)
                let length := calldataload(start)
                if lt(length, 0x100000000) {
                    let padded := and(add(length, 31), not(31))
                    let rest := and(length, 31)
                    // The bytes after the string in its last word must be zero.
                    if or(iszero(rest), iszero(shl(mul(8, rest), calldataload(add(start, padded))))) {
                        end := add(offset, add(0x20, padded))
                    }
                }
            }
            // The end (relative to `base`) of the string list at `base + offset`, or 0 when it is not standard.
            function listEnd(base, offset) -> end {
                let start := add(base, offset)
                let count := calldataload(start)
                if lt(count, 0x100000000) {
                    let heads := add(start, 0x20)
                    // Each string's offset, relative to the list's heads, in the standard layout.
                    let next := mul(count, 0x20)
                    let ok := 1
                    for { let i := 0 } and(ok, lt(i, count)) { i := add(i, 1) } {
                        if iszero(eq(calldataload(add(heads, mul(i, 0x20))), next)) { ok := 0 }
                        next := stringEnd(heads, next)
                        if iszero(next) { ok := 0 }
                    }
                    if ok { end := add(offset, add(0x20, next)) }
                }
            }
            let fits :=
                and(
                    and(lt(calldataload(add(spec, 0x20)), shl(48, 1)), lt(calldataload(add(spec, 0x40)), shl(32, 1))),
                    and(lt(calldataload(add(spec, 0x60)), shl(16, 1)), lt(calldataload(add(spec, 0x80)), shl(16, 1)))
                )
            fits := and(
                fits,
                and(lt(calldataload(add(spec, 0xa0)), shl(16, 1)), lt(calldataload(add(spec, 0xc0)), shl(32, 1)))
            )
            fits := and(
                fits,
                and(lt(calldataload(add(spec, 0xe0)), shl(32, 1)), lt(calldataload(add(spec, 0x100)), shl(40, 1)))
            )
            fits := and(fits, and(lt(calldataload(add(spec, 0x120)), 2), lt(calldataload(add(spec, 0x140)), 2)))
            fits := and(fits, lt(calldataload(add(spec, 0x160)), 2))
            // gpuModels, regions and document, in order after the 15 head words.
            let end := 0x1e0
            if and(fits, eq(calldataload(add(spec, 0x180)), end)) {
                end := listEnd(spec, end)
                if and(iszero(iszero(end)), eq(calldataload(add(spec, 0x1a0)), end)) {
                    end := listEnd(spec, end)
                    if and(iszero(iszero(end)), eq(calldataload(add(spec, 0x1c0)), end)) {
                        end := stringEnd(spec, end)
                        if and(iszero(iszero(end)), iszero(gt(add(spec, end), calldatasize()))) { size := end }
                    }
                }
            }
        }
    }

    /// @dev A tracked job's document must hash to its specHash (so the published document is the one committed to);
    /// an untracked job's must be empty (nothing private is published).
    function _checkDocument(bytes32 specHash, string calldata document, bool tracked) private pure {
        if (tracked) {
            bytes32 documentHash;
            assembly ("memory-safe") {
                let ptr := mload(0x40)
                calldatacopy(ptr, document.offset, document.length)
                documentHash := keccak256(ptr, document.length)
            }
            if (documentHash != specHash) revert Errors.JobMarket_DocumentMismatch(specHash, documentHash);
        } else if (bytes(document).length != 0) {
            revert Errors.JobMarket_DocumentNotEmpty();
        }
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

    /// @dev Validates a route against the job's slot 1 (`word1`) and returns its operator (who starts and completes the job, and is paid) and, for an
    /// on-chain route, the provider and the offer, of which one unit is taken.
    function _routeOperator(uint256 word1, DataTypes.RouteInput calldata route)
        private
        returns (address operator, address provider, uint32 offerId)
    {
        bytes32 providerRef = route.providerRef;
        if (bytes(route.market).length == 0) {
            if (uint256(providerRef) >> 160 != 0) revert Errors.JobMarket_InvalidProviderRef(providerRef);
            provider = address(uint160(uint256(providerRef)));
            uint256 routeOfferId = route.offerId;
            // Offer ids start at 1; ids beyond uint32 are never reached by a registry.
            if (routeOfferId == 0 || routeOfferId > type(uint32).max) {
                revert Errors.JobMarket_ProviderNotActive(providerRef);
            }
            (DataTypes.Reservation reservation, uint48 offerPrice) = _providerRegistry.reserveUnit(
                provider, routeOfferId, uint16(word1 >> _GPU_COUNT), uint16(word1 >> _MIN_VRAM)
            );
            if (reservation != DataTypes.Reservation.Reserved) {
                if (reservation == DataTypes.Reservation.NoCapacity) revert Errors.JobMarket_NoCapacity(routeOfferId);
                if (reservation == DataTypes.Reservation.Mismatch) revert Errors.JobMarket_OfferMismatch(routeOfferId);
                revert Errors.JobMarket_ProviderNotActive(providerRef);
            }
            if (route.pricePerGpuHour != offerPrice) {
                revert Errors.JobMarket_PriceMismatch(route.pricePerGpuHour, offerPrice);
            }
            operator = provider;
            offerId = uint32(routeOfferId);
        } else {
            if (bytes(route.externalId).length == 0) revert Errors.InvalidString();
            if (providerRef != keccak256(abi.encode(route.market, route.externalId))) {
                revert Errors.JobMarket_InvalidProviderRef(providerRef);
            }
            operator = _settlementAccounts[keccak256(bytes(route.market))];
            if (uint8(word1 >> _ALLOW_EXTERNAL) == 0 || operator == address(0)) {
                revert Errors.JobMarket_MarketNotAllowed(route.market);
            }
        }
    }

    /// @dev Emits `RouteCommitted` for the route just stored. The event has 14 fields, more than the legacy code
    /// generator can keep on the stack, so its data is ABI-encoded here in scratch memory past the free memory pointer
    /// (no allocation, the two strings copied once from calldata) and logged in assembly (topics: signature, jobId,
    /// round, providerRef — as declared). Data layout: 11 head words (provider, offerId, the offsets of market and
    /// externalId, pricePerGpuHour, logRoot, decisionHash, sdlHash, keeper, autoAccepted, startDeadline), then each
    /// string as its length and its bytes zero-padded to 32.
    function _emitRouteCommitted(
        uint256 jobId,
        DataTypes.RouteInput calldata route,
        address provider,
        uint256 round,
        bool autoAccept,
        uint32 startDeadline
    ) private {
        // The price is read (and so validated as a uint48) here; the other head fields are bytes32 or uint256 words of
        // the RouteInput head, loaded as they are: providerRef at 0x00, offerId 0x20, logRoot 0x60, decisionHash 0x80,
        // sdlHash 0xa0.
        uint48 price = route.pricePerGpuHour;
        string calldata market = route.market;
        string calldata externalId = route.externalId;
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            let marketLength := market.length
            let marketPadded := and(add(marketLength, 31), not(31))
            // Values narrower than a word are masked: Solidity leaves their upper bits unspecified in assembly.
            mstore(ptr, and(provider, 0xffffffffffffffffffffffffffffffffffffffff))
            // offerId: 0 for an external route.
            mstore(add(ptr, 0x20), mul(iszero(iszero(provider)), calldataload(add(route, 0x20))))
            mstore(add(ptr, 0x40), 0x160)
            mstore(add(ptr, 0x60), add(0x180, marketPadded))
            mstore(add(ptr, 0x80), and(price, 0xffffffffffff))
            mstore(add(ptr, 0xa0), calldataload(add(route, 0x60)))
            mstore(add(ptr, 0xc0), calldataload(add(route, 0x80)))
            mstore(add(ptr, 0xe0), calldataload(add(route, 0xa0)))
            mstore(add(ptr, 0x100), caller())
            mstore(add(ptr, 0x120), iszero(iszero(autoAccept)))
            mstore(add(ptr, 0x140), and(startDeadline, 0xffffffff))
            // market: zero its last word first (the padding), then the length and the bytes.
            let p := add(ptr, 0x160)
            mstore(add(p, marketPadded), 0)
            mstore(p, marketLength)
            calldatacopy(add(p, 0x20), market.offset, marketLength)
            let externalIdLength := externalId.length
            let externalIdPadded := and(add(externalIdLength, 31), not(31))
            p := add(p, add(0x20, marketPadded))
            mstore(add(p, externalIdPadded), 0)
            mstore(p, externalIdLength)
            calldatacopy(add(p, 0x20), externalId.offset, externalIdLength)
            let size := sub(add(p, add(0x20, externalIdPadded)), ptr)
            log4(ptr, size, _ROUTE_COMMITTED, jobId, round, calldataload(route))
        }
    }

    function _settle(uint256 jobId, JobRecord storage job, uint256 feeBps) private {
        uint256 balance = job.balance;
        uint256 owed = _due(job, job.completedAt);
        address payee = _payee(job);
        (uint256 payout, uint256 fee, uint256 refund) = Billing.split(balance, owed, feeBps);
        job.status = DataTypes.JobStatus.Settled;
        job.balance = 0;
        emit JobSettled(jobId, payee, payout, fee, refund);
        _distribute(jobId, payee, payout, fee, job.buyer, refund);
        _releaseTeamSpend(job.teamId, jobId, refund);
    }

    /// @dev Resolves a disputed job: the provider gets `providerShareBps` of the amount due frozen at the dispute
    /// (see `resolveDispute`), the rest is refunded; emits `DisputeSettledByDefault` or `DisputeResolved`.
    function _closeDispute(
        uint256 jobId,
        JobRecord storage job,
        uint16 providerShareBps,
        uint256 feeBps,
        bool byDefault
    ) private {
        uint256 providerAmount = Billing.share(_due(job, job.completedAt), providerShareBps);
        address payee = _payee(job);
        (uint256 payout, uint256 fee, uint256 refund) = Billing.split(job.balance, providerAmount, feeBps);
        job.status = DataTypes.JobStatus.Resolved;
        job.balance = 0;
        if (byDefault) emit DisputeSettledByDefault(jobId, msg.sender, providerShareBps, payout, fee, refund);
        else emit DisputeResolved(jobId, msg.sender, providerShareBps, payout, fee, refund);
        _distribute(jobId, payee, payout, fee, job.buyer, refund);
        _releaseTeamSpend(job.teamId, jobId, refund);
    }

    /// @dev Credits the team back with a finished job's refund.
    function _releaseTeamSpend(uint32 teamId, uint256 jobId, uint256 refund) private {
        if (teamId != 0 && refund != 0) _teamRegistry.releaseSpend(teamId, jobId, refund);
    }

    /// @dev Gives the unit an on-chain route took back to its offer. Called once as the job leaves Routed, Accepted
    /// or Running.
    function _releaseUnit(JobRecord storage job) private {
        uint32 offerId = job.offerId;
        if (offerId != 0) _providerRegistry.releaseUnit(offerId);
    }

    /// @dev Whether the caller holds the KEEPER role with no execution delay in `manager` (the authority):
    /// `IAccessManager.hasRole(Roles.KEEPER, msg.sender)`, called in assembly (no allocation, no decoding beyond the
    /// two words read). A failed call or a short answer counts as no role.
    function _isKeeper(address manager) private view returns (bool isKeeper) {
        bytes4 selector = IAccessManager.hasRole.selector;
        uint64 role = Roles.KEEPER;
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, selector)
            mstore(add(ptr, 0x04), role)
            mstore(add(ptr, 0x24), caller())
            let success := staticcall(gas(), manager, ptr, 0x44, ptr, 0x40)
            if and(success, gt(returndatasize(), 0x3f)) {
                // (bool isMember, uint32 executionDelay): a member with no delay.
                isKeeper := and(eq(mload(ptr), 1), iszero(mload(add(ptr, 0x20))))
            }
        }
    }

    /// @dev Reverts unless the caller is the job's operator, or holds the keeper role for an external route.
    function _checkOperator(uint256 jobId, address operator, uint32 offerId) private view {
        if (msg.sender != operator && (offerId != 0 || !_isKeeper(authority()))) {
            revert Errors.JobMarket_NotOperator(jobId, msg.sender);
        }
    }

    /// @dev Who is paid for a route: an on-chain provider's payout address (read now), else the settlement account.
    function _payee(JobRecord storage job) private view returns (address) {
        address operator = job.operator;
        return job.offerId == 0 ? operator : _providerRegistry.payoutOf(operator);
    }

    /// @dev The amount due for a started job billed until `end`.
    function _due(JobRecord storage job, uint256 end) private view returns (uint256) {
        return Billing.due(job.pricePerGpuHour, job.gpuCount, job.startTime, end, job.duration);
    }

    /// @dev Now plus the start window. The cast cannot wrap before 2105: the window is at most `MAX_WINDOW`, checked
    /// when set.
    function _startDeadline(uint32 startWindow) private view returns (uint32) {
        return uint32(block.timestamp + startWindow);
    }

    function _buyerJob(uint256 jobId) private view returns (JobRecord storage job) {
        job = _jobs[jobId];
        if (job.buyer != msg.sender) {
            if (job.status == DataTypes.JobStatus.None) revert Errors.JobMarket_UnknownJob(jobId);
            revert Errors.JobMarket_NotBuyer(jobId, msg.sender);
        }
    }

    /// @dev Whether `startTime` holds the start time (else the start deadline): the job ran, or was cancelled while
    /// running (`completedAt` is set then).
    /// Statuses from Running on are started except Expired, and Cancelled only with `completedAt`.
    function _hasStarted(DataTypes.JobStatus status, uint32 completedAt) private pure returns (bool) {
        if (status == DataTypes.JobStatus.Cancelled) return completedAt != 0;
        return status >= DataTypes.JobStatus.Running && status != DataTypes.JobStatus.Expired;
    }

    /// @dev Open, Routed or Accepted: not started yet.
    function _isPending(DataTypes.JobStatus status) private pure returns (bool) {
        return status == DataTypes.JobStatus.Open || status == DataTypes.JobStatus.Routed
            || status == DataTypes.JobStatus.Accepted;
    }

    function _requireNotPaused(bool isPaused) private pure {
        if (isPaused) revert Errors.EnforcedPause();
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

    function _checkFee(uint16 feeBps) private pure {
        if (feeBps > MAX_FEE_BPS) revert Errors.JobMarket_InvalidBps(feeBps);
    }

    /// @dev A window or timeout: between 1 second and `MAX_WINDOW`.
    function _checkWindow(uint32 window) private pure {
        if (window == 0 || window > MAX_WINDOW) revert Errors.JobMarket_InvalidParameter();
    }

    function _setWindows(uint32 startWindow, uint32 disputeWindow, uint32 defaultStartBy) private {
        _checkWindow(startWindow);
        _checkWindow(disputeWindow);
        _checkWindow(defaultStartBy);
        _gate.startWindow = startWindow;
        _params.defaultStartBy = defaultStartBy;
        emit WindowsSet(startWindow, disputeWindow, defaultStartBy);
    }

    /// @dev Records the new authority in AccessManaged and in the `Gate` slot (where `authority()` reads it).
    function _setAuthority(address newAuthority) internal override {
        super._setAuthority(newAuthority);
        _gate.authority = newAuthority;
    }

    /// @dev Makes `next` the terms of jobs submitted from now on.
    function _pushTerms(DataTypes.Terms memory next) private {
        uint256 termsId = uint256(_params.termsId) + 1;
        if (termsId > type(uint16).max) revert Errors.JobMarket_Overflow();
        _terms[termsId] = next;
        _params.termsId = uint16(termsId);
        emit TermsSet(uint16(termsId), next.feeBps, next.disputeWindow, next.disputeTimeout);
    }
}
