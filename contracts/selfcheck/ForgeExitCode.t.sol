// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";

/// @notice Not part of the suite: the test runner checks with it that a failing Solidity test fails the run
/// (the npm launcher of forge swallows exit codes; we call the platform binary).
contract ForgeExitCodeSelfCheck is Test {
    function test_FailsOnPurpose() public pure {
        assertEq(uint256(1), uint256(2), "deliberate failure");
    }
}
