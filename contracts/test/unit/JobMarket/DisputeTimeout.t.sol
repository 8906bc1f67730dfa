// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IJobMarket} from "../../../src/interfaces/IJobMarket.sol";
import {Errors} from "../../../src/libraries/Errors.sol";
import {DataTypes} from "../../../src/types/DataTypes.sol";
import {Base} from "../../Base.t.sol";

/// @notice A dispute the arbiter leaves open past the job's dispute timeout can be settled by anyone by the default
/// rule (half the amount due to the provider); the fee, dispute window and timeout a job was submitted under hold
/// for it whatever the admin changes later.
contract DisputeTimeoutTest is Base {
    uint256 internal constant ELAPSED = 1 hours;

    function _disputedCompletedJob() internal returns (uint256 jobId) {
        jobId = _completedOnChainJob(ELAPSED);
        vm.prank(buyer);
        market.disputeJob(jobId, keccak256("bad output"));
    }

    function test_SettleDispute_ByDefaultAfterTimeout() public {
        uint256 jobId = _disputedCompletedJob();
        uint256 completedAt = block.timestamp;
        uint256 settlesAt = completedAt + DISPUTE_WINDOW + DISPUTE_TIMEOUT;
        vm.warp(settlesAt - 1);
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_DisputeTimeoutNotReached.selector, jobId, settlesAt));
        vm.prank(stranger);
        market.settleDispute(jobId);

        vm.warp(settlesAt);
        uint256 due = _due(PRICE, GPU_COUNT, ELAPSED);
        uint256 share = due * 5000 / 10_000;
        uint256 fee = _fee(share);
        vm.expectEmit(address(market));
        emit IJobMarket.DisputeSettledByDefault(jobId, stranger, 5000, share - fee, fee, BUDGET - share);
        vm.prank(stranger);
        market.settleDispute(jobId);
        assertEq(uint8(market.getJob(jobId).status), uint8(DataTypes.JobStatus.Resolved));
        assertEq(market.withdrawable(provider), share - fee);
        assertEq(market.withdrawable(buyer), BUDGET - share);
        assertEq(market.accruedFees(), fee);
    }

    function test_SettleDispute_RunningJobCountsFromTheDispute() public {
        uint256 jobId = _runningOnChainJob();
        skip(ELAPSED);
        vm.prank(buyer);
        market.disputeJob(jobId, keccak256("stalled"));
        uint256 settlesAt = block.timestamp + DISPUTE_WINDOW + DISPUTE_TIMEOUT;
        vm.warp(settlesAt);
        market.settleDispute(jobId);
        uint256 share = _due(PRICE, GPU_COUNT, ELAPSED) / 2;
        assertEq(market.withdrawable(provider), share - _fee(share));
    }

    function test_ResolveDispute_StillAllowedAfterTimeout() public {
        uint256 jobId = _disputedCompletedJob();
        skip(DISPUTE_WINDOW + DISPUTE_TIMEOUT + 1 days);
        vm.prank(arbiter);
        market.resolveDispute(jobId, 10_000);
        vm.expectRevert(
            abi.encodeWithSelector(Errors.JobMarket_InvalidStatus.selector, jobId, DataTypes.JobStatus.Resolved)
        );
        market.settleDispute(jobId);
    }

    function test_RevertWhen_SettleDisputeNotDisputed() public {
        uint256 jobId = _completedOnChainJob(ELAPSED);
        vm.expectRevert(
            abi.encodeWithSelector(Errors.JobMarket_InvalidStatus.selector, jobId, DataTypes.JobStatus.Completed)
        );
        market.settleDispute(jobId);
    }

    function test_JobKeepsItsTerms() public {
        uint256 jobId = _runningOnChainJob();
        DataTypes.Job memory before = market.getJob(jobId);
        assertEq(before.feeBps, FEE_BPS);
        assertEq(before.disputeWindow, DISPUTE_WINDOW);
        assertEq(before.disputeTimeout, DISPUTE_TIMEOUT);

        vm.startPrank(admin);
        market.setProtocolFee(1000);
        market.setWindows(START_WINDOW, 10 days, DEFAULT_START_BY);
        market.setDisputeTimeout(30 days);
        vm.stopPrank();
        assertEq(market.protocolFeeBps(), 1000, "new jobs get the new fee");
        assertEq(market.terms(market.currentTermsId()).disputeTimeout, 30 days);

        skip(ELAPSED);
        vm.prank(provider);
        market.completeJob(jobId, keccak256("result"));
        DataTypes.Job memory job = market.getJob(jobId);
        assertEq(job.feeBps, FEE_BPS, "fee snapshotted");
        assertEq(job.disputeWindow, DISPUTE_WINDOW, "dispute window snapshotted");
        assertEq(job.disputeTimeout, DISPUTE_TIMEOUT, "dispute timeout snapshotted");

        // The job's own dispute window, not the new 10 days, lets anyone settle it.
        skip(DISPUTE_WINDOW);
        vm.prank(stranger);
        market.settleJob(jobId);
        uint256 due = _due(PRICE, GPU_COUNT, ELAPSED);
        assertEq(market.accruedFees(), _fee(due), "charged the fee it was submitted under");

        uint256 later = _submitDefault();
        assertEq(market.getJob(later).feeBps, 1000);
        assertEq(market.getJob(later).disputeWindow, 10 days);
    }

    function test_SetDisputeTimeout_EmitsAndBounds() public {
        vm.expectEmit(address(market));
        emit IJobMarket.DisputeTimeoutSet(7 days);
        vm.prank(admin);
        market.setDisputeTimeout(7 days);
        vm.startPrank(admin);
        vm.expectRevert(Errors.JobMarket_InvalidParameter.selector);
        market.setDisputeTimeout(0);
        uint32 tooLong = market.MAX_WINDOW() + 1;
        vm.expectRevert(Errors.JobMarket_InvalidParameter.selector);
        market.setDisputeTimeout(tooLong);
        vm.stopPrank();
        vm.expectRevert();
        vm.prank(stranger);
        market.setDisputeTimeout(1 days);
    }
}
