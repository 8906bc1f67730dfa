// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IJobMarket} from "../../src/interfaces/IJobMarket.sol";
import {IProviderRegistry} from "../../src/interfaces/IProviderRegistry.sol";
import {DataTypes} from "../../src/types/DataTypes.sol";
import {ReentrancyAttacker, ReentrantERC20, ITransferHook} from "../mocks/ReentrantERC20.sol";
import {AdversarialBase} from "./AdversarialBase.sol";

/// @title ReentrancyTest
/// @notice A token that calls back (ERC-777 style) into the market from inside its transfers: the guarded entry points
/// (withdraw, withdrawTo, withdrawFees, submitJob, submitJobWithPermit, topUp) trip the guard; the unguarded ones that
/// only credit balances (cancelJob, confirmJob) can run but move no tokens, so nothing can be drained.
contract ReentrancyTest is AdversarialBase {
    ReentrantERC20 internal rToken;
    ReentrancyAttacker internal attacker;
    uint256 internal attackerOffer;
    /// @dev Another buyer's escrow the attacker would like to steal.
    uint256 internal victimJob;
    uint256 internal attackerPayout;

    function setUp() public override {
        super.setUp();
        rToken = new ReentrantERC20();
        _redeployWith(address(rToken));
        attacker = new ReentrancyAttacker();
        vm.label(address(attacker), "attacker");

        // The attacker is a provider, paid to itself.
        attacker.execute(
            address(providerRegistry),
            abi.encodeCall(IProviderRegistry.registerProvider, ("Evil", "", "us-east", address(attacker)))
        );
        attackerOffer = abi.decode(
            attacker.execute(
                address(providerRegistry), abi.encodeCall(IProviderRegistry.listOffer, (_offerInput(PRICE)))
            ),
            (uint256)
        );
        _fundToken(buyer, INITIAL_BALANCE);
        _fundToken(buyer2, INITIAL_BALANCE);

        // The attacker earns a payout on an honest job.
        uint256 jobId = _submit(buyer, _defaultSpec(), BUDGET);
        _commitOnChainRoute(jobId, address(attacker), attackerOffer);
        attacker.execute(address(market), abi.encodeCall(IJobMarket.startJob, (jobId)));
        skip(1 hours);
        attacker.execute(address(market), abi.encodeCall(IJobMarket.completeJob, (jobId, bytes32(0))));
        vm.prank(buyer);
        market.confirmJob(jobId);
        attackerPayout = market.withdrawable(address(attacker));
        assertGt(attackerPayout, 0);

        // Someone else's money sits in escrow.
        victimJob = _submit(buyer2, _defaultSpec(), 1000e6);
    }

    function _arm(ReentrantERC20.HookOn hookOn, bool beforeUpdate, bytes memory reentry, bool bubble) internal {
        rToken.setHook(ITransferHook(address(attacker)), hookOn, beforeUpdate);
        attacker.setReentry(address(market), reentry, bubble);
    }

    function _accounts() internal view returns (address[] memory accounts) {
        accounts = new address[](4);
        (accounts[0], accounts[1], accounts[2], accounts[3]) = (address(attacker), buyer, buyer2, treasury);
    }

    function _jobs() internal view returns (uint256[] memory jobIds) {
        uint256 count = market.jobCount();
        jobIds = new uint256[](count);
        for (uint256 i; i < count; ++i) {
            jobIds[i] = i + 1;
        }
    }

    function _assertGuardTripped() internal view {
        assertEq(attacker.reentryAttempts(), 1, "re-entry attempted");
        assertEq(attacker.reentrySuccesses(), 0, "re-entry succeeded");
        assertEq(attacker.lastRevertSelector(), ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector);
    }

    /*//////////////////////////////////////////////////////////////
                        RE-ENTRY FROM A WITHDRAWAL
    //////////////////////////////////////////////////////////////*/

    function test_Withdraw_ReenterWithdraw_GuardTrips() external {
        _arm(ReentrantERC20.HookOn.Transfer, false, abi.encodeCall(IJobMarket.withdraw, ()), false);
        uint256 marketBefore = rToken.balanceOf(address(market));
        attacker.execute(address(market), abi.encodeCall(IJobMarket.withdraw, ()));
        _assertGuardTripped();
        assertEq(rToken.balanceOf(address(attacker)), attackerPayout, "attacker got more than its credit");
        assertEq(rToken.balanceOf(address(market)), marketBefore - attackerPayout);
        assertEq(market.getJob(victimJob).balance, 1000e6);
        _assertSolvent(_jobs(), _accounts());
    }

    /// @dev Even before the balances move (tokensToSend), the credit is already zero and the guard holds.
    function test_Withdraw_ReenterBeforeUpdate_GuardTrips() external {
        _arm(ReentrantERC20.HookOn.Transfer, true, abi.encodeCall(IJobMarket.withdrawTo, (address(attacker))), false);
        attacker.execute(address(market), abi.encodeCall(IJobMarket.withdraw, ()));
        _assertGuardTripped();
        assertEq(rToken.balanceOf(address(attacker)), attackerPayout);
        _assertSolvent(_jobs(), _accounts());
    }

    function test_Withdraw_ReenterWithdrawFees_GuardTrips() external {
        _arm(ReentrantERC20.HookOn.Transfer, false, abi.encodeCall(IJobMarket.withdrawFees, ()), false);
        uint256 fees = market.accruedFees();
        attacker.execute(address(market), abi.encodeCall(IJobMarket.withdraw, ()));
        _assertGuardTripped();
        assertEq(market.accruedFees(), fees);
        _assertSolvent(_jobs(), _accounts());
    }

    function test_Withdraw_ReenterSubmitJob_GuardTrips() external {
        attacker.execute(address(rToken), abi.encodeCall(rToken.approve, (address(market), type(uint256).max)));
        rToken.mint(address(attacker), BUDGET);
        _arm(
            ReentrantERC20.HookOn.Transfer, false, abi.encodeCall(IJobMarket.submitJob, (_defaultSpec(), BUDGET)), false
        );
        attacker.execute(address(market), abi.encodeCall(IJobMarket.withdraw, ()));
        _assertGuardTripped();
        assertEq(market.jobCount(), 2, "no job created by the re-entry");
    }

    /// @dev With the revert bubbled, the whole withdrawal fails and the credit stays.
    function test_Withdraw_ReenterBubbled_RevertsWholeCall() external {
        _arm(ReentrantERC20.HookOn.Transfer, false, abi.encodeCall(IJobMarket.withdraw, ()), true);
        vm.expectRevert(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector);
        attacker.execute(address(market), abi.encodeCall(IJobMarket.withdraw, ()));
        assertEq(market.withdrawable(address(attacker)), attackerPayout);
        assertEq(rToken.balanceOf(address(attacker)), 0);
    }

    /// @dev confirmJob is not guarded but only moves credits: re-entering it from a withdrawal settles the job at the
    /// right amounts and the attacker still receives only what it is owed.
    function test_Withdraw_ReenterConfirmJob_NoDrain() external {
        // The attacker is also a buyer with a completed job (routed to itself).
        rToken.mint(address(attacker), BUDGET);
        attacker.execute(address(rToken), abi.encodeCall(rToken.approve, (address(market), type(uint256).max)));
        uint256 ownJob = abi.decode(
            attacker.execute(address(market), abi.encodeCall(IJobMarket.submitJob, (_defaultSpec(), BUDGET))), (uint256)
        );
        _commitOnChainRoute(ownJob, address(attacker), attackerOffer);
        attacker.execute(address(market), abi.encodeCall(IJobMarket.startJob, (ownJob)));
        skip(30 minutes);
        attacker.execute(address(market), abi.encodeCall(IJobMarket.completeJob, (ownJob, bytes32(0))));

        _arm(ReentrantERC20.HookOn.Transfer, false, abi.encodeCall(IJobMarket.confirmJob, (ownJob)), false);
        attacker.execute(address(market), abi.encodeCall(IJobMarket.withdraw, ()));
        assertEq(attacker.reentrySuccesses(), 1);
        assertEq(uint8(market.getJob(ownJob).status), uint8(DataTypes.JobStatus.Settled));
        // What confirmJob credited is still in the market, owed to the attacker (payout + refund of its own budget).
        uint256 fee = _fee(_due(PRICE, GPU_COUNT, 30 minutes));
        assertEq(market.withdrawable(address(attacker)), BUDGET - fee);
        assertEq(rToken.balanceOf(address(attacker)), attackerPayout);
        _assertSolvent(_jobs(), _accounts());
    }

    /*//////////////////////////////////////////////////////////////
                        RE-ENTRY FROM A DEPOSIT
    //////////////////////////////////////////////////////////////*/

    function _attackerAsBuyer() internal {
        rToken.mint(address(attacker), 10 * BUDGET);
        attacker.execute(address(rToken), abi.encodeCall(rToken.approve, (address(market), type(uint256).max)));
    }

    function test_SubmitJob_ReenterSubmitJob_GuardTrips() external {
        _attackerAsBuyer();
        _arm(
            ReentrantERC20.HookOn.TransferFrom,
            true,
            abi.encodeCall(IJobMarket.submitJob, (_defaultSpec(), BUDGET)),
            false
        );
        attacker.execute(address(market), abi.encodeCall(IJobMarket.submitJob, (_defaultSpec(), BUDGET)));
        _assertGuardTripped();
        assertEq(market.jobCount(), 3);
        _assertSolvent(_jobs(), _accounts());
    }

    function test_SubmitJob_ReenterWithdraw_GuardTrips() external {
        _attackerAsBuyer();
        _arm(ReentrantERC20.HookOn.TransferFrom, true, abi.encodeCall(IJobMarket.withdraw, ()), false);
        attacker.execute(address(market), abi.encodeCall(IJobMarket.submitJob, (_defaultSpec(), BUDGET)));
        _assertGuardTripped();
        assertEq(market.withdrawable(address(attacker)), attackerPayout);
        _assertSolvent(_jobs(), _accounts());
    }

    function test_SubmitJob_ReenterTopUp_GuardTrips() external {
        _attackerAsBuyer();
        uint256 nextJob = market.jobCount() + 1;
        _arm(ReentrantERC20.HookOn.TransferFrom, true, abi.encodeCall(IJobMarket.topUp, (nextJob, BUDGET, 0)), false);
        attacker.execute(address(market), abi.encodeCall(IJobMarket.submitJob, (_defaultSpec(), BUDGET)));
        _assertGuardTripped();
        assertEq(market.getJob(nextJob).balance, BUDGET);
        _assertSolvent(_jobs(), _accounts());
    }

    /// @dev Cancelling the job being submitted, before its tokens arrive, refunds a budget the deposit then brings in:
    /// the attacker gets back exactly what it paid.
    function test_SubmitJob_ReenterCancelJob_NoDrain() external {
        _attackerAsBuyer();
        uint256 nextJob = market.jobCount() + 1;
        uint256 attackerTokens = rToken.balanceOf(address(attacker));
        _arm(ReentrantERC20.HookOn.TransferFrom, true, abi.encodeCall(IJobMarket.cancelJob, (nextJob)), false);
        attacker.execute(address(market), abi.encodeCall(IJobMarket.submitJob, (_defaultSpec(), BUDGET)));
        assertEq(attacker.reentrySuccesses(), 1);
        assertEq(uint8(market.getJob(nextJob).status), uint8(DataTypes.JobStatus.Cancelled));
        _assertSolvent(_jobs(), _accounts());

        _arm(ReentrantERC20.HookOn.None, false, "", false);
        attacker.execute(address(market), abi.encodeCall(IJobMarket.withdraw, ()));
        assertEq(rToken.balanceOf(address(attacker)), attackerTokens + attackerPayout, "attacker gained");
        assertEq(rToken.balanceOf(address(market)), 1000e6 + market.accruedFees() + market.withdrawable(buyer));
    }

    function test_TopUp_ReenterWithdraw_GuardTrips() external {
        rToken.setHook(ITransferHook(address(attacker)), ReentrantERC20.HookOn.TransferFrom, false);
        attacker.setReentry(address(market), abi.encodeCall(IJobMarket.withdraw, ()), false);
        vm.prank(buyer2);
        market.topUp(victimJob, BUDGET, 0);
        _assertGuardTripped();
        assertEq(market.withdrawable(address(attacker)), attackerPayout);
        _assertSolvent(_jobs(), _accounts());
    }
}
