// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import {AccessManager} from "@openzeppelin/contracts/access/manager/AccessManager.sol";

import {Deploy} from "../../../script/Deploy.s.sol";
import {NectoDeployment} from "../../../script/NectoDeployment.sol";
import {JobMarket} from "../../../src/JobMarket.sol";
import {Roles} from "../../../src/libraries/Roles.sol";

contract Deploy_Unit_Test is Test {
    address internal constant ANVIL_DEPLOYER = 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266;
    address internal constant ANVIL_KEEPER = 0x70997970C51812dc3A010C7d01b50e0d17dc79C8;
    address internal constant ANVIL_SETTLEMENT = 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC;

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

    function _config() internal pure returns (NectoDeployment.Config memory config) {
        config.admin = address(0xAD);
        config.treasury = address(0x7EA);
        config.keeper = address(0xBEEF);
        config.arbiter = address(0xA4B);
        config.marketSettlement = address(0x5E7);
    }

    function test_CheckConfig_AcceptsExplicitAccountsOffLocal() public {
        new Deploy().checkConfig(_config(), 11155111);
    }

    function test_CheckConfig_LocalAcceptsDefaults() public {
        NectoDeployment.Config memory config;
        config.keeper = ANVIL_KEEPER;
        config.marketSettlement = ANVIL_SETTLEMENT;
        new Deploy().checkConfig(config, 31337);
    }

    function test_RevertWhen_RoleUnsetOffLocal() public {
        Deploy script = new Deploy();
        NectoDeployment.Config memory config = _config();
        config.marketSettlement = address(0);
        vm.expectRevert(abi.encodeWithSelector(Deploy.Deploy_Unset.selector, "AKASH_SETTLEMENT"));
        script.checkConfig(config, 11155111);
        config = _config();
        config.keeper = address(0);
        vm.expectRevert(abi.encodeWithSelector(Deploy.Deploy_Unset.selector, "KEEPER"));
        script.checkConfig(config, 1);
    }

    function test_RevertWhen_AnvilAccountOffLocal() public {
        Deploy script = new Deploy();
        NectoDeployment.Config memory config = _config();
        config.keeper = ANVIL_KEEPER;
        vm.expectRevert(abi.encodeWithSelector(Deploy.Deploy_WellKnownAccount.selector, "KEEPER", ANVIL_KEEPER));
        script.checkConfig(config, 11155111);
        config = _config();
        config.marketSettlement = ANVIL_SETTLEMENT;
        vm.expectRevert(
            abi.encodeWithSelector(Deploy.Deploy_WellKnownAccount.selector, "AKASH_SETTLEMENT", ANVIL_SETTLEMENT)
        );
        script.checkConfig(config, 11155111);
        config = _config();
        config.admin = ANVIL_DEPLOYER;
        vm.expectRevert(abi.encodeWithSelector(Deploy.Deploy_WellKnownAccount.selector, "deployer", ANVIL_DEPLOYER));
        script.checkConfig(config, 11155111);
        assertTrue(script.isWellKnown(0xa0Ee7A142d267C1f36714E4a8F75612F20a79720), "anvil #9");
        assertFalse(script.isWellKnown(address(0xBEEF)));
    }

    /// @dev Off the local chain the script itself refuses to fall back on defaults (TREASURY is checked first and no
    /// test sets it).
    function test_RevertWhen_RunOffLocalWithoutAccounts() public {
        Deploy script = new Deploy();
        vm.chainId(11155111);
        vm.expectRevert(abi.encodeWithSelector(Deploy.Deploy_Unset.selector, "TREASURY"));
        script.run();
    }
}
