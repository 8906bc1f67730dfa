// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {NectoDeployment} from "../../script/NectoDeployment.sol";
import {Base} from "../Base.t.sol";

/// @notice Mints test tokens (the hostile mocks all have an open `mint`).
interface IMintable {
    function mint(address to, uint256 amount) external;
}

/// @title AdversarialBase
/// @notice Base, redeployed (through NectoDeployment, like the script) around a hostile token: the fixture's `market`,
/// `providerRegistry`, `teamRegistry` and `manager` then point at the new deployment, so Base's helpers work on it.
abstract contract AdversarialBase is Base {
    IERC20 internal token;

    /// @dev Replaces the fixture's deployment with one that uses `token_` as its USDC.
    function _redeployWith(address token_) internal {
        vm.startPrank(admin);
        NectoDeployment.Deployment memory d = NectoDeployment.deploy(
            NectoDeployment.Config({
                admin: admin,
                usdc: token_,
                mockFaucet: false,
                treasury: treasury,
                keeper: keeper,
                arbiter: arbiter,
                marketSettlement: settlement,
                feeBps: FEE_BPS,
                startWindow: START_WINDOW,
                disputeWindow: DISPUTE_WINDOW,
                defaultStartBy: DEFAULT_START_BY,
                disputeTimeout: DISPUTE_TIMEOUT
            })
        );
        vm.stopPrank();
        manager = d.manager;
        providerRegistry = d.providerRegistry;
        teamRegistry = d.teamRegistry;
        market = d.jobMarket;
        token = IERC20(token_);
        vm.label(address(market), "JobMarket(hostile token)");
    }

    /// @dev Mints `amount` of the hostile token to `account` and approves the market for all of it.
    function _fundToken(address account, uint256 amount) internal {
        IMintable(address(token)).mint(account, amount);
        vm.prank(account);
        token.approve(address(market), type(uint256).max);
    }

    /// @dev The market holds exactly the job balances, credits and fees of the listed jobs and accounts.
    function _assertSolvent(uint256[] memory jobIds, address[] memory accounts) internal view {
        uint256 expected = market.accruedFees();
        for (uint256 i; i < jobIds.length; ++i) {
            expected += market.getJob(jobIds[i]).balance;
        }
        for (uint256 i; i < accounts.length; ++i) {
            expected += market.withdrawable(accounts[i]);
        }
        assertEq(token.balanceOf(address(market)), expected, "market balance != jobs + withdrawable + fees");
    }
}
