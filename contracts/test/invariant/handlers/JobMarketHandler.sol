// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {CommonBase} from "forge-std/Base.sol";
import {StdCheats} from "forge-std/StdCheats.sol";
import {StdUtils} from "forge-std/StdUtils.sol";
import {Vm} from "forge-std/Vm.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";

import {IJobMarket} from "../../../src/interfaces/IJobMarket.sol";
import {IProviderRegistry} from "../../../src/interfaces/IProviderRegistry.sol";
import {ITeamRegistry} from "../../../src/interfaces/ITeamRegistry.sol";
import {DataTypes} from "../../../src/types/DataTypes.sol";
import {JobStore} from "../stores/JobStore.sol";

/// @title JobMarketHandler
/// @notice Drives every user-facing JobMarket action with random actors (buyers, providers, keeper, arbiter, pauser,
/// admin) and bounded time warps. Each action picks a job in a status where the call should succeed, so most calls do
/// not revert and the campaign reaches deep states. Every call's status changes, deposits and payouts go to the store.
contract JobMarketHandler is CommonBase, StdCheats, StdUtils {
    /*//////////////////////////////////////////////////////////////
                                 CONFIG
    //////////////////////////////////////////////////////////////*/

    struct Actors {
        address admin;
        address keeper;
        address arbiter;
        address pauser;
        address treasury;
    }

    struct ProviderActor {
        address wallet;
        address payout;
        uint256 offerId;
    }

    uint256 internal constant MAX_JOBS = 48;
    uint256 internal constant MAX_TIME_JUMP = 10 minutes;
    uint256 internal constant MAX_PRICE = 50e6; // $50 per GPU-hour
    /// @dev Some jobs cap their price below the cheapest offer (1 USDC): only an external market can take them.
    uint256 internal constant MIN_MAX_PRICE = 0.5e6;
    uint256 internal constant MAX_GPUS = 16;
    uint256 internal constant MAX_DURATION = 2 days;
    uint16 internal constant MAX_FEE_BPS = 1000;
    string internal constant EXTERNAL_MARKET = "akash";
    string internal constant DISABLED_MARKET = "ionet";

    IJobMarket public immutable market;
    IProviderRegistry public immutable registry;
    ITeamRegistry public immutable teams;
    IERC20 public immutable token;
    JobStore public immutable store;

    Actors internal _actors;
    address[] internal _buyers;
    mapping(address buyer => uint256 key) internal _buyerKeys;
    ProviderActor[] internal _providers;
    uint256[] internal _teamIds;

    uint32 public startWindow;
    uint32 public disputeWindow;
    uint32 public defaultStartBy;
    uint16 public feeBps;
    bool public paused;

    /// @notice The action being run, for the store's records.
    bytes4 internal _action;
    /// @notice Statuses of every ghost job before the current call.
    DataTypes.JobStatus[] internal _statusBefore;

    constructor(
        IJobMarket market_,
        IProviderRegistry registry_,
        ITeamRegistry teams_,
        JobStore store_,
        Actors memory actors_,
        uint16 feeBps_,
        uint32[3] memory windows
    ) {
        market = market_;
        registry = registry_;
        teams = teams_;
        token = IERC20(market_.usdc());
        store = store_;
        _actors = actors_;
        feeBps = feeBps_;
        (startWindow, disputeWindow, defaultStartBy) = (windows[0], windows[1], windows[2]);
        store_.addAccount(actors_.treasury);
    }

    /// @notice Registers a buyer (with its signing key, for permits).
    function addBuyer(address buyer, uint256 key) external {
        _buyers.push(buyer);
        _buyerKeys[buyer] = key;
        store.addAccount(buyer);
    }

    /// @notice Registers a provider the test has already registered and listed an offer for.
    function addProvider(address wallet, address payout, uint256 offerId) external {
        _providers.push(ProviderActor(wallet, payout, offerId));
        store.addAccount(wallet);
        store.addAccount(payout);
    }

    function addTeam(uint256 teamId) external {
        _teamIds.push(teamId);
    }

    function addAccount(address account) external {
        store.addAccount(account);
    }

    /*//////////////////////////////////////////////////////////////
                               MODIFIERS
    //////////////////////////////////////////////////////////////*/

    /// @dev Restores the campaign clock (warps do not survive between calls everywhere), then moves it forward.
    modifier useTime(uint256 timeJumpSeed) {
        vm.warp(store.timestamp());
        // Half of the calls let no time pass, so jobs can move on before their windows close.
        uint256 jump = timeJumpSeed % 2 == 0 ? 0 : bound(timeJumpSeed, 0, MAX_TIME_JUMP);
        if (jump != 0) _warp(block.timestamp + jump);
        _;
    }

    /// @dev Records every ghost job's status before and after the call and checks each change against the edges.
    modifier checkTransitions(bytes4 action) {
        _action = action;
        uint256 count = store.jobCount();
        delete _statusBefore;
        for (uint256 i; i < count; ++i) {
            _statusBefore.push(_status(store.jobIds(i)));
        }
        vm.recordLogs();
        _;
        _processLogs(vm.getRecordedLogs());
        uint256 countAfter = store.jobCount();
        for (uint256 i; i < countAfter; ++i) {
            uint256 jobId = store.jobIds(i);
            DataTypes.JobStatus before = i < count ? _statusBefore[i] : DataTypes.JobStatus.None;
            DataTypes.JobStatus after_ = _status(jobId);
            if (before != after_) store.recordTransition(jobId, before, after_, action);
        }
    }

    /*//////////////////////////////////////////////////////////////
                                 BUYER
    //////////////////////////////////////////////////////////////*/

    function submitJob(
        uint256 timeJumpSeed,
        uint256 buyerSeed,
        uint256 priceSeed,
        uint256 gpuSeed,
        uint256 durationSeed,
        uint256 extraBudgetSeed,
        uint8 flags,
        uint256 teamSeed
    ) external useTime(timeJumpSeed) checkTransitions(this.submitJob.selector) {
        if (paused || store.jobCount() >= MAX_JOBS) return;
        address buyer = _buyers[buyerSeed % _buyers.length];
        (DataTypes.JobSpec memory spec, uint256 budget) =
            _spec(buyer, priceSeed, gpuSeed, durationSeed, extraBudgetSeed, flags, teamSeed);
        _fund(buyer, budget);

        bool usePermit = flags & 0x10 != 0;
        uint256 marketBalanceBefore = token.balanceOf(address(market));
        bool ok;
        uint256 jobId;
        if (usePermit) {
            (uint8 v, bytes32 r, bytes32 s, uint256 deadline) = _permit(buyer, budget);
            vm.prank(buyer);
            try market.submitJobWithPermit(spec, budget, deadline, v, r, s) returns (uint256 id) {
                (ok, jobId) = (true, id);
            } catch {}
        } else {
            vm.prank(buyer);
            token.approve(address(market), budget);
            vm.prank(buyer);
            try market.submitJob(spec, budget) returns (uint256 id) {
                (ok, jobId) = (true, id);
            } catch {}
        }
        store.countCall(this.submitJob.selector, ok);
        if (!ok) return;
        if (token.balanceOf(address(market)) != marketBalanceBefore + budget) store.addBalanceDeltaMismatch();
        store.addJob(jobId, buyer, spec.teamId, budget);
        _jobFeeBps[jobId] = feeBps;
    }

    function acceptRoute(uint256 timeJumpSeed, uint256 jobSeed)
        external
        useTime(timeJumpSeed)
        checkTransitions(this.acceptRoute.selector)
    {
        (bool found, uint256 jobId, DataTypes.Job memory job) = _findJob(jobSeed, _mask(DataTypes.JobStatus.Routed));
        if (!found || block.timestamp > job.startBy) return;
        vm.prank(job.buyer);
        try market.acceptRoute(jobId) {
            store.countCall(this.acceptRoute.selector, true);
        } catch {
            store.countCall(this.acceptRoute.selector, false);
        }
    }

    function rejectRoute(uint256 timeJumpSeed, uint256 jobSeed)
        external
        useTime(timeJumpSeed)
        checkTransitions(this.rejectRoute.selector)
    {
        (bool found, uint256 jobId, DataTypes.Job memory job) = _findJob(jobSeed, _mask(DataTypes.JobStatus.Routed));
        if (!found) return;
        vm.prank(job.buyer);
        try market.rejectRoute(jobId) {
            store.countCall(this.rejectRoute.selector, true);
        } catch {
            store.countCall(this.rejectRoute.selector, false);
        }
    }

    function cancelJob(uint256 timeJumpSeed, uint256 jobSeed)
        external
        useTime(timeJumpSeed)
        checkTransitions(this.cancelJob.selector)
    {
        uint256 statuses = _mask(DataTypes.JobStatus.Open) | _mask(DataTypes.JobStatus.Routed)
            | _mask(DataTypes.JobStatus.Accepted) | _mask(DataTypes.JobStatus.Running);
        (bool found, uint256 jobId, DataTypes.Job memory job) = _findJob(jobSeed, statuses);
        if (!found) return;
        uint256 expectedDue = job.status == DataTypes.JobStatus.Running ? _due(job, block.timestamp) : 0;
        vm.prank(job.buyer);
        try market.cancelJob(jobId) {
            store.countCall(this.cancelJob.selector, true);
            _checkDue(jobId, expectedDue);
        } catch {
            store.countCall(this.cancelJob.selector, false);
        }
    }

    function confirmJob(uint256 timeJumpSeed, uint256 jobSeed)
        external
        useTime(timeJumpSeed)
        checkTransitions(this.confirmJob.selector)
    {
        (bool found, uint256 jobId, DataTypes.Job memory job) = _findJob(jobSeed, _mask(DataTypes.JobStatus.Completed));
        if (!found) return;
        uint256 expectedDue = _due(job, job.completedAt);
        vm.prank(job.buyer);
        try market.confirmJob(jobId) {
            store.countCall(this.confirmJob.selector, true);
            _checkDue(jobId, expectedDue);
        } catch {
            store.countCall(this.confirmJob.selector, false);
        }
    }

    function disputeJob(uint256 timeJumpSeed, uint256 jobSeed, bytes32 reasonHash)
        external
        useTime(timeJumpSeed)
        checkTransitions(this.disputeJob.selector)
    {
        (bool found, uint256 jobId, DataTypes.Job memory job) =
            _findJob(jobSeed, _mask(DataTypes.JobStatus.Running) | _mask(DataTypes.JobStatus.Completed));
        if (!found) return;
        if (job.status == DataTypes.JobStatus.Completed && block.timestamp > uint256(job.completedAt) + disputeWindow) {
            return;
        }
        vm.prank(job.buyer);
        try market.disputeJob(jobId, reasonHash) {
            store.countCall(this.disputeJob.selector, true);
        } catch {
            store.countCall(this.disputeJob.selector, false);
        }
    }

    function topUp(uint256 timeJumpSeed, uint256 jobSeed, uint256 extraSeed, uint256 amountSeed)
        external
        useTime(timeJumpSeed)
        checkTransitions(this.topUp.selector)
    {
        uint256 statuses = _mask(DataTypes.JobStatus.Open) | _mask(DataTypes.JobStatus.Routed)
            | _mask(DataTypes.JobStatus.Accepted) | _mask(DataTypes.JobStatus.Running);
        (bool found, uint256 jobId, DataTypes.Job memory job) = _findJob(jobSeed, statuses);
        if (!found) return;
        uint32 extra = uint32(bound(extraSeed, 0, 1 days));
        uint256 required = _ceilDiv(uint256(job.maxPricePerGpuHour) * job.gpuCount * extra, 3600);
        uint256 amount = required + bound(amountSeed, 0, 100e6);
        if (amount == 0) amount = 1;
        if (uint256(job.balance) + amount > type(uint96).max) return;
        _fund(job.buyer, amount);
        vm.prank(job.buyer);
        token.approve(address(market), amount);
        uint256 marketBalanceBefore = token.balanceOf(address(market));
        vm.prank(job.buyer);
        try market.topUp(jobId, amount, extra) {
            store.countCall(this.topUp.selector, true);
            if (token.balanceOf(address(market)) != marketBalanceBefore + amount) store.addBalanceDeltaMismatch();
            store.addDeposit(jobId, amount);
        } catch {
            store.countCall(this.topUp.selector, false);
        }
    }

    /*//////////////////////////////////////////////////////////////
                            KEEPER, PROVIDER
    //////////////////////////////////////////////////////////////*/

    function commitRoute(uint256 timeJumpSeed, uint256 jobSeed, uint256 candidateSeed, uint256 priceSeed, bytes32 salt)
        external
        useTime(timeJumpSeed)
        checkTransitions(this.commitRoute.selector)
    {
        if (paused) return;
        (bool found, uint256 jobId, DataTypes.Job memory job) = _findRoutableJob(jobSeed);
        if (!found) return;
        if (job.status != DataTypes.JobStatus.Open) {
            // A re-route needs the start deadline to have passed, and the job not to be past its start-by time.
            if (job.startDeadline == 0 || job.startDeadline >= job.startBy) return;
            if (block.timestamp <= job.startDeadline) _warp(uint256(job.startDeadline) + 1);
        }
        if (block.timestamp > job.startBy) return;

        (bool haveRoute, DataTypes.RouteInput memory route) = _route(job, candidateSeed, priceSeed, salt);
        if (!haveRoute) return;

        vm.prank(_actors.keeper);
        try market.commitRoute(jobId, route) {
            store.countCall(this.commitRoute.selector, true);
        } catch {
            store.countCall(this.commitRoute.selector, false);
        }
    }

    function startJob(uint256 timeJumpSeed, uint256 jobSeed)
        external
        useTime(timeJumpSeed)
        checkTransitions(this.startJob.selector)
    {
        (bool found, uint256 jobId, DataTypes.Job memory job) = _findStartableJob(jobSeed);
        if (!found) return;
        vm.prank(_operatorCaller(job));
        try market.startJob(jobId) {
            store.countCall(this.startJob.selector, true);
        } catch {
            store.countCall(this.startJob.selector, false);
        }
    }

    function completeJob(uint256 timeJumpSeed, uint256 jobSeed, bytes32 resultHash)
        external
        useTime(timeJumpSeed)
        checkTransitions(this.completeJob.selector)
    {
        (bool found, uint256 jobId, DataTypes.Job memory job) = _findJob(jobSeed, _mask(DataTypes.JobStatus.Running));
        if (!found) return;
        vm.prank(_operatorCaller(job));
        try market.completeJob(jobId, resultHash) {
            store.countCall(this.completeJob.selector, true);
        } catch {
            store.countCall(this.completeJob.selector, false);
        }
    }

    function settleJob(uint256 timeJumpSeed, uint256 jobSeed, uint256 callerSeed)
        external
        useTime(timeJumpSeed)
        checkTransitions(this.settleJob.selector)
    {
        (bool found, uint256 jobId, DataTypes.Job memory job) = _findJob(jobSeed, _mask(DataTypes.JobStatus.Completed));
        if (!found) return;
        uint256 closesAt = uint256(job.completedAt) + disputeWindow;
        if (block.timestamp <= closesAt) _warp(closesAt + 1);
        uint256 expectedDue = _due(job, job.completedAt);
        vm.prank(address(uint160(bound(callerSeed, 1, type(uint160).max))));
        try market.settleJob(jobId) {
            store.countCall(this.settleJob.selector, true);
            _checkDue(jobId, expectedDue);
        } catch {
            store.countCall(this.settleJob.selector, false);
        }
    }

    function expireJob(uint256 timeJumpSeed, uint256 jobSeed)
        external
        useTime(timeJumpSeed)
        checkTransitions(this.expireJob.selector)
    {
        uint256 statuses = _mask(DataTypes.JobStatus.Open) | _mask(DataTypes.JobStatus.Routed)
            | _mask(DataTypes.JobStatus.Accepted);
        (bool found, uint256 jobId, DataTypes.Job memory job) = _findJob(jobSeed, statuses);
        if (!found) return;
        // Jumping to a start-by time would expire every pending job at once: only expire jobs time has caught up with,
        // except now and then.
        if (block.timestamp <= job.startBy) {
            if (jobSeed % 8 != 0) return;
            _warp(uint256(job.startBy) + 1);
        }
        try market.expireJob(jobId) {
            store.countCall(this.expireJob.selector, true);
        } catch {
            store.countCall(this.expireJob.selector, false);
        }
    }

    /// @dev Settles a dispute by default once its timeout passed (warping there when needed).
    function settleDispute(uint256 timeJumpSeed, uint256 jobSeed, uint256 callerSeed)
        external
        useTime(timeJumpSeed)
        checkTransitions(this.settleDispute.selector)
    {
        (bool found, uint256 jobId, DataTypes.Job memory job) = _findJob(jobSeed, _mask(DataTypes.JobStatus.Disputed));
        if (!found) return;
        uint256 settlesAt = uint256(job.completedAt) + job.disputeWindow + job.disputeTimeout;
        if (block.timestamp < settlesAt) _warp(settlesAt);
        uint256 expectedShare = _due(job, job.completedAt) * 5000 / 10_000;
        vm.prank(address(uint160(bound(callerSeed, 1, type(uint160).max))));
        try market.settleDispute(jobId) {
            store.countCall(this.settleDispute.selector, true);
            _checkDue(jobId, expectedShare);
        } catch {
            store.countCall(this.settleDispute.selector, false);
        }
    }

    function resolveDispute(uint256 timeJumpSeed, uint256 jobSeed, uint256 shareSeed)
        external
        useTime(timeJumpSeed)
        checkTransitions(this.resolveDispute.selector)
    {
        (bool found, uint256 jobId,) = _findJob(jobSeed, _mask(DataTypes.JobStatus.Disputed));
        if (!found) return;
        uint16 share = uint16(bound(shareSeed, 0, 10_000));
        vm.prank(_actors.arbiter);
        try market.resolveDispute(jobId, share) {
            store.countCall(this.resolveDispute.selector, true);
        } catch {
            store.countCall(this.resolveDispute.selector, false);
        }
    }

    function repriceOffer(uint256 timeJumpSeed, uint256 providerSeed, uint256 priceSeed)
        external
        useTime(timeJumpSeed)
        checkTransitions(this.repriceOffer.selector)
    {
        ProviderActor memory provider = _providers[providerSeed % _providers.length];
        uint48 price = uint48(bound(priceSeed, 1, MAX_PRICE));
        vm.prank(provider.wallet);
        try registry.repriceOffer(provider.offerId, price) {
            store.countCall(this.repriceOffer.selector, true);
        } catch {
            store.countCall(this.repriceOffer.selector, false);
        }
    }

    /// @notice A provider pauses or resumes itself, or the pauser suspends or reinstates it.
    function toggleProvider(uint256 timeJumpSeed, uint256 providerSeed, bool bySuspension)
        external
        useTime(timeJumpSeed)
        checkTransitions(this.toggleProvider.selector)
    {
        ProviderActor memory provider = _providers[providerSeed % _providers.length];
        DataTypes.ProviderStatus status = registry.getProvider(provider.wallet).status;
        bool ok = true;
        if (bySuspension && status != DataTypes.ProviderStatus.Paused) {
            vm.prank(_actors.pauser);
            try registry.setSuspended(provider.wallet, status != DataTypes.ProviderStatus.Suspended) {}
            catch {
                ok = false;
            }
        } else if (!bySuspension && status != DataTypes.ProviderStatus.Suspended) {
            vm.prank(provider.wallet);
            try registry.setPaused(status != DataTypes.ProviderStatus.Paused) {}
            catch {
                ok = false;
            }
        }
        store.countCall(this.toggleProvider.selector, ok);
    }

    /*//////////////////////////////////////////////////////////////
                              ESCROW, ADMIN
    //////////////////////////////////////////////////////////////*/

    function withdraw(uint256 timeJumpSeed, uint256 accountSeed, uint256 toSeed, bool toOther)
        external
        useTime(timeJumpSeed)
        checkTransitions(this.withdraw.selector)
    {
        (bool found, address account) = _findAccountWithBalance(accountSeed);
        if (!found) return;
        uint256 amount = market.withdrawable(account);
        address to = toOther ? store.accounts(toSeed % store.accountCount()) : account;
        uint256 marketBalanceBefore = token.balanceOf(address(market));
        uint256 toBalanceBefore = token.balanceOf(to);
        vm.prank(account);
        bool ok;
        if (toOther) {
            try market.withdrawTo(to) {
                ok = true;
            } catch {}
        } else {
            try market.withdraw() {
                ok = true;
            } catch {}
        }
        store.countCall(this.withdraw.selector, ok);
        if (!ok) return;
        store.addWithdrawal(amount);
        if (
            market.withdrawable(account) != 0 || token.balanceOf(address(market)) != marketBalanceBefore - amount
                || (to != address(market) && token.balanceOf(to) != toBalanceBefore + amount)
        ) store.addBalanceDeltaMismatch();
    }

    function withdrawFees(uint256 timeJumpSeed)
        external
        useTime(timeJumpSeed)
        checkTransitions(this.withdrawFees.selector)
    {
        uint256 amount = market.accruedFees();
        if (amount == 0) return;
        try market.withdrawFees() {
            store.countCall(this.withdrawFees.selector, true);
            store.addFeesWithdrawal(amount);
            if (market.accruedFees() != 0) store.addBalanceDeltaMismatch();
        } catch {
            store.countCall(this.withdrawFees.selector, false);
        }
    }

    function setProtocolFee(uint256 timeJumpSeed, uint256 feeSeed)
        external
        useTime(timeJumpSeed)
        checkTransitions(this.setProtocolFee.selector)
    {
        uint16 fee = uint16(bound(feeSeed, 0, MAX_FEE_BPS));
        vm.prank(_actors.admin);
        try market.setProtocolFee(fee) {
            feeBps = fee;
            store.countCall(this.setProtocolFee.selector, true);
        } catch {
            store.countCall(this.setProtocolFee.selector, false);
        }
    }

    function togglePause(uint256 timeJumpSeed)
        external
        useTime(timeJumpSeed)
        checkTransitions(this.togglePause.selector)
    {
        vm.prank(_actors.pauser);
        bool ok = true;
        if (paused) {
            try market.unpause() {
                paused = false;
            } catch {
                ok = false;
            }
        } else {
            try market.pause() {
                paused = true;
            } catch {
                ok = false;
            }
        }
        store.countCall(this.togglePause.selector, ok);
    }

    /// @notice Lets time pass without any call.
    function warp(uint256 timeJumpSeed) external useTime(timeJumpSeed) {}

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    function _warp(uint256 to) internal {
        vm.warp(to);
        store.setTimestamp(to);
    }

    /// @dev A route for the job: an on-chain provider whose offer fits (from a random one on), or the external market
    /// when the job allows it and no provider fits (or, a third of the time, anyway).
    function _route(DataTypes.Job memory job, uint256 candidateSeed, uint256 priceSeed, bytes32 salt)
        internal
        view
        returns (bool haveRoute, DataTypes.RouteInput memory route)
    {
        for (uint256 i; i < _providers.length && !haveRoute; ++i) {
            ProviderActor memory provider = _providers[(candidateSeed + i) % _providers.length];
            (bool usable, uint48 price,) = registry.routeInfo(provider.wallet, provider.offerId);
            if (!usable || price > job.maxPricePerGpuHour) continue;
            DataTypes.Offer memory offer = registry.getOffer(provider.offerId);
            if (offer.gpuCount < job.gpuCount || offer.vramGb < job.minVramGb) continue;
            route.providerRef = bytes32(uint256(uint160(provider.wallet)));
            route.offerId = provider.offerId;
            route.pricePerGpuHour = price;
            haveRoute = true;
        }
        if ((!haveRoute || candidateSeed % 3 == 0) && job.allowExternal) {
            string memory externalId = string.concat("akash1provider", vm.toString(candidateSeed % 5));
            route.providerRef = keccak256(abi.encode(EXTERNAL_MARKET, externalId));
            route.offerId = 0;
            route.pricePerGpuHour = uint48(bound(priceSeed, 1, job.maxPricePerGpuHour));
            route.market = EXTERNAL_MARKET;
            route.externalId = externalId;
            route.sdlHash = keccak256(abi.encode(salt, "sdl"));
            haveRoute = true;
        }
        route.logRoot = keccak256(abi.encode(salt, "log"));
        route.decisionHash = keccak256(abi.encode(salt, "decision"));
    }

    function _status(uint256 jobId) internal view returns (DataTypes.JobStatus) {
        return market.getJob(jobId).status;
    }

    function _mask(DataTypes.JobStatus status) internal pure returns (uint256) {
        return 1 << uint256(status);
    }

    /// @dev The first ghost job, from a random start, whose status is in `statuses`.
    function _findJob(uint256 seed, uint256 statuses)
        internal
        view
        returns (bool found, uint256 jobId, DataTypes.Job memory job)
    {
        uint256 count = store.jobCount();
        if (count == 0) return (false, 0, job);
        uint256 start = seed % count;
        for (uint256 i; i < count; ++i) {
            jobId = store.jobIds((start + i) % count);
            job = market.getJob(jobId);
            if (statuses & _mask(job.status) != 0) return (true, jobId, job);
        }
        return (false, 0, job);
    }

    /// @dev An open job before its start-by time, or a bound route past its start deadline (a re-route).
    function _findRoutableJob(uint256 seed) internal view returns (bool, uint256, DataTypes.Job memory job) {
        uint256 count = store.jobCount();
        for (uint256 i; i < count; ++i) {
            uint256 jobId = store.jobIds((seed + i) % count);
            job = market.getJob(jobId);
            if (block.timestamp > job.startBy) continue;
            if (job.status == DataTypes.JobStatus.Open) return (true, jobId, job);
            bool bound_ = job.status == DataTypes.JobStatus.Routed || job.status == DataTypes.JobStatus.Accepted;
            if (bound_ && job.startDeadline != 0 && job.startDeadline < job.startBy) return (true, jobId, job);
        }
        return (false, 0, job);
    }

    /// @dev An accepted job whose start deadline and start-by time have not passed.
    function _findStartableJob(uint256 seed) internal view returns (bool, uint256, DataTypes.Job memory job) {
        uint256 count = store.jobCount();
        for (uint256 i; i < count; ++i) {
            uint256 jobId = store.jobIds((seed + i) % count);
            job = market.getJob(jobId);
            if (
                job.status == DataTypes.JobStatus.Accepted && block.timestamp <= job.startDeadline
                    && block.timestamp <= job.startBy
            ) return (true, jobId, job);
        }
        return (false, 0, job);
    }

    function _findAccountWithBalance(uint256 seed) internal view returns (bool, address) {
        uint256 count = store.accountCount();
        uint256 start = seed % count;
        for (uint256 i; i < count; ++i) {
            address account = store.accounts((start + i) % count);
            if (market.withdrawable(account) != 0) return (true, account);
        }
        return (false, address(0));
    }

    /// @dev Who may start or complete the job: the routed provider's wallet, or the keeper for an external market.
    function _operatorCaller(DataTypes.Job memory job) internal view returns (address) {
        return job.allowExternal && job.operator != address(0) && !_isProviderWallet(job.operator)
            ? _actors.keeper
            : job.operator;
    }

    function _isProviderWallet(address account) internal view returns (bool) {
        for (uint256 i; i < _providers.length; ++i) {
            if (_providers[i].wallet == account) return true;
        }
        return false;
    }

    /// @dev Amount due under the economics: price × GPUs × min(elapsed, duration) / 3600, rounded down.
    function _due(DataTypes.Job memory job, uint256 until) internal pure returns (uint256) {
        uint256 elapsed = until > job.startedAt ? until - job.startedAt : 0;
        if (elapsed > job.duration) elapsed = job.duration;
        return uint256(job.pricePerGpuHour) * job.gpuCount * elapsed / 3600;
    }

    function _checkDue(uint256 jobId, uint256 expectedDue) internal {
        _pendingDueCheck = true;
        _pendingDueJob = jobId;
        _pendingDue = expectedDue;
    }

    /// @dev The protocol fee in force when each job was submitted: the fee its settlement must charge.
    mapping(uint256 jobId => uint16) internal _jobFeeBps;
    bool internal _pendingDueCheck;
    uint256 internal _pendingDueJob;
    uint256 internal _pendingDue;

    function _ceilDiv(uint256 a, uint256 b) internal pure returns (uint256) {
        return a == 0 ? 0 : (a - 1) / b + 1;
    }

    function _spec(
        address buyer,
        uint256 priceSeed,
        uint256 gpuSeed,
        uint256 durationSeed,
        uint256 extraBudgetSeed,
        uint8 flags,
        uint256 teamSeed
    ) internal view returns (DataTypes.JobSpec memory spec, uint256 budget) {
        spec.document = string.concat('{"image":"necto/demo:1","seed":"', vm.toString(priceSeed), '"}');
        spec.specHash = keccak256(bytes(spec.document));
        spec.minVramGb = uint16(bound(gpuSeed >> 16, 0, 96));
        spec.maxPricePerGpuHour = uint48(bound(priceSeed, MIN_MAX_PRICE, MAX_PRICE));
        spec.gpuCount = uint16(bound(gpuSeed, 1, MAX_GPUS));
        spec.duration = uint32(bound(durationSeed, 60, MAX_DURATION));
        spec.autoAccept = flags & 0x01 != 0;
        spec.tracked = flags & 0x02 != 0;
        if (!spec.tracked) spec.document = "";
        spec.allowExternal = flags & 0x04 != 0;
        if (flags & 0x08 != 0) {
            spec.gpuModels = new string[](2);
            spec.gpuModels[0] = "H100";
            spec.gpuModels[1] = "A100";
            spec.regions = new string[](1);
            spec.regions[0] = "us-east";
        }
        uint256 required = _ceilDiv(uint256(spec.maxPricePerGpuHour) * spec.gpuCount * spec.duration, 3600);
        budget = required + bound(extraBudgetSeed, 0, required);
        if (_teamIds.length != 0 && teamSeed % 2 == 0) {
            uint256 teamId = _teamIds[teamSeed % _teamIds.length];
            if (teams.isMember(teamId, buyer)) {
                DataTypes.Team memory team = teams.getTeam(teamId);
                if (team.spendingCap == 0 || uint256(team.spentInPeriod) + budget <= team.spendingCap) {
                    spec.teamId = uint32(teamId);
                }
            }
        }
    }

    function _fund(address account, uint256 amount) internal {
        uint256 balance = token.balanceOf(account);
        if (balance < amount) deal(address(token), account, amount);
    }

    function _permit(address owner, uint256 value)
        internal
        view
        returns (uint8 v, bytes32 r, bytes32 s, uint256 deadline)
    {
        deadline = block.timestamp + 1 hours;
        bytes32 structHash = keccak256(
            abi.encode(
                keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"),
                owner,
                address(market),
                value,
                IERC20Permit(address(token)).nonces(owner),
                deadline
            )
        );
        bytes32 digest =
            keccak256(abi.encodePacked("\x19\x01", IERC20Permit(address(token)).DOMAIN_SEPARATOR(), structHash));
        (v, r, s) = vm.sign(_buyerKeys[owner], digest);
    }

    /// @dev Books deposits and closings from the market's events, adds credited accounts to the ghost set and runs the
    /// pending due check against the closing event.
    function _processLogs(Vm.Log[] memory logs) internal {
        for (uint256 i; i < logs.length; ++i) {
            Vm.Log memory log = logs[i];
            if (log.emitter != address(market) || log.topics.length == 0) continue;
            bytes32 topic = log.topics[0];
            if (topic == IJobMarket.PaymentCredited.selector) {
                store.addAccount(address(uint160(uint256(log.topics[1]))));
            } else if (topic == IJobMarket.JobSettled.selector || topic == IJobMarket.JobCancelled.selector) {
                uint256 jobId = uint256(log.topics[1]);
                (uint256 payout, uint256 fee, uint256 refund) = abi.decode(log.data, (uint256, uint256, uint256));
                store.addAccount(address(uint160(uint256(log.topics[2]))));
                store.addClosing(jobId, payout, fee, refund);
                if (_pendingDueCheck && _pendingDueJob == jobId) {
                    _pendingDueCheck = false;
                    uint256 expectedFee = _pendingDue * _jobFeeBps[jobId] / 10_000;
                    if (payout + fee != _pendingDue || fee != expectedFee) {
                        store.addDueMismatch(jobId, _pendingDue, payout + fee, _action);
                    }
                }
            } else if (
                topic == IJobMarket.DisputeResolved.selector || topic == IJobMarket.DisputeSettledByDefault.selector
            ) {
                uint256 jobId = uint256(log.topics[1]);
                (, uint256 payout, uint256 fee, uint256 refund) =
                    abi.decode(log.data, (uint16, uint256, uint256, uint256));
                store.addClosing(jobId, payout, fee, refund);
                if (_pendingDueCheck && _pendingDueJob == jobId) {
                    _pendingDueCheck = false;
                    if (payout + fee != _pendingDue || fee != _pendingDue * _jobFeeBps[jobId] / 10_000) {
                        store.addDueMismatch(jobId, _pendingDue, payout + fee, _action);
                    }
                }
            } else if (topic == IJobMarket.JobExpired.selector) {
                store.addClosing(uint256(log.topics[1]), 0, 0, abi.decode(log.data, (uint256)));
            }
        }
        if (_pendingDueCheck) {
            // The call succeeded but emitted no closing event for the job.
            _pendingDueCheck = false;
            store.addDueMismatch(_pendingDueJob, _pendingDue, type(uint256).max, _action);
        }
    }

    /// @notice Actors, for the invariant test.
    function actors() external view returns (Actors memory) {
        return _actors;
    }
}
