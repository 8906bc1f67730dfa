// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Base} from "../../Base.t.sol";
import {DataTypes} from "../../../src/types/DataTypes.sol";

/// @notice Gas of the hot paths (execution gas of the last call), written to `contracts/snapshots/JobMarket.json`.
/// The budgets are checked on `contracts/test/gas/Gas.t.sol` by `pnpm bench:gas` (tools/bench-gas.mjs).
contract Gas_Unit_Test is Base {
    uint256 internal offerId;

    function setUp() public override {
        super.setUp();
        offerId = _setUpProvider(provider);
    }

    /// @dev The first job of a fresh deployment: every slot it touches is cold and empty.
    function test_Gas_FirstJobLifecycle() public {
        _lifecycle("first");
    }

    /// @dev A job in a market already in use (the counters, the payee and fee slots are non-zero).
    function test_Gas_SteadyStateLifecycle() public {
        _lifecycle("");
        _lifecycle("steady");
    }

    /// @dev An external (Akash) route.
    function test_Gas_ExternalRoute() public {
        uint256 jobId = _submitDefault();
        vm.prank(keeper);
        market.commitRoute(jobId, _externalRoute(AKASH, AKASH_PROVIDER, PRICE));
        vm.snapshotGasLastCall("JobMarket", "commitRoute_external");
        vm.prank(keeper);
        market.startJob(jobId);
        skip(1 hours);
        vm.prank(keeper);
        market.completeJob(jobId, bytes32("result"));
        vm.prank(buyer);
        market.confirmJob(jobId);
        vm.snapshotGasLastCall("JobMarket", "confirmJob_external");
    }

    function _lifecycle(string memory tag) private {
        bool record = bytes(tag).length != 0;
        DataTypes.JobSpec memory spec = _defaultSpec();
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _permitSig(buyerKey, buyer, address(market), BUDGET, deadline);
        vm.prank(buyer);
        uint256 jobId = market.submitJobWithPermit(spec, BUDGET, deadline, v, r, s);
        if (record) vm.snapshotGasLastCall("JobMarket", string.concat("submitJobWithPermit_", tag));

        vm.prank(keeper);
        market.commitRoute(jobId, _onChainRoute(provider, offerId, PRICE));
        if (record) vm.snapshotGasLastCall("JobMarket", string.concat("commitRoute_", tag));

        vm.prank(provider);
        market.startJob(jobId);
        if (record) vm.snapshotGasLastCall("JobMarket", string.concat("startJob_", tag));
        skip(1 hours);
        vm.prank(provider);
        market.completeJob(jobId, bytes32("result"));
        if (record) vm.snapshotGasLastCall("JobMarket", string.concat("completeJob_", tag));

        vm.prank(buyer);
        market.confirmJob(jobId);
        if (record) vm.snapshotGasLastCall("JobMarket", string.concat("confirmJob_", tag));

        vm.prank(provider);
        market.withdraw();
        if (record) vm.snapshotGasLastCall("JobMarket", string.concat("withdraw_", tag));
    }
}
