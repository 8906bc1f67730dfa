// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Script} from "forge-std/Script.sol";

import {NectoDeployment} from "./NectoDeployment.sol";

/// @title Deploy
/// @notice Deploys the Necto contracts and writes `contracts/deployments/<chainId>.json`.
/// @dev `forge script contracts/script/Deploy.s.sol --rpc-url <url> --private-key <key> --broadcast`.
/// On the local chain (31337) every account defaults (anvil's accounts, the deployer). On any other chain TREASURY,
/// KEEPER, ARBITER and AKASH_SETTLEMENT must be set, and neither they, the per-market settlement overrides nor the
/// deployer may be one of anvil's well-known accounts (their keys are public): the script refuses to deploy otherwise.
/// Environment (optional on the local chain): USDC (existing token; else a MockUSDC), MOCK_USDC_FAUCET (open the MockUSDC faucet on
/// chains other than 31337), TREASURY, KEEPER, ARBITER, AKASH_SETTLEMENT (settlement account of akash, and of ionet,
/// lambda and aws-spot unless IONET_SETTLEMENT, LAMBDA_SETTLEMENT, AWS_SPOT_SETTLEMENT say otherwise), FEE_BPS,
/// START_WINDOW, DISPUTE_WINDOW, DEFAULT_START_BY, DISPUTE_TIMEOUT (seconds).
contract Deploy is Script {
    /// @notice Thrown off the local chain when a role or account is not set explicitly.
    error Deploy_Unset(string name);
    /// @notice Thrown off the local chain when a role or account is one of anvil's public test accounts.
    error Deploy_WellKnownAccount(string name, address account);

    uint256 internal constant LOCAL_CHAIN_ID = 31337;
    /// @dev The mnemonic of anvil's (and hardhat's) default accounts.
    string internal constant ANVIL_MNEMONIC = "test test test test test test test test test test test junk";
    uint32 internal constant ANVIL_ACCOUNTS = 10;

    /// @dev anvil account #1.
    address internal constant ANVIL_KEEPER = 0x70997970C51812dc3A010C7d01b50e0d17dc79C8;
    /// @dev anvil account #2.
    address internal constant ANVIL_SETTLEMENT = 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC;

    function run() external returns (NectoDeployment.Deployment memory d) {
        uint256 startBlock = block.number;
        vm.startBroadcast();
        (, address deployer,) = vm.readCallers();
        bool local = block.chainid == LOCAL_CHAIN_ID;
        address akashSettlement = vm.envOr("AKASH_SETTLEMENT", local ? ANVIL_SETTLEMENT : address(0));
        NectoDeployment.Config memory config = NectoDeployment.Config({
            admin: deployer,
            usdc: vm.envOr("USDC", address(0)),
            mockFaucet: vm.envOr("MOCK_USDC_FAUCET", false),
            treasury: vm.envOr("TREASURY", local ? deployer : address(0)),
            keeper: vm.envOr("KEEPER", local ? ANVIL_KEEPER : address(0)),
            arbiter: vm.envOr("ARBITER", local ? deployer : address(0)),
            marketSettlement: akashSettlement,
            feeBps: uint16(vm.envOr("FEE_BPS", uint256(250))),
            startWindow: uint32(vm.envOr("START_WINDOW", uint256(15 minutes))),
            disputeWindow: uint32(vm.envOr("DISPUTE_WINDOW", uint256(1 hours))),
            defaultStartBy: uint32(vm.envOr("DEFAULT_START_BY", uint256(24 hours))),
            disputeTimeout: uint32(vm.envOr("DISPUTE_TIMEOUT", uint256(3 days)))
        });
        checkConfig(config, block.chainid);
        d = NectoDeployment.deploy(config);
        _overrideSettlement(d, "ionet", "IONET_SETTLEMENT", akashSettlement);
        _overrideSettlement(d, "lambda", "LAMBDA_SETTLEMENT", akashSettlement);
        _overrideSettlement(d, "aws-spot", "AWS_SPOT_SETTLEMENT", akashSettlement);
        vm.stopBroadcast();
        _write(d, startBlock);
    }

    function _overrideSettlement(
        NectoDeployment.Deployment memory d,
        string memory marketName,
        string memory envName,
        address defaultAccount
    ) private {
        address account = vm.envOr(envName, defaultAccount);
        if (block.chainid != LOCAL_CHAIN_ID) _checkAccount(envName, account);
        if (account != defaultAccount) d.jobMarket.setMarketSettlement(marketName, account);
    }

    /// @notice Refuses, off the local chain, a deployment whose roles or accounts are unset or are anvil's public
    /// test accounts.
    function checkConfig(NectoDeployment.Config memory config, uint256 chainId) public pure {
        if (chainId == LOCAL_CHAIN_ID) return;
        _checkAccount("TREASURY", config.treasury);
        _checkAccount("KEEPER", config.keeper);
        _checkAccount("ARBITER", config.arbiter);
        _checkAccount("AKASH_SETTLEMENT", config.marketSettlement);
        _checkAccount("deployer", config.admin);
    }

    /// @notice Whether `account` is one of anvil's ten default accounts.
    function isWellKnown(address account) public pure returns (bool) {
        for (uint32 i; i < ANVIL_ACCOUNTS; ++i) {
            if (account == vm.addr(vm.deriveKey(ANVIL_MNEMONIC, i))) return true;
        }
        return false;
    }

    function _checkAccount(string memory name, address account) private pure {
        if (account == address(0)) revert Deploy_Unset(name);
        if (isWellKnown(account)) revert Deploy_WellKnownAccount(name, account);
    }

    function _write(NectoDeployment.Deployment memory d, uint256 startBlock) private {
        string memory contracts = "contracts";
        vm.serializeAddress(contracts, "AccessManager", address(d.manager));
        vm.serializeAddress(contracts, d.mockUsdc ? "MockUSDC" : "USDC", d.usdc);
        vm.serializeAddress(contracts, "ProviderRegistry", address(d.providerRegistry));
        vm.serializeAddress(contracts, "TeamRegistry", address(d.teamRegistry));
        string memory contractsJson = vm.serializeAddress(contracts, "JobMarket", address(d.jobMarket));

        string memory root = "deployment";
        vm.serializeUint(root, "chainId", block.chainid);
        vm.serializeUint(root, "startBlock", startBlock);
        string memory json = vm.serializeString(root, "contracts", contractsJson);
        string memory dir = string.concat(vm.projectRoot(), "/contracts/deployments");
        vm.createDir(dir, true);
        vm.writeJson(json, string.concat(dir, "/", vm.toString(block.chainid), ".json"));
    }
}
