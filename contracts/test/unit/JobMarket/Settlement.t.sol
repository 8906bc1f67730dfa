// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IAccessManaged} from "@openzeppelin/contracts/access/manager/IAccessManaged.sol";

import {Base} from "../../Base.t.sol";
import {IJobMarket} from "../../../src/interfaces/IJobMarket.sol";
import {ITeamRegistry} from "../../../src/interfaces/ITeamRegistry.sol";
import {Errors} from "../../../src/libraries/Errors.sol";
import {DataTypes} from "../../../src/types/DataTypes.sol";

/// @notice confirmJob, settleJob, disputeJob, resolveDispute.
contract Settlement_Unit_Test is Base {
    uint256 internal jobId;
    address internal payout = makeAddr("payout");

    function setUp() public override {
        super.setUp();
        jobId = _completedOnChainJob(1 hours);
    }

    function _assertSettled(uint256 billed, address payee, DataTypes.JobStatus status) internal view {
        uint256 due = _due(PRICE, GPU_COUNT, billed);
        assertEq(uint8(market.getJob(jobId).status), uint8(status));
        assertEq(market.getJob(jobId).balance, 0);
        assertEq(market.withdrawable(payee), due - _fee(due));
        assertEq(market.accruedFees(), _fee(due));
        assertEq(market.withdrawable(buyer), BUDGET - due);
        assertEq(usdc.balanceOf(address(market)), BUDGET, "tokens stay until withdrawn");
    }

    /*//////////////////////////////////////////////////////////////
                                CONFIRM
    //////////////////////////////////////////////////////////////*/

    function test_ConfirmJob_PaysProviderFeeAndRefund() public {
        uint256 due = _due(PRICE, GPU_COUNT, 1 hours);
        uint256 fee = _fee(due);
        vm.expectEmit(address(market));
        emit IJobMarket.JobSettled(jobId, provider, due - fee, fee, BUDGET - due);
        vm.expectEmit(address(market));
        emit IJobMarket.PaymentCredited(provider, jobId, due - fee, due - fee);
        vm.expectEmit(address(market));
        emit IJobMarket.FeeAccrued(jobId, fee, fee);
        vm.expectEmit(address(market));
        emit IJobMarket.PaymentCredited(buyer, jobId, BUDGET - due, BUDGET - due);
        vm.prank(buyer);
        market.confirmJob(jobId);
        _assertSettled(1 hours, provider, DataTypes.JobStatus.Settled);
        assertEq(market.amountDue(jobId), 0);
    }

    function test_ConfirmJob_PaysCurrentPayoutAddress() public {
        vm.prank(provider);
        providerRegistry.updateProvider("Provider", "", "us-east", payout);
        vm.prank(buyer);
        market.confirmJob(jobId);
        _assertSettled(1 hours, payout, DataTypes.JobStatus.Settled);
        assertEq(market.withdrawable(provider), 0);
    }

    /// @dev The fee is snapshotted at submission: the zero fee applies to a job submitted after the change.
    function test_ConfirmJob_ZeroFee() public {
        vm.prank(admin);
        market.setProtocolFee(0);
        jobId = _submitDefault();
        _commitOnChainRoute(jobId, provider, 1);
        vm.prank(provider);
        market.startJob(jobId);
        skip(1 hours);
        vm.prank(provider);
        market.completeJob(jobId, keccak256("result"));
        uint256 feesBefore = market.accruedFees();
        vm.recordLogs();
        vm.prank(buyer);
        market.confirmJob(jobId);
        assertEq(vm.getRecordedLogs().length, 3, "no FeeAccrued");
        assertEq(market.accruedFees(), feesBefore);
    }

    function test_ConfirmJob_ExternalRoutePaysSettlementAccount() public {
        jobId = _submitDefault();
        _commitExternalRoute(jobId, AKASH, AKASH_PROVIDER);
        vm.startPrank(keeper);
        market.startJob(jobId);
        skip(1 hours);
        market.completeJob(jobId, bytes32("done"));
        vm.stopPrank();
        vm.prank(buyer);
        market.confirmJob(jobId);
        uint256 due = _due(PRICE, GPU_COUNT, 1 hours);
        assertEq(market.withdrawable(settlement), due - _fee(due));
        assertEq(market.accruedFees(), _fee(due));
    }

    function test_RevertWhen_ConfirmCallerNotBuyer() public {
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_NotBuyer.selector, jobId, provider));
        market.confirmJob(jobId);
    }

    function test_RevertGiven_ConfirmNotCompleted() public {
        vm.prank(buyer);
        market.confirmJob(jobId);
        vm.prank(buyer);
        vm.expectRevert(
            abi.encodeWithSelector(Errors.JobMarket_InvalidStatus.selector, jobId, DataTypes.JobStatus.Settled)
        );
        market.confirmJob(jobId);
    }

    function test_ConfirmJob_TeamJobReleasesRefund() public {
        vm.prank(buyer);
        uint256 teamId = teamRegistry.createTeam("ml", 100e6, 30 days);
        DataTypes.JobSpec memory spec = _defaultSpec();
        spec.teamId = uint32(teamId);
        uint256 teamJob = _submit(buyer, spec, BUDGET);
        _commitOnChainRoute(teamJob, provider, 1);
        vm.prank(provider);
        market.startJob(teamJob);
        skip(1 hours);
        vm.prank(provider);
        market.completeJob(teamJob, 0);
        uint256 due = _due(PRICE, GPU_COUNT, 1 hours);
        vm.expectEmit(address(teamRegistry));
        emit ITeamRegistry.TeamSpendReleased(teamId, teamJob, BUDGET - due, uint128(due));
        vm.prank(buyer);
        market.confirmJob(teamJob);
        assertEq(teamRegistry.getTeam(teamId).spentInPeriod, due);
    }

    /*//////////////////////////////////////////////////////////////
                                 SETTLE
    //////////////////////////////////////////////////////////////*/

    function test_SettleJob_AnyoneAfterDisputeWindow() public {
        skip(DISPUTE_WINDOW);
        vm.prank(stranger);
        market.settleJob(jobId);
        _assertSettled(1 hours, provider, DataTypes.JobStatus.Settled);
    }

    function test_SettleJob_BuyerBeforeWindow() public {
        vm.prank(buyer);
        market.settleJob(jobId);
        _assertSettled(1 hours, provider, DataTypes.JobStatus.Settled);
    }

    function test_RevertGiven_SettleDisputeWindowOpen() public {
        skip(DISPUTE_WINDOW - 1);
        uint256 closesAt = market.getJob(jobId).completedAt + DISPUTE_WINDOW;
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_DisputeWindowOpen.selector, jobId, closesAt));
        market.settleJob(jobId);
    }

    function test_RevertGiven_SettleUnknownJob() public {
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_UnknownJob.selector, 42));
        market.settleJob(42);
    }

    /*//////////////////////////////////////////////////////////////
                                DISPUTE
    //////////////////////////////////////////////////////////////*/

    function test_DisputeJob_Completed() public {
        vm.expectEmit(address(market));
        emit IJobMarket.JobDisputed(jobId, buyer, bytes32("bad output"));
        vm.prank(buyer);
        market.disputeJob(jobId, bytes32("bad output"));
        assertEq(uint8(market.getJob(jobId).status), uint8(DataTypes.JobStatus.Disputed));
        assertEq(market.amountDue(jobId), _due(PRICE, GPU_COUNT, 1 hours));
    }

    function test_DisputeJob_RunningFreezesBilling() public {
        uint256 running = _submitDefault();
        _commitOnChainRoute(running, provider, 1);
        vm.prank(provider);
        market.startJob(running);
        skip(30 minutes);
        vm.prank(buyer);
        market.disputeJob(running, bytes32("stalled"));
        skip(1 hours);
        assertEq(market.amountDue(running), _due(PRICE, GPU_COUNT, 30 minutes));
        assertEq(market.getJob(running).completedAt, block.timestamp - 1 hours);
    }

    function test_RevertGiven_DisputeWindowClosed() public {
        skip(DISPUTE_WINDOW);
        uint256 closesAt = market.getJob(jobId).completedAt + DISPUTE_WINDOW;
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_DisputeWindowClosed.selector, jobId, closesAt));
        market.disputeJob(jobId, 0);
    }

    function test_RevertGiven_DisputeOpenJob() public {
        uint256 open = _submitDefault();
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_InvalidStatus.selector, open, DataTypes.JobStatus.Open));
        market.disputeJob(open, 0);
    }

    function test_RevertWhen_DisputeCallerNotBuyer() public {
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_NotBuyer.selector, jobId, provider));
        market.disputeJob(jobId, 0);
    }

    /*//////////////////////////////////////////////////////////////
                                RESOLVE
    //////////////////////////////////////////////////////////////*/

    modifier givenDisputed() {
        vm.prank(buyer);
        market.disputeJob(jobId, bytes32("bad output"));
        _;
    }

    function test_ResolveDispute_Split() public givenDisputed {
        uint256 providerAmount = _due(PRICE, GPU_COUNT, 1 hours) * 6000 / 10_000;
        uint256 fee = _fee(providerAmount);
        vm.expectEmit(address(market));
        emit IJobMarket.DisputeResolved(jobId, arbiter, 6000, providerAmount - fee, fee, BUDGET - providerAmount);
        vm.prank(arbiter);
        market.resolveDispute(jobId, 6000);
        assertEq(uint8(market.getJob(jobId).status), uint8(DataTypes.JobStatus.Resolved));
        assertEq(market.withdrawable(provider), providerAmount - fee);
        assertEq(market.withdrawable(buyer), BUDGET - providerAmount);
        assertEq(market.accruedFees(), fee);
    }

    function test_ResolveDispute_FullRefund() public givenDisputed {
        vm.prank(arbiter);
        market.resolveDispute(jobId, 0);
        assertEq(market.withdrawable(provider), 0);
        assertEq(market.withdrawable(buyer), BUDGET);
    }

    function test_ResolveDispute_FullPayout() public givenDisputed {
        vm.prank(arbiter);
        market.resolveDispute(jobId, 10_000);
        _assertSettled(1 hours, provider, DataTypes.JobStatus.Resolved);
    }

    function test_RevertWhen_ResolveShareAboveMax() public givenDisputed {
        vm.prank(arbiter);
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_InvalidBps.selector, 10_001));
        market.resolveDispute(jobId, 10_001);
    }

    function test_RevertGiven_ResolveNotDisputed() public {
        vm.prank(arbiter);
        vm.expectRevert(
            abi.encodeWithSelector(Errors.JobMarket_InvalidStatus.selector, jobId, DataTypes.JobStatus.Completed)
        );
        market.resolveDispute(jobId, 0);
    }

    function test_RevertWhen_ResolveCallerNotArbiter() public givenDisputed {
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IAccessManaged.AccessManagedUnauthorized.selector, stranger));
        market.resolveDispute(jobId, 0);
    }
}
