// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

import {Base} from "../../Base.t.sol";
import {IJobMarket} from "../../../src/interfaces/IJobMarket.sol";
import {ITeamRegistry} from "../../../src/interfaces/ITeamRegistry.sol";
import {Errors} from "../../../src/libraries/Errors.sol";
import {DataTypes} from "../../../src/types/DataTypes.sol";

/// @notice cancelJob, expireJob, topUp.
contract CancelExpireTopUp_Unit_Test is Base {
    uint256 internal offerId;
    uint256 internal jobId;

    function setUp() public override {
        super.setUp();
        offerId = _setUpProvider(provider);
        jobId = _submitDefault();
    }

    modifier givenAccepted() {
        _commitOnChainRoute(jobId, provider, offerId);
        _;
    }

    modifier givenRunning() {
        vm.prank(provider);
        market.startJob(jobId);
        _;
    }

    /*//////////////////////////////////////////////////////////////
                                 CANCEL
    //////////////////////////////////////////////////////////////*/

    function test_CancelJob_OpenFullRefund() public {
        vm.expectEmit(address(market));
        emit IJobMarket.JobCancelled(jobId, address(0), 0, 0, BUDGET);
        vm.expectEmit(address(market));
        emit IJobMarket.PaymentCredited(buyer, jobId, BUDGET, BUDGET);
        vm.prank(buyer);
        market.cancelJob(jobId);
        assertEq(uint8(market.getJob(jobId).status), uint8(DataTypes.JobStatus.Cancelled));
        assertEq(market.getJob(jobId).balance, 0);
        assertEq(market.withdrawable(buyer), BUDGET);
    }

    function test_CancelJob_AcceptedFullRefund() public givenAccepted {
        vm.prank(buyer);
        market.cancelJob(jobId);
        assertEq(market.withdrawable(buyer), BUDGET);
        assertEq(market.withdrawable(provider), 0);
    }

    function test_CancelJob_RunningProRata() public givenAccepted givenRunning {
        skip(45 minutes);
        uint256 due = _due(PRICE, GPU_COUNT, 45 minutes);
        uint256 fee = _fee(due);
        vm.expectEmit(address(market));
        emit IJobMarket.JobCancelled(jobId, provider, due - fee, fee, BUDGET - due);
        vm.prank(buyer);
        market.cancelJob(jobId);
        assertEq(market.withdrawable(provider), due - fee);
        assertEq(market.withdrawable(buyer), BUDGET - due);
        assertEq(market.accruedFees(), fee);
    }

    function test_CancelJob_RunningPastDurationPaysFull() public givenAccepted givenRunning {
        skip(DURATION * 2);
        vm.prank(buyer);
        market.cancelJob(jobId);
        uint256 due = _due(PRICE, GPU_COUNT, DURATION);
        assertEq(market.withdrawable(provider), due - _fee(due));
        assertEq(market.withdrawable(buyer), BUDGET - due);
    }

    function test_RevertGiven_CancelCompleted() public givenAccepted givenRunning {
        vm.prank(provider);
        market.completeJob(jobId, 0);
        vm.prank(buyer);
        vm.expectRevert(
            abi.encodeWithSelector(Errors.JobMarket_InvalidStatus.selector, jobId, DataTypes.JobStatus.Completed)
        );
        market.cancelJob(jobId);
    }

    function test_RevertWhen_CancelCallerNotBuyer() public {
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_NotBuyer.selector, jobId, stranger));
        market.cancelJob(jobId);
    }

    function test_CancelJob_TeamJobReleasesAll() public {
        vm.prank(buyer);
        uint256 teamId = teamRegistry.createTeam("ml", 100e6, 30 days);
        DataTypes.JobSpec memory spec = _defaultSpec();
        spec.teamId = uint32(teamId);
        uint256 teamJob = _submit(buyer, spec, BUDGET);
        vm.expectEmit(address(teamRegistry));
        emit ITeamRegistry.TeamSpendReleased(teamId, teamJob, BUDGET, 0);
        vm.prank(buyer);
        market.cancelJob(teamJob);
    }

    /*//////////////////////////////////////////////////////////////
                                 EXPIRE
    //////////////////////////////////////////////////////////////*/

    function test_ExpireJob_RefundsAfterStartBy() public givenAccepted {
        vm.warp(market.getJob(jobId).startBy + 1);
        vm.expectEmit(address(market));
        emit IJobMarket.JobExpired(jobId, BUDGET);
        vm.prank(stranger);
        market.expireJob(jobId);
        assertEq(uint8(market.getJob(jobId).status), uint8(DataTypes.JobStatus.Expired));
        assertEq(market.withdrawable(buyer), BUDGET);
    }

    function test_RevertGiven_ExpireBeforeStartBy() public {
        uint40 startBy = market.getJob(jobId).startBy;
        vm.warp(startBy);
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_NotExpired.selector, jobId, startBy));
        market.expireJob(jobId);
    }

    function test_RevertGiven_ExpireRunning() public givenAccepted givenRunning {
        vm.warp(market.getJob(jobId).startBy + 1);
        vm.expectRevert(
            abi.encodeWithSelector(Errors.JobMarket_InvalidStatus.selector, jobId, DataTypes.JobStatus.Running)
        );
        market.expireJob(jobId);
    }

    function test_RevertGiven_ExpireUnknownJob() public {
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_UnknownJob.selector, 42));
        market.expireJob(42);
    }

    function test_ExpireJob_TeamJobReleases() public {
        vm.prank(buyer);
        uint256 teamId = teamRegistry.createTeam("ml", 0, 0);
        DataTypes.JobSpec memory spec = _defaultSpec();
        spec.teamId = uint32(teamId);
        uint256 teamJob = _submit(buyer, spec, BUDGET);
        vm.warp(market.getJob(teamJob).startBy + 1);
        market.expireJob(teamJob);
        assertEq(teamRegistry.getTeam(teamId).spentInPeriod, 0);
    }

    /*//////////////////////////////////////////////////////////////
                                 TOP UP
    //////////////////////////////////////////////////////////////*/

    function test_TopUp_ExtendsRunningJob() public givenAccepted givenRunning {
        uint256 extra = 6e6; // one more hour at max price for 2 GPUs
        vm.expectEmit(address(market));
        emit IJobMarket.JobToppedUp(jobId, extra, 1 hours, DURATION + 1 hours, BUDGET + extra);
        vm.prank(buyer);
        market.topUp(jobId, extra, 1 hours);
        DataTypes.Job memory job = market.getJob(jobId);
        assertEq(job.duration, DURATION + 1 hours);
        assertEq(job.balance, BUDGET + extra);
        assertEq(usdc.balanceOf(address(market)), BUDGET + extra);
    }

    function test_TopUp_BudgetOnly() public {
        vm.prank(buyer);
        market.topUp(jobId, 1, 0);
        assertEq(market.getJob(jobId).balance, BUDGET + 1);
    }

    function test_RevertWhen_TopUpTooSmallForDuration() public {
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_InsufficientBudget.selector, BUDGET + 1, BUDGET + 6e6));
        market.topUp(jobId, 1, 1 hours);
    }

    function test_RevertWhen_TopUpZero() public {
        vm.prank(buyer);
        vm.expectRevert(Errors.ZeroAmount.selector);
        market.topUp(jobId, 0, 1 hours);
    }

    function test_RevertWhen_TopUpDurationOverflows() public {
        vm.prank(buyer);
        vm.expectRevert(Errors.JobMarket_Overflow.selector);
        market.topUp(jobId, 1, type(uint32).max);
    }

    function test_RevertWhen_TopUpBalanceOverflows() public {
        vm.prank(buyer);
        vm.expectRevert(Errors.JobMarket_Overflow.selector);
        market.topUp(jobId, type(uint96).max, 0);
    }

    function test_RevertGiven_TopUpFinished() public {
        vm.prank(buyer);
        market.cancelJob(jobId);
        vm.prank(buyer);
        vm.expectRevert(
            abi.encodeWithSelector(Errors.JobMarket_InvalidStatus.selector, jobId, DataTypes.JobStatus.Cancelled)
        );
        market.topUp(jobId, 1, 0);
    }

    function test_RevertWhen_TopUpCallerNotBuyer() public {
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_NotBuyer.selector, jobId, stranger));
        market.topUp(jobId, 1, 0);
    }

    function test_RevertGiven_TopUpPaused() public {
        vm.prank(arbiter);
        market.pause();
        vm.prank(buyer);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        market.topUp(jobId, 1, 0);
    }

    function test_TopUp_TeamJobRecordsSpend() public {
        vm.prank(buyer);
        uint256 teamId = teamRegistry.createTeam("ml", 100e6, 30 days);
        DataTypes.JobSpec memory spec = _defaultSpec();
        spec.teamId = uint32(teamId);
        uint256 teamJob = _submit(buyer, spec, BUDGET);
        vm.prank(buyer);
        market.topUp(teamJob, 6e6, 1 hours);
        assertEq(teamRegistry.getTeam(teamId).spentInPeriod, BUDGET + 6e6);
        (, uint128 counted) = teamRegistry.jobSpend(teamId, address(market), teamJob);
        assertEq(counted, BUDGET + 6e6);
    }
}
