// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";

import {Errors} from "../libraries/Errors.sol";

/// @title MockUSDC
/// @notice A 6-decimal USDC stand-in with EIP-2612 permit and a faucet, for local and test chains only.
/// @dev The faucet is open on the anvil chain (31337) or when the deployer enables it explicitly (public testnets).
contract MockUSDC is ERC20, ERC20Permit {
    /// @notice Most a single faucet call can mint: 100,000 USDC.
    uint256 public constant FAUCET_LIMIT = 100_000e6;

    /// @notice Whether the deployer enabled the faucet regardless of the chain.
    bool public immutable faucetForced;

    /// @param enableFaucet Enables the faucet on any chain (for public testnets); on chain 31337 it is always on.
    constructor(bool enableFaucet) ERC20("USD Coin", "USDC") ERC20Permit("USD Coin") {
        faucetForced = enableFaucet;
    }

    /// @notice Mints up to `FAUCET_LIMIT` to `to`. Only where the faucet is enabled.
    /// @param to Receiver of the new tokens.
    /// @param amount Amount, 6 decimals.
    function faucet(address to, uint256 amount) external {
        if (!faucetEnabled()) revert Errors.MockUSDC_FaucetDisabled();
        if (amount > FAUCET_LIMIT) revert Errors.MockUSDC_FaucetLimit(amount, FAUCET_LIMIT);
        _mint(to, amount);
    }

    /// @notice Whether `faucet` works on this chain.
    function faucetEnabled() public view returns (bool) {
        return faucetForced || block.chainid == 31337;
    }

    /// @notice USDC has 6 decimals.
    function decimals() public pure override returns (uint8) {
        return 6;
    }
}
