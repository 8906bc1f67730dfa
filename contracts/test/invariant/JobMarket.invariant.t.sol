// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {StdInvariant} from "forge-std/StdInvariant.sol";
import {console2} from "forge-std/console2.sol";

import {DataTypes} from "../../src/types/DataTypes.sol";
import {Base} from "../Base.t.sol";
import {JobMarketHandler} from "./handlers/JobMarketHandler.sol";
import {JobStore} from "./stores/JobStore.sol";

/// @title JobMarketInvariantTest
/// @notice Random sequences of every user-facing action (see JobMarketHandler) must keep the escrow solvent, never pay a
/// job out more than it held, conserve every finished job's deposits, move statuses only along DataTypes.JobStatus's
/// edges, bill exactly what the job record says is due, and keep team spend within the cap.
contract JobMarketInvariantTest is StdInvariant, Base {
    uint128 internal constant TEAM_CAP = 2000e6;
    uint32 internal constant TEAM_PERIOD = 1 days;
    /// @dev Windows wide enough, against the handler's time jumps, for routed jobs to start and completed jobs to be
    /// disputed; expiry still happens (a job can wait for its start at most INVARIANT_START_BY).
    uint32 internal constant INVARIANT_START_WINDOW = 2 hours;
    uint32 internal constant INVARIANT_DISPUTE_WINDOW = 2 hours;
    uint32 internal constant INVARIANT_START_BY = 2 days;

    JobStore internal store;
    JobMarketHandler internal handler;
    uint256 internal cappedTeam;
    uint256 internal uncappedTeam;
    /// @dev Units each offer is listed with (Base's offer input).
    uint256 internal constant LISTED_UNITS = 4;
    uint256 internal offer1;
    uint256 internal offer2;
    uint256 internal offer3;

    function setUp() public override {
        super.setUp();
        vm.prank(admin);
        market.setWindows(INVARIANT_START_WINDOW, INVARIANT_DISPUTE_WINDOW, INVARIANT_START_BY);
        store = new JobStore(block.timestamp);
        handler = new JobMarketHandler(
            market,
            providerRegistry,
            teamRegistry,
            store,
            JobMarketHandler.Actors({
                admin: admin, keeper: keeper, arbiter: arbiter, pauser: arbiter, treasury: treasury
            }),
            FEE_BPS,
            [INVARIANT_START_WINDOW, INVARIANT_DISPUTE_WINDOW, INVARIANT_START_BY]
        );

        // Buyers, with permit keys.
        handler.addBuyer(buyer, buyerKey);
        handler.addBuyer(buyer2, buyer2Key);
        (address buyer3, uint256 buyer3Key) = makeAddrAndKey("buyer3");
        handler.addBuyer(buyer3, buyer3Key);

        // Providers: two paid to their wallet, one to a separate payout address; three price points.
        _registerProvider(provider);
        offer1 = _listOffer(provider, 1e6);
        handler.addProvider(provider, provider, offer1);
        _registerProvider(provider2);
        offer2 = _listOffer(provider2, PRICE);
        handler.addProvider(provider2, provider2, offer2);
        address provider3 = makeAddr("provider3");
        address payout3 = makeAddr("payout3");
        vm.prank(provider3);
        providerRegistry.registerProvider("Provider 3", "", "eu-west", payout3);
        offer3 = _listOffer(provider3, 5e6);
        handler.addProvider(provider3, payout3, offer3);

        // Teams: one capped (buyer owns, buyer2 member), one without a cap (buyer2 owns, buyer3 member).
        vm.startPrank(buyer);
        cappedTeam = teamRegistry.createTeam("capped", TEAM_CAP, TEAM_PERIOD);
        teamRegistry.addMember(cappedTeam, buyer2);
        vm.stopPrank();
        vm.startPrank(buyer2);
        uncappedTeam = teamRegistry.createTeam("uncapped", 0, 0);
        teamRegistry.addMember(uncappedTeam, buyer3);
        vm.stopPrank();
        handler.addTeam(cappedTeam);
        handler.addTeam(uncappedTeam);

        handler.addAccount(settlement);

        // Weighted selectors: the happy path more often than admin toggles.
        bytes4[] memory selectors = new bytes4[](32);
        uint256 n;
        selectors[n++] = handler.submitJob.selector;
        selectors[n++] = handler.submitJob.selector;
        selectors[n++] = handler.commitRoute.selector;
        selectors[n++] = handler.commitRoute.selector;
        selectors[n++] = handler.commitRoute.selector;
        selectors[n++] = handler.acceptRoute.selector;
        selectors[n++] = handler.acceptRoute.selector;
        selectors[n++] = handler.rejectRoute.selector;
        selectors[n++] = handler.startJob.selector;
        selectors[n++] = handler.startJob.selector;
        selectors[n++] = handler.startJob.selector;
        selectors[n++] = handler.completeJob.selector;
        selectors[n++] = handler.completeJob.selector;
        selectors[n++] = handler.completeJob.selector;
        selectors[n++] = handler.confirmJob.selector;
        selectors[n++] = handler.confirmJob.selector;
        selectors[n++] = handler.settleJob.selector;
        selectors[n++] = handler.settleJob.selector;
        selectors[n++] = handler.cancelJob.selector;
        selectors[n++] = handler.disputeJob.selector;
        selectors[n++] = handler.disputeJob.selector;
        selectors[n++] = handler.resolveDispute.selector;
        selectors[n++] = handler.settleDispute.selector;
        selectors[n++] = handler.expireJob.selector;
        selectors[n++] = handler.topUp.selector;
        selectors[n++] = handler.withdraw.selector;
        selectors[n++] = handler.withdraw.selector;
        selectors[n++] = handler.withdrawFees.selector;
        selectors[n++] = handler.repriceOffer.selector;
        selectors[n++] = handler.toggleProvider.selector;
        selectors[n++] = handler.setProtocolFee.selector;
        selectors[n++] = handler.warp.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
        targetContract(address(handler));
    }

    function _sumBalances() internal view returns (uint256 jobBalances, uint256 credits) {
        uint256 jobs = store.jobCount();
        for (uint256 i; i < jobs; ++i) {
            jobBalances += market.getJob(store.jobIds(i)).balance;
        }
        uint256 accounts = store.accountCount();
        for (uint256 i; i < accounts; ++i) {
            credits += market.withdrawable(store.accounts(i));
        }
    }

    /*//////////////////////////////////////////////////////////////
                               INVARIANTS
    //////////////////////////////////////////////////////////////*/

    /// @notice All the invariants below, checked after every call of one campaign (one campaign per invariant function
    /// would run the same sequences six times over).
    function invariant_JobMarket() external view {
        _assertSolvency();
        _assertNoJobPaysMoreThanItHeld();
        _assertFinishedJobsConserveDeposits();
        _assertStatusEdges();
        _assertBilledAmountMatchesRecord();
        _assertTeamSpendWithinCap();
        _assertCapacityHeldByLiveJobs();
    }

    /// @notice The market holds exactly the escrowed job balances, the withdrawable credits and the accrued fees.
    function _assertSolvency() internal view {
        (uint256 jobBalances, uint256 credits) = _sumBalances();
        uint256 held = usdc.balanceOf(address(market));
        assertEq(held, jobBalances + credits + market.accruedFees(), "balance != jobs + withdrawable + fees");
        assertEq(
            held,
            store.totalDeposited() - store.totalWithdrawn() - store.totalFeesWithdrawn(),
            "balance != deposits - withdrawals"
        );
        assertEq(market.jobCount(), store.jobCount(), "job count");
    }

    /// @notice No job pays out (payout + fee + refund) more than was deposited into it, and it closes at most once.
    function _assertNoJobPaysMoreThanItHeld() internal view {
        uint256 jobs = store.jobCount();
        for (uint256 i; i < jobs; ++i) {
            JobStore.JobGhost memory ghost = store.ghostJob(store.jobIds(i));
            assertLe(ghost.paidOut + ghost.fees + ghost.refunded, ghost.deposited, "job paid more than it held");
            assertLe(ghost.closings, 1, "job closed twice");
        }
    }

    /// @notice A finished job paid out exactly its deposits and holds nothing; an unfinished one holds all of them.
    function _assertFinishedJobsConserveDeposits() internal view {
        uint256 jobs = store.jobCount();
        for (uint256 i; i < jobs; ++i) {
            uint256 jobId = store.jobIds(i);
            JobStore.JobGhost memory ghost = store.ghostJob(jobId);
            DataTypes.Job memory job = market.getJob(jobId);
            if (store.isFinal(job.status)) {
                assertEq(
                    ghost.paidOut + ghost.fees + ghost.refunded, ghost.deposited, "payout + fee + refund != deposit"
                );
                assertEq(job.balance, 0, "finished job holds a balance");
                assertEq(ghost.closings, 1, "finished job without a closing event");
            } else {
                assertEq(job.balance, ghost.deposited, "unfinished job balance != deposits");
                assertEq(ghost.closings, 0, "unfinished job paid out");
            }
        }
    }

    /// @notice Every observed status change is an edge of DataTypes.JobStatus.
    function _assertStatusEdges() internal view {
        uint256 bad = store.badTransitionCount();
        for (uint256 i; i < bad; ++i) {
            JobStore.BadTransition memory t = store.badTransition(i);
            console2.log("bad transition: job", t.jobId);
            console2.log("  from / to", uint256(t.from), uint256(t.to));
            console2.logBytes4(t.action);
        }
        assertEq(bad, 0, "status moved along a forbidden edge");
    }

    /// @notice Settlements and pro-rata cancellations pay exactly price × GPUs × billed seconds / 3600 (fee included),
    /// with the fee the job was submitted under.
    function _assertBilledAmountMatchesRecord() internal view {
        uint256 bad = store.dueMismatchCount();
        for (uint256 i; i < bad; ++i) {
            JobStore.DueMismatch memory m = store.dueMismatch(i);
            console2.log("due mismatch: job", m.jobId, m.expectedDue, m.paidDue);
        }
        assertEq(bad, 0, "billed amount differs from the job record");
        assertEq(store.balanceDeltaMismatches(), 0, "token movement differs from the booked amount");
    }

    /// @notice Every offer's free units plus the units its live jobs (Routed, Accepted, Running) hold equal what the
    /// provider listed: routes take a unit, every exit gives it back exactly once.
    function _assertCapacityHeldByLiveJobs() internal view {
        uint256[3] memory offers = [offer1, offer2, offer3];
        uint256 jobs = store.jobCount();
        for (uint256 o; o < offers.length; ++o) {
            uint256 held;
            for (uint256 i; i < jobs; ++i) {
                DataTypes.Job memory job = market.getJob(store.jobIds(i));
                bool live = job.status == DataTypes.JobStatus.Routed || job.status == DataTypes.JobStatus.Accepted
                    || job.status == DataTypes.JobStatus.Running;
                if (live && job.offerId == offers[o]) ++held;
            }
            assertEq(providerRegistry.getOffer(offers[o]).availableUnits + held, LISTED_UNITS, "capacity leaked");
        }
    }

    /// @notice A capped team never has more than its cap counted in the current period.
    function _assertTeamSpendWithinCap() internal view {
        DataTypes.Team memory team = teamRegistry.getTeam(cappedTeam);
        assertLe(team.spentInPeriod, team.spendingCap, "team spend above cap");
    }

    /// @notice Prints how often each action ran and succeeded (with -vv), to check the campaign's depth.
    function afterInvariant() external view {
        bytes4[14] memory actions = [
            handler.submitJob.selector,
            handler.commitRoute.selector,
            handler.acceptRoute.selector,
            handler.startJob.selector,
            handler.completeJob.selector,
            handler.confirmJob.selector,
            handler.settleJob.selector,
            handler.cancelJob.selector,
            handler.disputeJob.selector,
            handler.resolveDispute.selector,
            handler.settleDispute.selector,
            handler.expireJob.selector,
            handler.topUp.selector,
            handler.withdraw.selector
        ];
        for (uint256 i; i < actions.length; ++i) {
            console2.logBytes4(actions[i]);
            console2.log("  calls / successes", store.calls(actions[i]), store.successes(actions[i]));
        }
    }
}
