// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";

import {Errors} from "../../../src/libraries/Errors.sol";
import {MockUSDC} from "../../../src/mocks/MockUSDC.sol";

contract MockUSDC_Unit_Test is Test {
    address internal user = makeAddr("user");

    function test_Metadata() public {
        MockUSDC token = new MockUSDC(false);
        assertEq(token.name(), "USD Coin");
        assertEq(token.symbol(), "USDC");
        assertEq(token.decimals(), 6);
        assertFalse(token.faucetForced());
    }

    function test_Faucet_OnAnvil() public {
        vm.chainId(31337);
        MockUSDC token = new MockUSDC(false);
        assertTrue(token.faucetEnabled());
        token.faucet(user, 100_000e6);
        assertEq(token.balanceOf(user), 100_000e6);
    }

    function test_RevertWhen_FaucetAboveLimit() public {
        vm.chainId(31337);
        MockUSDC token = new MockUSDC(false);
        vm.expectRevert(abi.encodeWithSelector(Errors.MockUSDC_FaucetLimit.selector, 100_000e6 + 1, 100_000e6));
        token.faucet(user, 100_000e6 + 1);
    }

    function test_RevertGiven_FaucetDisabledChain() public {
        vm.chainId(1);
        MockUSDC token = new MockUSDC(false);
        assertFalse(token.faucetEnabled());
        vm.expectRevert(Errors.MockUSDC_FaucetDisabled.selector);
        token.faucet(user, 1);
    }

    function test_Faucet_ForcedOnOtherChain() public {
        vm.chainId(99999);
        MockUSDC token = new MockUSDC(true);
        token.faucet(user, 1);
        assertEq(token.balanceOf(user), 1);
    }
}
