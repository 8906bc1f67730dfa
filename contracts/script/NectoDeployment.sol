// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessManager} from "@openzeppelin/contracts/access/manager/AccessManager.sol";

import {JobMarket} from "../src/JobMarket.sol";
import {ProviderRegistry} from "../src/ProviderRegistry.sol";
import {TeamRegistry} from "../src/TeamRegistry.sol";
import {MockUSDC} from "../src/mocks/MockUSDC.sol";
import {Roles} from "../src/libraries/Roles.sol";

/// @title NectoDeployment
/// @notice Deploys and wires a Necto deployment. Shared by `Deploy.s.sol` and the tests' `Base.t.sol`, so tests run
/// against exactly what the script deploys. The calls must come from `config.admin` (broadcast or prank).
library NectoDeployment {
    struct Config {
        /// Admin of the AccessManager (and ADMIN role holder): the caller.
        address admin;
        /// Existing USDC; zero deploys a MockUSDC.
        address usdc;
        /// Enables the MockUSDC faucet on any chain (it is always on at chain id 31337).
        bool mockFaucet;
        address treasury;
        address keeper;
        /// Gets the ARBITER and PAUSER roles.
        address arbiter;
        /// Settlement account of the external markets (akash, ionet, lambda, aws-spot).
        address marketSettlement;
        uint16 feeBps;
        uint32 startWindow;
        uint32 disputeWindow;
        uint32 defaultStartBy;
        uint32 disputeTimeout;
    }

    struct Deployment {
        AccessManager manager;
        address usdc;
        bool mockUsdc;
        ProviderRegistry providerRegistry;
        TeamRegistry teamRegistry;
        JobMarket jobMarket;
    }

    /// @notice The external markets configured by default.
    function defaultMarkets() internal pure returns (string[4] memory) {
        return ["akash", "ionet", "lambda", "aws-spot"];
    }

    function deploy(Config memory config) internal returns (Deployment memory d) {
        d.manager = new AccessManager(config.admin);
        address authority = address(d.manager);
        d.usdc = config.usdc;
        if (d.usdc == address(0)) {
            d.usdc = address(new MockUSDC(config.mockFaucet));
            d.mockUsdc = true;
        }
        d.providerRegistry = new ProviderRegistry(authority);
        d.teamRegistry = new TeamRegistry(authority);
        d.jobMarket = new JobMarket(
            authority,
            d.usdc,
            address(d.providerRegistry),
            address(d.teamRegistry),
            config.treasury,
            config.feeBps,
            config.startWindow,
            config.disputeWindow,
            config.defaultStartBy,
            config.disputeTimeout
        );
        wireRoles(d);
        d.providerRegistry.setMarket(address(d.jobMarket), true);
        d.manager.grantRole(Roles.KEEPER, config.keeper, 0);
        d.manager.grantRole(Roles.ARBITER, config.arbiter, 0);
        d.manager.grantRole(Roles.PAUSER, config.arbiter, 0);
        d.manager.grantRole(Roles.MARKET, address(d.jobMarket), 0);
        d.manager.labelRole(Roles.KEEPER, "KEEPER");
        d.manager.labelRole(Roles.ARBITER, "ARBITER");
        d.manager.labelRole(Roles.PAUSER, "PAUSER");
        d.manager.labelRole(Roles.MARKET, "MARKET");
        string[4] memory markets = defaultMarkets();
        for (uint256 i; i < markets.length; ++i) {
            d.jobMarket.setMarketSettlement(markets[i], config.marketSettlement);
        }
    }

    /// @notice Restricts every role-gated function to its role.
    function wireRoles(Deployment memory d) internal {
        AccessManager manager = d.manager;
        address market = address(d.jobMarket);

        // commitRoute checks the KEEPER role itself (see JobMarket.commitRoute).

        bytes4[] memory arbiter = new bytes4[](1);
        arbiter[0] = JobMarket.resolveDispute.selector;
        manager.setTargetFunctionRole(market, arbiter, Roles.ARBITER);

        bytes4[] memory pauser = new bytes4[](2);
        pauser[0] = JobMarket.pause.selector;
        pauser[1] = JobMarket.unpause.selector;
        manager.setTargetFunctionRole(market, pauser, Roles.PAUSER);

        bytes4[] memory suspend = new bytes4[](1);
        suspend[0] = ProviderRegistry.setSuspended.selector;
        manager.setTargetFunctionRole(address(d.providerRegistry), suspend, Roles.PAUSER);

        bytes4[] memory admin = new bytes4[](5);
        admin[0] = JobMarket.setProtocolFee.selector;
        admin[1] = JobMarket.setTreasury.selector;
        admin[2] = JobMarket.setWindows.selector;
        admin[3] = JobMarket.setMarketSettlement.selector;
        admin[4] = JobMarket.setDisputeTimeout.selector;
        manager.setTargetFunctionRole(market, admin, Roles.ADMIN);

        bytes4[] memory registryAdmin = new bytes4[](1);
        registryAdmin[0] = ProviderRegistry.setMarket.selector;
        manager.setTargetFunctionRole(address(d.providerRegistry), registryAdmin, Roles.ADMIN);

        // releaseSpend needs no role: a market only releases what it recorded.
        bytes4[] memory spend = new bytes4[](1);
        spend[0] = TeamRegistry.recordSpend.selector;
        manager.setTargetFunctionRole(address(d.teamRegistry), spend, Roles.MARKET);
    }
}
