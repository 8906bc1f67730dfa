// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Base} from "../../Base.t.sol";
import {IJobMarket} from "../../../src/interfaces/IJobMarket.sol";
import {Errors} from "../../../src/libraries/Errors.sol";
import {DataTypes} from "../../../src/types/DataTypes.sol";

/// @notice acceptRoute, rejectRoute, startJob, completeJob.
contract Lifecycle_Unit_Test is Base {
    uint256 internal offerId;
    uint256 internal jobId;

    function setUp() public override {
        super.setUp();
        offerId = _setUpProvider(provider);
        DataTypes.JobSpec memory spec = _defaultSpec();
        spec.autoAccept = false;
        jobId = _submit(buyer, spec, BUDGET);
    }

    modifier givenRouted() {
        _commitOnChainRoute(jobId, provider, offerId);
        _;
    }

    modifier givenAccepted() {
        vm.prank(buyer);
        market.acceptRoute(jobId);
        _;
    }

    modifier givenRunning() {
        vm.prank(provider);
        market.startJob(jobId);
        _;
    }

    modifier givenExternalAccepted() {
        _commitExternalRoute(jobId, AKASH, AKASH_PROVIDER);
        vm.prank(buyer);
        market.acceptRoute(jobId);
        _;
    }

    function _status() internal view returns (DataTypes.JobStatus) {
        return market.getJob(jobId).status;
    }

    /*//////////////////////////////////////////////////////////////
                              ACCEPT, REJECT
    //////////////////////////////////////////////////////////////*/

    function test_AcceptRoute_SetsStartDeadline() public givenRouted {
        uint32 deadline = uint32(block.timestamp + START_WINDOW);
        vm.expectEmit(address(market));
        emit IJobMarket.RouteAccepted(jobId, 1, deadline);
        vm.prank(buyer);
        market.acceptRoute(jobId);
        assertEq(uint8(_status()), uint8(DataTypes.JobStatus.Accepted));
        assertEq(market.getJob(jobId).startDeadline, deadline);
    }

    function test_RevertWhen_AcceptCallerNotBuyer() public givenRouted {
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_NotBuyer.selector, jobId, stranger));
        market.acceptRoute(jobId);
    }

    function test_RevertGiven_AcceptUnknownJob() public {
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_UnknownJob.selector, 42));
        market.acceptRoute(42);
    }

    function test_RevertGiven_AcceptNotRouted() public {
        vm.prank(buyer);
        vm.expectRevert(
            abi.encodeWithSelector(Errors.JobMarket_InvalidStatus.selector, jobId, DataTypes.JobStatus.Open)
        );
        market.acceptRoute(jobId);
    }

    function test_RevertGiven_AcceptAfterStartBy() public givenRouted {
        uint40 startBy = market.getJob(jobId).startBy;
        vm.warp(startBy + 1);
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_StartByPassed.selector, jobId, startBy));
        market.acceptRoute(jobId);
    }

    function test_RejectRoute_ReopensJob() public givenRouted {
        vm.expectEmit(address(market));
        emit IJobMarket.RouteRejected(jobId, 1);
        vm.prank(buyer);
        market.rejectRoute(jobId);
        DataTypes.Job memory job = market.getJob(jobId);
        assertEq(uint8(job.status), uint8(DataTypes.JobStatus.Open));
        assertEq(job.operator, address(0));
        assertEq(job.pricePerGpuHour, 0);
        assertEq(job.round, 1);
    }

    function test_RevertWhen_RejectCallerNotBuyer() public givenRouted {
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_NotBuyer.selector, jobId, stranger));
        market.rejectRoute(jobId);
    }

    function test_RevertGiven_RejectAccepted() public givenRouted givenAccepted {
        vm.prank(buyer);
        vm.expectRevert(
            abi.encodeWithSelector(Errors.JobMarket_InvalidStatus.selector, jobId, DataTypes.JobStatus.Accepted)
        );
        market.rejectRoute(jobId);
    }

    /*//////////////////////////////////////////////////////////////
                                 START
    //////////////////////////////////////////////////////////////*/

    function test_StartJob_ByProvider() public givenRouted givenAccepted {
        vm.expectEmit(address(market));
        emit IJobMarket.JobStarted(jobId, provider, uint32(block.timestamp));
        vm.prank(provider);
        market.startJob(jobId);
        assertEq(uint8(_status()), uint8(DataTypes.JobStatus.Running));
        assertEq(market.getJob(jobId).startedAt, block.timestamp);
    }

    function test_StartJob_LateButBeforeReRoute() public givenRouted givenAccepted {
        skip(START_WINDOW + 10);
        vm.prank(provider);
        market.startJob(jobId);
        assertEq(uint8(_status()), uint8(DataTypes.JobStatus.Running));
    }

    function test_StartJob_ExternalByKeeper() public givenExternalAccepted {
        vm.expectEmit(address(market));
        emit IJobMarket.JobStarted(jobId, settlement, uint32(block.timestamp));
        vm.prank(keeper);
        market.startJob(jobId);
        assertEq(uint8(_status()), uint8(DataTypes.JobStatus.Running));
    }

    function test_StartJob_ExternalBySettlementAccount() public givenExternalAccepted {
        vm.prank(settlement);
        market.startJob(jobId);
        assertEq(uint8(_status()), uint8(DataTypes.JobStatus.Running));
    }

    function test_RevertWhen_StartCallerStranger() public givenExternalAccepted {
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_NotOperator.selector, jobId, stranger));
        market.startJob(jobId);
    }

    function test_RevertWhen_KeeperStartsOnChainRoute() public givenRouted givenAccepted {
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_NotOperator.selector, jobId, keeper));
        market.startJob(jobId);
    }

    function test_RevertGiven_StartNotAccepted() public givenRouted {
        vm.prank(provider);
        vm.expectRevert(
            abi.encodeWithSelector(Errors.JobMarket_InvalidStatus.selector, jobId, DataTypes.JobStatus.Routed)
        );
        market.startJob(jobId);
    }

    function test_RevertGiven_StartUnknownJob() public {
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_UnknownJob.selector, 42));
        market.startJob(42);
    }

    function test_RevertGiven_StartAfterStartBy() public givenRouted givenAccepted {
        uint40 startBy = market.getJob(jobId).startBy;
        vm.warp(startBy + 1);
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_StartByPassed.selector, jobId, startBy));
        market.startJob(jobId);
    }

    /*//////////////////////////////////////////////////////////////
                                COMPLETE
    //////////////////////////////////////////////////////////////*/

    function test_CompleteJob_ByProvider() public givenRouted givenAccepted givenRunning {
        skip(1 hours);
        assertEq(market.amountDue(jobId), _due(PRICE, GPU_COUNT, 1 hours));
        vm.expectEmit(address(market));
        emit IJobMarket.JobCompleted(jobId, provider, bytes32("result"), uint32(block.timestamp));
        vm.prank(provider);
        market.completeJob(jobId, bytes32("result"));
        assertEq(uint8(_status()), uint8(DataTypes.JobStatus.Completed));
        assertEq(market.getJob(jobId).completedAt, block.timestamp);
        skip(5 hours);
        assertEq(market.amountDue(jobId), _due(PRICE, GPU_COUNT, 1 hours), "frozen at completion");
    }

    function test_CompleteJob_ExternalByKeeper() public givenExternalAccepted {
        vm.prank(keeper);
        market.startJob(jobId);
        vm.prank(keeper);
        market.completeJob(jobId, bytes32("result"));
        assertEq(uint8(_status()), uint8(DataTypes.JobStatus.Completed));
    }

    function test_RevertWhen_CompleteCallerStranger() public givenRouted givenAccepted givenRunning {
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_NotOperator.selector, jobId, stranger));
        market.completeJob(jobId, bytes32(0));
    }

    function test_RevertGiven_CompleteNotRunning() public givenRouted givenAccepted {
        vm.prank(provider);
        vm.expectRevert(
            abi.encodeWithSelector(Errors.JobMarket_InvalidStatus.selector, jobId, DataTypes.JobStatus.Accepted)
        );
        market.completeJob(jobId, bytes32(0));
    }

    function test_AmountDue_CappedAtDuration() public givenRouted givenAccepted givenRunning {
        skip(DURATION * 3);
        assertEq(market.amountDue(jobId), _due(PRICE, GPU_COUNT, DURATION));
    }

    function test_AmountDue_ZeroBeforeStart() public givenRouted {
        assertEq(market.amountDue(jobId), 0);
    }
}
