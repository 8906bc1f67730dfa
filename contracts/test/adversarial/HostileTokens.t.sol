// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Errors} from "../../src/libraries/Errors.sol";
import {BlacklistERC20} from "../mocks/BlacklistERC20.sol";
import {FeeOnTransferERC20} from "../mocks/FeeOnTransferERC20.sol";
import {AdversarialBase} from "./AdversarialBase.sol";

/// @title FeeOnTransferTest
/// @notice A token that credits less than it is sent cannot fund a job: the escrow would promise more than it holds.
contract FeeOnTransferTest is AdversarialBase {
    FeeOnTransferERC20 internal feeToken;

    function setUp() public override {
        super.setUp();
        feeToken = new FeeOnTransferERC20(100); // 1 %
        _redeployWith(address(feeToken));
        _fundToken(buyer, INITIAL_BALANCE);
    }

    function test_RevertWhen_SubmitJobWithFeeOnTransferToken() external {
        vm.expectRevert(
            abi.encodeWithSelector(Errors.JobMarket_TransferAmountMismatch.selector, BUDGET, BUDGET - BUDGET / 100)
        );
        _submit(buyer, _defaultSpec(), BUDGET);
        assertEq(feeToken.balanceOf(address(market)), 0);
        assertEq(market.jobCount(), 0);
    }

    function test_RevertWhen_SubmitJobWithPermitWithFeeOnTransferToken() external {
        (address permitBuyer, uint256 key) = makeAddrAndKey("permitBuyer");
        feeToken.mint(permitBuyer, BUDGET);
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _tokenPermitSig(key, permitBuyer, BUDGET, deadline);
        vm.expectRevert(
            abi.encodeWithSelector(Errors.JobMarket_TransferAmountMismatch.selector, BUDGET, BUDGET - BUDGET / 100)
        );
        vm.prank(permitBuyer);
        market.submitJobWithPermit(_defaultSpec(), BUDGET, deadline, v, r, s);
    }

    /// @dev A token that turns its fee on later blocks top-ups too.
    function test_RevertWhen_TopUpAfterFeeTurnedOn() external {
        feeToken.setFeeBps(0);
        uint256 jobId = _submit(buyer, _defaultSpec(), BUDGET);
        feeToken.setFeeBps(50);
        vm.expectRevert(
            abi.encodeWithSelector(Errors.JobMarket_TransferAmountMismatch.selector, BUDGET, BUDGET - BUDGET / 200)
        );
        vm.prank(buyer);
        market.topUp(jobId, BUDGET, 1 hours);
        assertEq(market.getJob(jobId).balance, BUDGET);
    }

    function testFuzz_RevertWhen_AnyFee(uint16 feeBps, uint256 extra) external {
        feeBps = uint16(bound(feeBps, 1, 10_000));
        feeToken.setFeeBps(feeBps);
        uint256 budget = BUDGET + bound(extra, 0, 1000e6);
        vm.expectPartialRevert(Errors.JobMarket_TransferAmountMismatch.selector);
        _submit(buyer, _defaultSpec(), budget);
    }

    function _tokenPermitSig(uint256 key, address owner, uint256 value, uint256 deadline)
        internal
        view
        returns (uint8, bytes32, bytes32)
    {
        bytes32 structHash = keccak256(
            abi.encode(
                keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"),
                owner,
                address(market),
                value,
                feeToken.nonces(owner),
                deadline
            )
        );
        return vm.sign(key, keccak256(abi.encodePacked("\x19\x01", feeToken.DOMAIN_SEPARATOR(), structHash)));
    }
}

/// @title BlacklistTest
/// @notice With a USDC-like blacklist, a blocked provider cannot withdraw, but it blocks nobody else: settlements,
/// refunds, other providers' and the treasury's withdrawals all keep working (pull payments).
contract BlacklistTest is AdversarialBase {
    BlacklistERC20 internal bToken;
    uint256 internal offer1;
    uint256 internal offer2;

    function setUp() public override {
        super.setUp();
        bToken = new BlacklistERC20();
        _redeployWith(address(bToken));
        _fundToken(buyer, INITIAL_BALANCE);
        _fundToken(buyer2, INITIAL_BALANCE);
        offer1 = _setUpProvider(provider);
        offer2 = _setUpProvider(provider2);
    }

    function _runJob(address buyer_, address provider_, uint256 offerId) internal returns (uint256 jobId) {
        jobId = _submit(buyer_, _defaultSpec(), BUDGET);
        _commitOnChainRoute(jobId, provider_, offerId);
        vm.prank(provider_);
        market.startJob(jobId);
        skip(1 hours);
        vm.prank(provider_);
        market.completeJob(jobId, keccak256("result"));
    }

    function test_BlacklistedProvider_BlocksOnlyItself() external {
        uint256 job1 = _runJob(buyer, provider, offer1);
        uint256 job2 = _runJob(buyer2, provider2, offer2);
        bToken.setBlacklisted(provider, true);

        // Settlements still work, including the blacklisted provider's own job.
        vm.prank(buyer);
        market.confirmJob(job1);
        skip(DISPUTE_WINDOW);
        vm.prank(stranger);
        market.settleJob(job2);

        uint256 payout = _due(PRICE, GPU_COUNT, 1 hours) - _fee(_due(PRICE, GPU_COUNT, 1 hours));
        assertEq(market.withdrawable(provider), payout);

        // The blacklisted provider's withdrawal fails …
        vm.expectRevert(abi.encodeWithSelector(BlacklistERC20.Blacklisted.selector, provider));
        vm.prank(provider);
        market.withdraw();
        assertEq(market.withdrawable(provider), payout, "credit kept");

        // … every other account's works.
        vm.prank(provider2);
        market.withdraw();
        assertEq(bToken.balanceOf(provider2), payout);
        vm.prank(buyer);
        market.withdraw();
        vm.prank(buyer2);
        market.withdraw();
        assertEq(bToken.balanceOf(buyer), INITIAL_BALANCE - _due(PRICE, GPU_COUNT, 1 hours));
        market.withdrawFees();
        assertEq(bToken.balanceOf(treasury), 2 * _fee(_due(PRICE, GPU_COUNT, 1 hours)));

        // New jobs, cancellations and expiries go on as before.
        uint256 job3 = _submit(buyer, _defaultSpec(), BUDGET);
        vm.prank(buyer);
        market.cancelJob(job3);
        uint256 job4 = _runJob(buyer2, provider2, offer2);
        vm.prank(buyer2);
        market.confirmJob(job4);
        vm.prank(provider2);
        market.withdraw();

        // The market holds exactly the blocked credit plus the buyers' unclaimed refunds.
        assertEq(
            bToken.balanceOf(address(market)),
            payout + market.withdrawable(buyer) + market.withdrawable(buyer2) + market.accruedFees()
        );
    }

    /// @dev The blocked provider can still move its earnings to another address of its own.
    function test_BlacklistedProvider_CanWithdrawToAnotherAddress() external {
        uint256 jobId = _runJob(buyer, provider, offer1);
        vm.prank(buyer);
        market.confirmJob(jobId);
        bToken.setBlacklisted(provider, true);
        address fresh = makeAddr("fresh");
        uint256 payout = market.withdrawable(provider);
        vm.prank(provider);
        market.withdrawTo(fresh);
        assertEq(bToken.balanceOf(fresh), payout);
    }

    /// @dev A blacklisted buyer does not block the provider's payment: its refund is credited, not pushed.
    function test_BlacklistedBuyer_DoesNotBlockSettlement() external {
        uint256 jobId = _runJob(buyer, provider, offer1);
        bToken.setBlacklisted(buyer, true);
        skip(DISPUTE_WINDOW);
        market.settleJob(jobId);
        vm.prank(provider);
        market.withdraw();
        assertGt(bToken.balanceOf(provider), 0);
        vm.expectRevert(abi.encodeWithSelector(BlacklistERC20.Blacklisted.selector, buyer));
        vm.prank(buyer);
        market.withdraw();
    }

    /// @dev A blacklisted treasury blocks only the fee withdrawal.
    function test_BlacklistedTreasury_BlocksOnlyFees() external {
        uint256 jobId = _runJob(buyer, provider, offer1);
        vm.prank(buyer);
        market.confirmJob(jobId);
        bToken.setBlacklisted(treasury, true);
        vm.expectRevert(abi.encodeWithSelector(BlacklistERC20.Blacklisted.selector, treasury));
        market.withdrawFees();
        vm.prank(provider);
        market.withdraw();
        vm.prank(buyer);
        market.withdraw();
        assertEq(bToken.balanceOf(address(market)), market.accruedFees());
    }

    /// @dev A blacklisted buyer cannot fund a job (the deposit's transferFrom reverts), as expected.
    function test_RevertWhen_BlacklistedBuyerSubmits() external {
        bToken.setBlacklisted(buyer, true);
        vm.expectRevert(abi.encodeWithSelector(BlacklistERC20.Blacklisted.selector, buyer));
        _submit(buyer, _defaultSpec(), BUDGET);
    }
}
