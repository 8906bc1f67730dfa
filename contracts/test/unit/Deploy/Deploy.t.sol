// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import {AccessManager} from "@openzeppelin/contracts/access/manager/AccessManager.sol";

import {Deploy} from "../../../script/Deploy.s.sol";
import {NectoDeployment} from "../../../script/NectoDeployment.sol";
import {JobMarket} from "../../../src/JobMarket.sol";
import {Roles} from "../../../src/libraries/Roles.sol";

contract Deploy_Unit_Test is Test {
    function test_Run_DeploysAndWiresRoles() public {
        vm.setEnv("KEEPER", vm.toString(address(0xBEEF)));
        vm.setEnv("IONET_SETTLEMENT", vm.toString(address(0xCAFE)));
        Deploy script = new Deploy();
        NectoDeployment.Deployment memory d = script.run();
        JobMarket market = d.jobMarket;
        AccessManager manager = d.manager;

        assertTrue(d.mockUsdc);
        assertEq(market.usdc(), d.usdc);
        assertEq(market.protocolFeeBps(), 250);
        (uint32 startWindow, uint32 disputeWindow, uint32 defaultStartBy) = market.windows();
        assertEq(startWindow, 15 minutes);
        assertEq(disputeWindow, 1 hours);
        assertEq(defaultStartBy, 24 hours);
        assertEq(market.settlementAccount("akash"), 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC);
        assertEq(market.settlementAccount("ionet"), address(0xCAFE));
        assertEq(market.settlementAccount("aws-spot"), 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC);

        (bool isKeeper,) = manager.hasRole(Roles.KEEPER, address(0xBEEF));
        assertTrue(isKeeper);
        (bool isMarket,) = manager.hasRole(Roles.MARKET, address(market));
        assertTrue(isMarket);
        assertEq(manager.getTargetFunctionRole(address(market), JobMarket.commitRoute.selector), Roles.KEEPER);
        assertEq(manager.getTargetFunctionRole(address(market), JobMarket.resolveDispute.selector), Roles.ARBITER);
        assertEq(manager.getTargetFunctionRole(address(market), JobMarket.pause.selector), Roles.PAUSER);
        assertEq(
            manager.getTargetFunctionRole(address(d.teamRegistry), d.teamRegistry.recordSpend.selector), Roles.MARKET
        );

        string memory json = vm.readFile(string.concat(vm.projectRoot(), "/contracts/deployments/31337.json"));
        assertEq(vm.parseJsonAddress(json, ".contracts.JobMarket"), address(market));
        assertEq(vm.parseJsonAddress(json, ".contracts.MockUSDC"), d.usdc);
        assertEq(vm.parseJsonUint(json, ".chainId"), 31337);
    }
}
