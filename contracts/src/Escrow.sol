// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IJobMarket} from "./interfaces/IJobMarket.sol";
import {Errors} from "./libraries/Errors.sol";

/// @title Escrow
/// @notice The USDC ledger of the market. Each job's escrowed balance lives in the job record (`Job.balance`, kept by
/// the JobMarket); settled money moves from a job to `withdrawable[account]` (providers, settlement accounts, buyers'
/// refunds) or to `accruedFees` (protocol), and leaves the contract only through pull payments.
/// @dev Abstract base of JobMarket on purpose: one contract holds the tokens and the job records, so "only the
/// JobMarket moves escrow" holds by construction and settling costs no cross-contract call. Solvency invariant:
/// `usdc.balanceOf(this) == Σ job balances + Σ withdrawable + accruedFees` (tokens sent without a deposit aside).
/// Pull payments isolate recipients: a token that blacklists one address can only block that address's withdrawal.
abstract contract Escrow is IJobMarket, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @dev The USDC token.
    IERC20 internal immutable _usdc;

    /// @dev Per account: the withdrawable amount, with the top bit set as a mark once the account has withdrawn. A
    /// withdrawal leaves the mark instead of zero, so the account's later credits never pay a zero-to-non-zero write
    /// again (a returning buyer's refund, a provider's next payout). Read through `_amountOf`; amounts stay far below the top bit (each is a sum of uint64 job balances).
    mapping(address account => uint256) private _withdrawable;
    /// @dev The treasury and the accrued fees share one slot, never empty once the treasury is set: the first fee of a
    /// deployment then costs no zero-to-non-zero write. 2^96 units is far above USDC's total supply.
    address private _treasuryAccount;
    uint96 private _accruedFees;

    /// @param usdc_ The USDC token (6 decimals).
    constructor(address usdc_) {
        if (usdc_ == address(0)) revert Errors.ZeroAddress();
        _usdc = IERC20(usdc_);
    }

    /*//////////////////////////////////////////////////////////////
                              PULL PAYMENTS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IJobMarket
    function withdraw() external nonReentrant {
        _withdraw(msg.sender);
    }

    /// @inheritdoc IJobMarket
    function withdrawTo(address to) external nonReentrant {
        if (to == address(0)) revert Errors.ZeroAddress();
        if (to == address(this)) revert Errors.JobMarket_InvalidRecipient(to);
        _withdraw(to);
    }

    /// @inheritdoc IJobMarket
    function withdrawFees() external nonReentrant {
        address treasury_ = _treasuryAccount;
        uint256 amount = _accruedFees;
        if (amount == 0) revert Errors.JobMarket_NothingToWithdraw(treasury_);
        _accruedFees = 0;
        emit FeesWithdrawn(treasury_, amount);
        _usdc.safeTransfer(treasury_, amount);
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IJobMarket
    function withdrawable(address account) external view returns (uint256) {
        return _amountOf(_withdrawable[account]);
    }

    /// @inheritdoc IJobMarket
    function accruedFees() external view returns (uint256) {
        return _accruedFees;
    }

    /// @inheritdoc IJobMarket
    function usdc() external view returns (address) {
        return address(_usdc);
    }

    /// @notice Receiver of protocol fees.
    function treasury() external view returns (address) {
        return _treasuryAccount;
    }

    /*//////////////////////////////////////////////////////////////
                                INTERNAL
    //////////////////////////////////////////////////////////////*/

    /// @dev Sets the receiver of protocol fees.
    function _setTreasury(address treasury_) internal {
        if (treasury_ == address(0)) revert Errors.ZeroAddress();
        // The market cannot withdraw to itself: fees sent here would be locked for good.
        if (treasury_ == address(this)) revert Errors.JobMarket_InvalidRecipient(treasury_);
        _treasuryAccount = treasury_;
        emit TreasurySet(treasury_);
    }

    /// @dev Pulls exactly `amount` from `from`; reverts for tokens that credit less (fee on transfer).
    function _deposit(address from, uint256 amount) internal {
        uint256 before = _usdc.balanceOf(address(this));
        _usdc.safeTransferFrom(from, address(this), amount);
        uint256 received = _usdc.balanceOf(address(this)) - before;
        if (received != amount) revert Errors.JobMarket_TransferAmountMismatch(amount, received);
    }

    /// @dev Credits `amount` of job `jobId` to `account`'s withdrawable balance (no-op for zero).
    function _credit(address account, uint256 jobId, uint256 amount) internal {
        if (amount == 0) return;
        // Cannot overflow, and a marked entry stays marked: every credit is part of one job's balance (a uint64, paid
        // out once) and there are fewer than 2^64 jobs, so all credits ever made sum to below 2^128, far under the mark.
        uint256 entry;
        unchecked {
            entry = _withdrawable[account] + amount;
        }
        _withdrawable[account] = entry;
        emit PaymentCredited(account, jobId, amount, _amountOf(entry));
    }

    /// @dev Adds `amount` of job `jobId` to the accrued protocol fees (no-op for zero).
    function _accrueFee(uint256 jobId, uint256 amount) internal {
        if (amount == 0) return;
        // The cast is exact (a fee is part of a job balance, a uint96); the sum is checked.
        uint96 total = _accruedFees + uint96(amount);
        _accruedFees = total;
        emit FeeAccrued(jobId, amount, total);
    }

    /// @dev Moves a split job balance to the payee, the protocol and the buyer.
    function _distribute(uint256 jobId, address payee, uint256 payout, uint256 fee, address buyer, uint256 refund)
        internal
    {
        _credit(payee, jobId, payout);
        _accrueFee(jobId, fee);
        _credit(buyer, jobId, refund);
    }

    function _withdraw(address to) private {
        uint256 amount = _amountOf(_withdrawable[msg.sender]);
        if (amount == 0) revert Errors.JobMarket_NothingToWithdraw(msg.sender);
        _withdrawable[msg.sender] = _marked(0);
        emit Withdrawn(msg.sender, to, amount);
        _usdc.safeTransfer(to, amount);
    }

    /// @dev The amount of a `_withdrawable` entry (without the mark). Shifts instead of a 32-byte mask: smaller code.
    function _amountOf(uint256 entry) private pure returns (uint256 amount) {
        assembly ("memory-safe") {
            amount := shr(1, shl(1, entry))
        }
    }

    /// @dev A `_withdrawable` entry holding `amount` (below 2^255), with the mark.
    function _marked(uint256 amount) private pure returns (uint256 entry) {
        assembly ("memory-safe") {
            entry := or(amount, shl(255, 1))
        }
    }
}
