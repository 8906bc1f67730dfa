// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title Billing
/// @notice The market's money arithmetic: what a job costs, what it needs in escrow, and how its balance splits.
/// @dev Per-second billing, rounded down for the amount due and up for the required budget, so the amount due at the
/// buyer's max price for the whole duration never exceeds the budget.
library Billing {
    uint256 internal constant BPS = 10_000;
    uint256 internal constant SECONDS_PER_HOUR = 3600;

    /// @notice The amount due for a job started at `startedAt` and billed until `end`:
    /// `price × gpuCount × min(end − startedAt, duration) / 3600`, rounded down (0 when `end ≤ startedAt`).
    /// @dev Cannot overflow for the market's stored types: a uint48 × a uint16 × a value below 2^32 is below 2^96.
    function due(uint256 price, uint256 gpuCount, uint256 startedAt, uint256 end, uint256 duration)
        internal
        pure
        returns (uint256)
    {
        uint256 billed = end > startedAt ? end - startedAt : 0;
        if (billed > duration) billed = duration;
        unchecked {
            return price * gpuCount * billed / SECONDS_PER_HOUR;
        }
    }

    /// @notice The budget a job needs: `maxPrice × gpuCount × duration / 3600`, rounded up.
    /// @dev Cannot overflow for a uint48 × a uint16 × a uint32 (below 2^96).
    function required(uint256 maxPrice, uint256 gpuCount, uint256 duration) internal pure returns (uint256) {
        unchecked {
            return (maxPrice * gpuCount * duration + SECONDS_PER_HOUR - 1) / SECONDS_PER_HOUR;
        }
    }

    /// @notice Splits an escrowed `balance`: `owed` is paid for the work (capped at the balance), of which `feeBps`
    /// goes to the protocol and the rest to the payee; what is left is refunded. `payout + fee + refund == balance`.
    function split(uint256 balance, uint256 owed, uint256 feeBps)
        internal
        pure
        returns (uint256 payout, uint256 fee, uint256 refund)
    {
        if (owed > balance) owed = balance;
        // Cannot overflow or underflow: owed ≤ balance < 2^96 and feeBps ≤ 10,000, so fee ≤ owed ≤ balance.
        unchecked {
            fee = owed * feeBps / BPS;
            payout = owed - fee;
            refund = balance - owed;
        }
    }

    /// @notice `amount × shareBps / 10,000`, rounded down.
    /// @dev Cannot overflow for an amount below 2^96 and a share of at most 10,000.
    function share(uint256 amount, uint256 shareBps) internal pure returns (uint256) {
        unchecked {
            return amount * shareBps / BPS;
        }
    }
}
