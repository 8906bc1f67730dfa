// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title Roles
/// @notice Role ids of the deployment's AccessManager. 0 is OpenZeppelin's ADMIN_ROLE.
library Roles {
    uint64 internal constant ADMIN = 0;
    /// @notice Commits routes, reports external-market starts and completions.
    uint64 internal constant KEEPER = 1;
    /// @notice Resolves disputes.
    uint64 internal constant ARBITER = 2;
    /// @notice Pauses the market and suspends providers.
    uint64 internal constant PAUSER = 3;
    /// @notice Contracts allowed to record team spend (the JobMarket).
    uint64 internal constant MARKET = 4;
}
