// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

import {Base} from "../Base.t.sol";

/// @title PermitFrontRunTest
/// @notice Someone who copies a buyer's permit from the mempool and submits it first cannot block the submission.
contract PermitFrontRunTest is Base {
    address internal permitBuyer;
    uint256 internal permitBuyerKey;
    uint256 internal deadline;

    function setUp() public override {
        super.setUp();
        (permitBuyer, permitBuyerKey) = makeAddrAndKey("permitBuyer");
        usdc.faucet(permitBuyer, INITIAL_BALANCE); // no approval
        deadline = block.timestamp + 1 hours;
    }

    function test_SubmitJobWithPermit_AfterFrontRunPermit() external {
        (uint8 v, bytes32 r, bytes32 s) = _permitSig(permitBuyerKey, permitBuyer, address(market), BUDGET, deadline);
        // The front-runner uses the signature first: the nonce is spent, the allowance set.
        vm.prank(stranger);
        usdc.permit(permitBuyer, address(market), BUDGET, deadline, v, r, s);
        assertEq(usdc.allowance(permitBuyer, address(market)), BUDGET);

        vm.prank(permitBuyer);
        uint256 jobId = market.submitJobWithPermit(_defaultSpec(), BUDGET, deadline, v, r, s);
        assertEq(market.getJob(jobId).balance, BUDGET);
        assertEq(market.getJob(jobId).buyer, permitBuyer);
        assertEq(usdc.balanceOf(address(market)), BUDGET);
        assertEq(usdc.allowance(permitBuyer, address(market)), 0);
    }

    function test_SubmitJobWithPermit_WithoutFrontRun() external {
        (uint8 v, bytes32 r, bytes32 s) = _permitSig(permitBuyerKey, permitBuyer, address(market), BUDGET, deadline);
        vm.prank(permitBuyer);
        uint256 jobId = market.submitJobWithPermit(_defaultSpec(), BUDGET, deadline, v, r, s);
        assertEq(market.getJob(jobId).balance, BUDGET);
    }

    /// @dev A front-runner cannot redirect the permit: it is bound to the buyer as owner and the market as spender, and
    /// the job is always the caller's.
    function test_FrontRunnerCannotUseThePermitForItself() external {
        (uint8 v, bytes32 r, bytes32 s) = _permitSig(permitBuyerKey, permitBuyer, address(market), BUDGET, deadline);
        usdc.faucet(stranger, BUDGET);
        vm.prank(stranger);
        // The permit is for permitBuyer's tokens; the stranger's own (unapproved) tokens are what the market pulls.
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, address(market), 0, BUDGET)
        );
        market.submitJobWithPermit(_defaultSpec(), BUDGET, deadline, v, r, s);
    }

    /// @dev An invalid or expired permit with no allowance fails on the transfer, not silently.
    function test_RevertWhen_PermitInvalidAndNoAllowance() external {
        (uint8 v, bytes32 r, bytes32 s) = _permitSig(permitBuyerKey, permitBuyer, address(market), BUDGET, deadline);
        skip(2 hours); // past the deadline
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, address(market), 0, BUDGET)
        );
        vm.prank(permitBuyer);
        market.submitJobWithPermit(_defaultSpec(), BUDGET, deadline, v, r, s);
    }

    /// @dev A front-run permit for a smaller budget than submitted does not let the market pull more.
    function test_RevertWhen_FrontRunPermitSmallerThanBudget() external {
        (uint8 v, bytes32 r, bytes32 s) = _permitSig(permitBuyerKey, permitBuyer, address(market), BUDGET, deadline);
        vm.prank(stranger);
        usdc.permit(permitBuyer, address(market), BUDGET, deadline, v, r, s);
        vm.expectRevert(
            abi.encodeWithSelector(
                IERC20Errors.ERC20InsufficientAllowance.selector, address(market), BUDGET, 2 * BUDGET
            )
        );
        vm.prank(permitBuyer);
        market.submitJobWithPermit(_defaultSpec(), 2 * BUDGET, deadline, v, r, s);
    }
}
