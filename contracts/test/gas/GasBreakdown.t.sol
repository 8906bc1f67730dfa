// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Vm} from "forge-std/Vm.sol";
import {console2} from "forge-std/console2.sol";

import {DataTypes} from "../../src/types/DataTypes.sol";
import {GasTest} from "./Gas.t.sol";

/// @title GasBreakdownTest
/// @notice Diagnostics for the gas budgets: lists every call and storage write of a measured operation (run with -vv).
/// Same steady state as GasTest; snapshots nothing.
contract GasBreakdownTest is GasTest {
    function _print(Vm.AccountAccess[] memory accesses) internal view {
        for (uint256 i; i < accesses.length; ++i) {
            Vm.AccountAccess memory a = accesses[i];
            console2.log("call", vm.getLabel(a.account), uint256(a.kind));
            for (uint256 j; j < a.storageAccesses.length; ++j) {
                Vm.StorageAccess memory s = a.storageAccesses[j];
                if (!s.isWrite) continue;
                string memory kind = s.previousValue == s.newValue
                    ? "noop"
                    : s.previousValue == bytes32(0) ? "zero->nonzero" : s.newValue == bytes32(0) ? "nonzero->zero" : "update";
                console2.log("  sstore", vm.getLabel(s.account), vm.toString(s.slot), kind);
            }
        }
    }

    function test_Breakdown_Settle() external {
        vm.startStateDiffRecording();
        vm.prank(buyer2);
        market.confirmJob(completedJob);
        _print(vm.stopAndReturnStateDiff());
    }

    function test_Breakdown_CommitRoute() external {
        DataTypes.RouteInput memory route = _onChainRoute(provider, offerId, PRICE);
        vm.startStateDiffRecording();
        vm.prank(keeper);
        market.commitRoute(openJob, route);
        _print(vm.stopAndReturnStateDiff());
    }

    function test_Breakdown_Withdraw() external {
        vm.startStateDiffRecording();
        vm.prank(provider);
        market.withdraw();
        _print(vm.stopAndReturnStateDiff());
    }
}
