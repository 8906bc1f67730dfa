// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IAccessManaged} from "@openzeppelin/contracts/access/manager/IAccessManaged.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

import {Base} from "../../Base.t.sol";
import {IJobMarket} from "../../../src/interfaces/IJobMarket.sol";
import {JobMarket} from "../../../src/JobMarket.sol";
import {Errors} from "../../../src/libraries/Errors.sol";
import {DataTypes} from "../../../src/types/DataTypes.sol";
import {BlacklistERC20} from "../../mocks/BlacklistERC20.sol";

/// @notice withdraw, withdrawTo, withdrawFees, admin setters, pause, views, constructor.
contract EscrowAdmin_Unit_Test is Base {
    uint256 internal jobId;
    uint256 internal due = 4e6; // 1 hour × 2 GPUs × 2 USDC
    uint256 internal fee = 1e5;

    modifier givenSettled() {
        jobId = _completedOnChainJob(1 hours);
        vm.prank(buyer);
        market.confirmJob(jobId);
        _;
    }

    /*//////////////////////////////////////////////////////////////
                                WITHDRAW
    //////////////////////////////////////////////////////////////*/

    function test_Withdraw_SendsBalance() public givenSettled {
        vm.expectEmit(address(market));
        emit IJobMarket.Withdrawn(provider, provider, due - fee);
        vm.prank(provider);
        market.withdraw();
        assertEq(usdc.balanceOf(provider), due - fee);
        assertEq(market.withdrawable(provider), 0);
        vm.prank(buyer);
        market.withdraw();
        assertEq(usdc.balanceOf(buyer), INITIAL_BALANCE - due);
        market.withdrawFees();
        assertEq(usdc.balanceOf(address(market)), 0, "solvent to the last unit");
    }

    function test_WithdrawTo_SendsToReceiver() public givenSettled {
        vm.expectEmit(address(market));
        emit IJobMarket.Withdrawn(provider, stranger, due - fee);
        vm.prank(provider);
        market.withdrawTo(stranger);
        assertEq(usdc.balanceOf(stranger), due - fee);
    }

    function test_RevertWhen_WithdrawToZero() public givenSettled {
        vm.prank(provider);
        vm.expectRevert(Errors.ZeroAddress.selector);
        market.withdrawTo(address(0));
    }

    /// @dev Regression: withdrawing to the market itself zeroed the credit and locked the tokens for good.
    function test_RevertWhen_WithdrawToMarket() public givenSettled {
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_InvalidRecipient.selector, address(market)));
        market.withdrawTo(address(market));
        assertEq(market.withdrawable(provider), due - fee, "credit kept");
    }

    /// @dev A withdrawal leaves a marked entry, not zero: the account reads as empty, cannot withdraw again, and its
    /// next credit reads (and is emitted) as exactly that credit, withdrawable to the last unit.
    function test_Withdraw_ThenCreditAgain_ReadsExactAmounts() public givenSettled {
        vm.prank(provider);
        market.withdraw();
        assertEq(market.withdrawable(provider), 0, "empty after withdrawal");
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_NothingToWithdraw.selector, provider));
        market.withdraw();

        uint256 next = _submitDefault();
        _commitOnChainRoute(next, provider, 1);
        vm.prank(provider);
        market.startJob(next);
        skip(1 hours);
        vm.prank(provider);
        market.completeJob(next, keccak256("result"));
        vm.expectEmit(address(market));
        emit IJobMarket.PaymentCredited(provider, next, due - fee, due - fee);
        vm.prank(buyer);
        market.confirmJob(next);
        assertEq(market.withdrawable(provider), due - fee, "second credit only");
        vm.prank(provider);
        market.withdraw();
        assertEq(usdc.balanceOf(provider), 2 * (due - fee));
        assertEq(market.withdrawable(provider), 0);
    }

    function test_RevertWhen_NothingToWithdraw() public {
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_NothingToWithdraw.selector, stranger));
        market.withdraw();
    }

    function test_WithdrawFees_SendsToTreasury() public givenSettled {
        vm.expectEmit(address(market));
        emit IJobMarket.FeesWithdrawn(treasury, fee);
        vm.prank(stranger);
        market.withdrawFees();
        assertEq(usdc.balanceOf(treasury), fee);
        assertEq(market.accruedFees(), 0);
    }

    function test_RevertGiven_NoFees() public {
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_NothingToWithdraw.selector, treasury));
        market.withdrawFees();
    }

    function test_Withdraw_BlacklistedRecipientBlocksOnlyItself() public {
        BlacklistERC20 token = new BlacklistERC20();
        JobMarket blMarket = new JobMarket(
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
        vm.startPrank(admin);
        providerRegistry.setMarket(address(blMarket), true);
        bytes4[] memory selectors = new bytes4[](1);
        selectors[0] = JobMarket.commitRoute.selector;
        manager.setTargetFunctionRole(address(blMarket), selectors, 1);
        vm.stopPrank();
        uint256 offerId = _setUpProvider(provider);
        token.mint(buyer, BUDGET);
        vm.startPrank(buyer);
        token.approve(address(blMarket), BUDGET);
        uint256 id = blMarket.submitJob(_defaultSpec(), BUDGET);
        vm.stopPrank();
        vm.prank(keeper);
        blMarket.commitRoute(id, _onChainRoute(provider, offerId, PRICE));
        vm.prank(provider);
        blMarket.startJob(id);
        skip(1 hours);
        vm.prank(provider);
        blMarket.completeJob(id, 0);
        token.setBlacklisted(provider, true);
        vm.prank(buyer);
        blMarket.confirmJob(id); // settlement does not touch the token

        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(BlacklistERC20.Blacklisted.selector, provider));
        blMarket.withdraw();
        vm.prank(buyer);
        blMarket.withdraw();
        blMarket.withdrawFees();
        assertEq(token.balanceOf(buyer), BUDGET - due);
        assertEq(token.balanceOf(treasury), fee);
        // The blacklisted provider can still withdraw to another address.
        vm.prank(provider);
        blMarket.withdrawTo(stranger);
        assertEq(token.balanceOf(stranger), due - fee);
    }

    /*//////////////////////////////////////////////////////////////
                                 ADMIN
    //////////////////////////////////////////////////////////////*/

    function test_SetProtocolFee() public {
        vm.expectEmit(address(market));
        emit IJobMarket.ProtocolFeeSet(1000);
        vm.prank(admin);
        market.setProtocolFee(1000);
        assertEq(market.protocolFeeBps(), 1000);
    }

    function test_RevertWhen_FeeAboveMax() public {
        vm.prank(admin);
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_InvalidBps.selector, 1001));
        market.setProtocolFee(1001);
    }

    function test_SetTreasury() public {
        vm.expectEmit(address(market));
        emit IJobMarket.TreasurySet(stranger);
        vm.prank(admin);
        market.setTreasury(stranger);
        assertEq(market.treasury(), stranger);
    }

    function test_RevertWhen_TreasuryZero() public {
        vm.prank(admin);
        vm.expectRevert(Errors.ZeroAddress.selector);
        market.setTreasury(address(0));
    }

    function test_SetWindows() public {
        vm.expectEmit(address(market));
        emit IJobMarket.WindowsSet(1, 2, 3);
        vm.prank(admin);
        market.setWindows(1, 2, 3);
        (uint32 startWindow, uint32 disputeWindow, uint32 defaultStartBy) = market.windows();
        assertEq(startWindow, 1);
        assertEq(disputeWindow, 2);
        assertEq(defaultStartBy, 3);
    }

    function test_RevertWhen_WindowZero() public {
        vm.startPrank(admin);
        vm.expectRevert(Errors.JobMarket_InvalidParameter.selector);
        market.setWindows(0, 1, 1);
        vm.expectRevert(Errors.JobMarket_InvalidParameter.selector);
        market.setWindows(1, 0, 1);
        vm.expectRevert(Errors.JobMarket_InvalidParameter.selector);
        market.setWindows(1, 1, 0);
        vm.stopPrank();
    }

    function test_SetMarketSettlement() public {
        vm.expectEmit(address(market));
        emit IJobMarket.MarketSettlementSet(keccak256("render"), "render", stranger);
        vm.prank(admin);
        market.setMarketSettlement("render", stranger);
        assertEq(market.settlementAccount("render"), stranger);
        assertEq(market.settlementAccount("akash"), settlement);
        vm.prank(admin);
        market.setMarketSettlement("render", address(0));
        assertEq(market.settlementAccount("render"), address(0));
    }

    function test_RevertWhen_MarketNameInvalid() public {
        vm.startPrank(admin);
        vm.expectRevert(Errors.InvalidString.selector);
        market.setMarketSettlement("", stranger);
        vm.expectRevert(Errors.InvalidString.selector);
        market.setMarketSettlement("a-market-name-longer-than-32-bytes", stranger);
        vm.stopPrank();
    }

    function test_RevertWhen_SettlementIsProvider() public {
        _registerProvider(provider);
        vm.prank(admin);
        vm.expectRevert(Errors.JobMarket_InvalidParameter.selector);
        market.setMarketSettlement("render", provider);
    }

    function test_PauseUnpause() public {
        vm.prank(arbiter);
        market.pause();
        assertTrue(market.paused());
        vm.prank(arbiter);
        market.unpause();
        assertFalse(market.paused());
        _submitDefault();
    }

    function test_RevertWhen_StrangerCallsRestricted() public {
        bytes[] memory calls = new bytes[](8);
        calls[0] = abi.encodeCall(market.setProtocolFee, (0));
        calls[1] = abi.encodeCall(market.setTreasury, (stranger));
        calls[2] = abi.encodeCall(market.setWindows, (1, 1, 1));
        calls[3] = abi.encodeCall(market.setMarketSettlement, ("akash", stranger));
        calls[4] = abi.encodeCall(market.pause, ());
        calls[5] = abi.encodeCall(market.unpause, ());
        calls[6] = abi.encodeCall(market.resolveDispute, (1, 0));
        calls[7] = abi.encodeCall(market.commitRoute, (1, _externalRoute(AKASH, AKASH_PROVIDER, PRICE)));
        for (uint256 i; i < calls.length; ++i) {
            vm.prank(stranger);
            (bool ok, bytes memory reason) = address(market).call(calls[i]);
            assertFalse(ok);
            assertEq(reason, abi.encodeWithSelector(IAccessManaged.AccessManagedUnauthorized.selector, stranger));
        }
    }

    function test_RevertWhen_KeeperCallsAdmin() public {
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IAccessManaged.AccessManagedUnauthorized.selector, keeper));
        market.setProtocolFee(0);
    }

    function test_RevertGiven_PauseTwice() public {
        vm.startPrank(arbiter);
        market.pause();
        vm.expectRevert(Pausable.EnforcedPause.selector);
        market.pause();
        vm.stopPrank();
    }

    /*//////////////////////////////////////////////////////////////
                           VIEWS, CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    function test_Views() public view {
        assertEq(market.usdc(), address(usdc));
        assertEq(market.providerRegistry(), address(providerRegistry));
        assertEq(market.teamRegistry(), address(teamRegistry));
        assertEq(market.treasury(), treasury);
        assertEq(market.protocolFeeBps(), FEE_BPS);
        assertEq(market.jobCount(), 0);
        assertEq(market.authority(), address(manager));
        assertEq(uint8(market.getJob(1).status), uint8(DataTypes.JobStatus.None));
        assertEq(market.amountDue(1), 0);
    }

    function test_RevertWhen_ConstructorZeroAddresses() public {
        vm.expectRevert(Errors.ZeroAddress.selector);
        new JobMarket(
            address(manager), address(0), address(providerRegistry), address(teamRegistry), treasury, 0, 1, 1, 1, 1
        );
        vm.expectRevert(Errors.ZeroAddress.selector);
        new JobMarket(address(manager), address(usdc), address(0), address(teamRegistry), treasury, 0, 1, 1, 1, 1);
        vm.expectRevert(Errors.ZeroAddress.selector);
        new JobMarket(address(manager), address(usdc), address(providerRegistry), address(0), treasury, 0, 1, 1, 1, 1);
    }
}
