// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Vm} from "forge-std/Vm.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

import {Base} from "../../Base.t.sol";
import {IJobMarket} from "../../../src/interfaces/IJobMarket.sol";
import {ITeamRegistry} from "../../../src/interfaces/ITeamRegistry.sol";
import {JobMarket} from "../../../src/JobMarket.sol";
import {Errors} from "../../../src/libraries/Errors.sol";
import {DataTypes} from "../../../src/types/DataTypes.sol";
import {FeeOnTransferERC20} from "../../mocks/FeeOnTransferERC20.sol";

contract SubmitJob_Unit_Test is Base {
    function test_SubmitJob_StoresJobAndPullsBudget() public {
        DataTypes.JobSpec memory spec = _defaultSpec();
        uint256 balanceBefore = usdc.balanceOf(buyer);

        vm.expectEmit(address(market));
        emit IJobMarket.JobSubmitted(
            1,
            buyer,
            0,
            BUDGET,
            spec.specHash,
            MAX_PRICE,
            GPU_COUNT,
            DURATION,
            uint40(block.timestamp + DEFAULT_START_BY),
            true,
            true,
            true
        );
        vm.expectEmit(address(market));
        emit IJobMarket.JobSpecPublished(1, spec);
        uint256 jobId = _submit(buyer, spec, BUDGET);

        assertEq(jobId, 1, "job ids start at 1");
        assertEq(market.jobCount(), 1);
        DataTypes.Job memory job = market.getJob(jobId);
        assertEq(job.buyer, buyer);
        assertEq(uint8(job.status), uint8(DataTypes.JobStatus.Open));
        assertEq(job.startBy, block.timestamp + DEFAULT_START_BY);
        assertEq(job.round, 0);
        assertTrue(job.autoAccept);
        assertTrue(job.tracked);
        assertTrue(job.allowExternal);
        assertEq(job.gpuCount, GPU_COUNT);
        assertEq(job.balance, BUDGET);
        assertEq(job.maxPricePerGpuHour, MAX_PRICE);
        assertEq(job.duration, DURATION);
        assertEq(job.teamId, 0);
        assertEq(job.operator, address(0));
        assertEq(usdc.balanceOf(address(market)), BUDGET);
        assertEq(usdc.balanceOf(buyer), balanceBefore - BUDGET);
        assertEq(_submitDefault(), 2, "ids increment");
    }

    function test_SubmitJob_UntrackedEmitsNoSpec() public {
        DataTypes.JobSpec memory spec = _defaultSpec();
        spec.tracked = false;
        spec.document = "";
        spec.startBy = uint40(block.timestamp + 1 hours);
        vm.recordLogs();
        uint256 jobId = _submit(buyer, spec, BUDGET);
        assertEq(vm.getRecordedLogs().length, 2, "JobSubmitted and the token Transfer only");
        assertEq(market.getJob(jobId).startBy, block.timestamp + 1 hours);
        assertFalse(market.getJob(jobId).tracked);
    }

    function test_RevertWhen_TrackedDocumentDoesNotHashToSpecHash() public {
        DataTypes.JobSpec memory spec = _defaultSpec();
        spec.document = '{"image":"ghcr.io/acme/other:1"}';
        vm.expectRevert(
            abi.encodeWithSelector(
                Errors.JobMarket_DocumentMismatch.selector, spec.specHash, keccak256(bytes(spec.document))
            )
        );
        _submit(buyer, spec, BUDGET);
    }

    function test_RevertWhen_TrackedDocumentEmpty() public {
        DataTypes.JobSpec memory spec = _defaultSpec();
        spec.document = "";
        vm.expectRevert(
            abi.encodeWithSelector(Errors.JobMarket_DocumentMismatch.selector, spec.specHash, keccak256(""))
        );
        _submit(buyer, spec, BUDGET);
    }

    function test_RevertWhen_UntrackedJobCarriesADocument() public {
        DataTypes.JobSpec memory spec = _defaultSpec();
        spec.tracked = false;
        vm.expectRevert(Errors.JobMarket_DocumentNotEmpty.selector);
        _submit(buyer, spec, BUDGET);
    }

    function test_SubmitJob_PublishesTheDocument() public {
        vm.recordLogs();
        _submitDefault();
        Vm.Log[] memory logs = vm.getRecordedLogs();
        bool found;
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].topics[0] != IJobMarket.JobSpecPublished.selector) continue;
            DataTypes.JobSpec memory published = abi.decode(logs[i].data, (DataTypes.JobSpec));
            assertEq(published.document, DOCUMENT);
            assertEq(keccak256(bytes(published.document)), published.specHash);
            found = true;
        }
        assertTrue(found, "JobSpecPublished emitted");
    }

    function test_SubmitJob_BudgetRoundsUp() public {
        DataTypes.JobSpec memory spec = _defaultSpec();
        spec.maxPricePerGpuHour = 1;
        spec.gpuCount = 1;
        spec.duration = 1;
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_InsufficientBudget.selector, 0, 1));
        _submit(buyer, spec, 0);
        assertEq(_submit(buyer, spec, 1), 1);
    }

    function test_RevertWhen_BudgetBelowRequired() public {
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_InsufficientBudget.selector, BUDGET - 1, BUDGET));
        _submit(buyer, _defaultSpec(), BUDGET - 1);
    }

    function test_RevertWhen_GpuCountZero() public {
        DataTypes.JobSpec memory spec = _defaultSpec();
        spec.gpuCount = 0;
        vm.expectRevert(Errors.JobMarket_InvalidSpec.selector);
        _submit(buyer, spec, BUDGET);
    }

    function test_RevertWhen_DurationZero() public {
        DataTypes.JobSpec memory spec = _defaultSpec();
        spec.duration = 0;
        vm.expectRevert(Errors.JobMarket_InvalidSpec.selector);
        _submit(buyer, spec, BUDGET);
    }

    function test_RevertWhen_MaxPriceZero() public {
        DataTypes.JobSpec memory spec = _defaultSpec();
        spec.maxPricePerGpuHour = 0;
        vm.expectRevert(Errors.JobMarket_InvalidSpec.selector);
        _submit(buyer, spec, BUDGET);
    }

    function test_RevertWhen_StartByNotInFuture() public {
        DataTypes.JobSpec memory spec = _defaultSpec();
        spec.startBy = uint40(block.timestamp);
        vm.expectRevert(Errors.JobMarket_InvalidSpec.selector);
        _submit(buyer, spec, BUDGET);
    }

    function test_RevertWhen_BudgetAboveUint96() public {
        uint256 budget = uint256(type(uint96).max) + 1;
        vm.expectRevert(Errors.JobMarket_Overflow.selector);
        _submit(buyer, _defaultSpec(), budget);
    }

    function test_RevertWhen_AllowanceMissing() public {
        vm.prank(buyer);
        usdc.approve(address(market), 0);
        vm.expectRevert();
        _submitDefault();
    }

    function test_RevertGiven_Paused() public {
        vm.prank(arbiter);
        market.pause();
        vm.expectRevert(Pausable.EnforcedPause.selector);
        _submitDefault();
    }

    function test_SubmitJob_TeamJobRecordsSpend() public {
        vm.prank(buyer);
        uint256 teamId = teamRegistry.createTeam("ml", 100e6, 30 days);
        DataTypes.JobSpec memory spec = _defaultSpec();
        spec.teamId = uint32(teamId);
        vm.expectEmit(address(teamRegistry));
        emit ITeamRegistry.TeamSpendRecorded(teamId, 1, buyer, BUDGET, uint64(block.timestamp), uint128(BUDGET));
        uint256 jobId = _submit(buyer, spec, BUDGET);
        assertEq(market.getJob(jobId).teamId, teamId);
        assertEq(teamRegistry.getTeam(teamId).spentInPeriod, BUDGET);
    }

    function test_RevertWhen_BuyerNotTeamMember() public {
        vm.prank(buyer2);
        uint256 teamId = teamRegistry.createTeam("ml", 0, 0);
        DataTypes.JobSpec memory spec = _defaultSpec();
        spec.teamId = uint32(teamId);
        vm.expectRevert(abi.encodeWithSelector(Errors.TeamRegistry_NotMember.selector, teamId, buyer));
        _submit(buyer, spec, BUDGET);
    }

    function test_RevertWhen_TeamCapExceeded() public {
        vm.prank(buyer);
        uint256 teamId = teamRegistry.createTeam("ml", uint128(BUDGET * 2 - 1), 1 days);
        DataTypes.JobSpec memory spec = _defaultSpec();
        spec.teamId = uint32(teamId);
        _submit(buyer, spec, BUDGET);
        vm.expectRevert(
            abi.encodeWithSelector(Errors.TeamRegistry_CapExceeded.selector, teamId, BUDGET, BUDGET, BUDGET * 2 - 1)
        );
        _submit(buyer, spec, BUDGET);
    }

    function test_RevertWhen_TokenTakesFeeOnTransfer() public {
        FeeOnTransferERC20 token = new FeeOnTransferERC20(100);
        JobMarket feeMarket = new JobMarket(
            address(manager),
            address(token),
            address(providerRegistry),
            address(teamRegistry),
            treasury,
            FEE_BPS,
            START_WINDOW,
            DISPUTE_WINDOW,
            DEFAULT_START_BY,
            DISPUTE_TIMEOUT
        );
        token.mint(buyer, BUDGET);
        vm.startPrank(buyer);
        token.approve(address(feeMarket), BUDGET);
        vm.expectRevert(
            abi.encodeWithSelector(Errors.JobMarket_TransferAmountMismatch.selector, BUDGET, BUDGET - BUDGET / 100)
        );
        feeMarket.submitJob(_defaultSpec(), BUDGET);
        vm.stopPrank();
    }

    /*//////////////////////////////////////////////////////////////
                                 PERMIT
    //////////////////////////////////////////////////////////////*/

    function test_SubmitJobWithPermit_UsesPermit() public {
        vm.prank(buyer);
        usdc.approve(address(market), 0);
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _permitSig(buyerKey, buyer, address(market), BUDGET, deadline);
        vm.prank(buyer);
        uint256 jobId = market.submitJobWithPermit(_defaultSpec(), BUDGET, deadline, v, r, s);
        assertEq(jobId, 1);
        assertEq(usdc.nonces(buyer), 1);
        assertEq(usdc.allowance(buyer, address(market)), 0);
        assertEq(usdc.balanceOf(address(market)), BUDGET);
    }

    function test_SubmitJobWithPermit_FrontRunPermitStillSubmits() public {
        vm.prank(buyer);
        usdc.approve(address(market), 0);
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _permitSig(buyerKey, buyer, address(market), BUDGET, deadline);
        // An attacker submits the permit first.
        vm.prank(stranger);
        usdc.permit(buyer, address(market), BUDGET, deadline, v, r, s);
        vm.prank(buyer);
        uint256 jobId = market.submitJobWithPermit(_defaultSpec(), BUDGET, deadline, v, r, s);
        assertEq(market.getJob(jobId).balance, BUDGET);
    }

    function test_RevertWhen_PermitInvalidAndNoAllowance() public {
        vm.prank(buyer);
        usdc.approve(address(market), 0);
        vm.prank(buyer);
        vm.expectRevert();
        market.submitJobWithPermit(_defaultSpec(), BUDGET, block.timestamp + 1, 27, bytes32(0), bytes32(0));
    }

    function test_RevertGiven_PausedWithPermit() public {
        vm.prank(arbiter);
        market.pause();
        vm.prank(buyer);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        market.submitJobWithPermit(_defaultSpec(), BUDGET, block.timestamp + 1, 27, bytes32(0), bytes32(0));
    }
}
