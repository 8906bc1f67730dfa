// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";

/// @title FeeOnTransferERC20
/// @notice A 6-decimal ERC-20 with EIP-2612 permit that burns `feeBps` of every transfer between two non-zero
/// addresses, so the recipient is credited less than the amount sent (like STA, PAXG or a USDT with its fee on).
contract FeeOnTransferERC20 is ERC20, ERC20Permit {
    uint16 public feeBps;

    constructor(uint16 feeBps_) ERC20("Fee USD", "fUSD") ERC20Permit("Fee USD") {
        feeBps = feeBps_;
    }

    function decimals() public pure override returns (uint8) {
        return 6;
    }

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function setFeeBps(uint16 feeBps_) external {
        feeBps = feeBps_;
    }

    function _update(address from, address to, uint256 value) internal override {
        if (from == address(0) || to == address(0) || feeBps == 0) {
            super._update(from, to, value);
            return;
        }
        uint256 fee = value * feeBps / 10_000;
        if (fee == 0 && value != 0) fee = 1; // even dust transfers lose something
        super._update(from, address(0), fee);
        super._update(from, to, value - fee);
    }
}
