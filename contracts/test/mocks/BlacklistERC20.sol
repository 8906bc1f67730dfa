// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";

/// @title BlacklistERC20
/// @notice A 6-decimal ERC-20 with EIP-2612 permit and a USDC-like blacklist: any transfer from or to a blacklisted
/// address reverts (Circle's `Blacklistable: account is blacklisted`).
contract BlacklistERC20 is ERC20, ERC20Permit {
    /// @notice Thrown when a transfer touches a blacklisted account.
    error Blacklisted(address account);

    mapping(address account => bool) public isBlacklisted;

    constructor() ERC20("Blacklist USD", "bUSD") ERC20Permit("Blacklist USD") {}

    function decimals() public pure override returns (uint8) {
        return 6;
    }

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function setBlacklisted(address account, bool blacklisted) external {
        isBlacklisted[account] = blacklisted;
    }

    function _update(address from, address to, uint256 value) internal override {
        if (isBlacklisted[from]) revert Blacklisted(from);
        if (isBlacklisted[to]) revert Blacklisted(to);
        super._update(from, to, value);
    }
}
