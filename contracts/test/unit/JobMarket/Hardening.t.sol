// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Errors} from "../../../src/libraries/Errors.sol";
import {Roles} from "../../../src/libraries/Roles.sol";
import {DataTypes} from "../../../src/types/DataTypes.sol";
import {Base} from "../../Base.t.sol";

/// @notice What an attacker, a careless operator or a retiring market must not be able to break: exits that depend
/// on a role, funds sent to the market itself, windows that wrap the start deadline, a provider that lost its standing
/// starting a job.
contract HardeningTest is Base {
    uint256 internal offerId;
    uint256 internal teamId;

    function setUp() public override {
        super.setUp();
        offerId = _setUpProvider(provider);
        vm.prank(buyer);
        teamId = teamRegistry.createTeam("ml", 100e6, 30 days);
    }

    function _teamJob() internal returns (uint256 jobId) {
        DataTypes.JobSpec memory spec = _defaultSpec();
        spec.teamId = uint32(teamId);
        jobId = _submit(buyer, spec, BUDGET);
    }

    function _revokeMarketRole() internal {
        vm.prank(admin);
        manager.revokeRole(Roles.MARKET, address(market));
    }

    /*//////////////////////////////////////////////////////////////
                     EXITS WITHOUT THE MARKET ROLE
    //////////////////////////////////////////////////////////////*/

    function test_CancelJob_TeamJobExitsAfterMarketRoleRevoked() public {
        uint256 jobId = _teamJob();
        _commitOnChainRoute(jobId, provider, offerId);
        _revokeMarketRole();
        vm.prank(buyer);
        market.cancelJob(jobId);
        assertEq(market.withdrawable(buyer), BUDGET);
        assertEq(teamRegistry.getTeam(teamId).spentInPeriod, 0, "spend credited back");
    }

    function test_ExpireJob_TeamJobExitsAfterMarketRoleRevoked() public {
        uint256 jobId = _teamJob();
        _revokeMarketRole();
        skip(DEFAULT_START_BY + 1);
        market.expireJob(jobId);
        assertEq(teamRegistry.getTeam(teamId).spentInPeriod, 0);
    }

    function test_SettleAndResolve_TeamJobsExitAfterMarketRoleRevoked() public {
        uint256 settled = _teamJob();
        uint256 disputed = _teamJob();
        _commitOnChainRoute(settled, provider, offerId);
        _commitOnChainRoute(disputed, provider, offerId);
        vm.startPrank(provider);
        market.startJob(settled);
        market.startJob(disputed);
        skip(1 hours);
        market.completeJob(settled, keccak256("result"));
        market.completeJob(disputed, keccak256("result"));
        vm.stopPrank();
        vm.prank(buyer);
        market.disputeJob(disputed, keccak256("bad"));
        _revokeMarketRole();
        vm.prank(buyer);
        market.confirmJob(settled);
        vm.prank(arbiter);
        market.resolveDispute(disputed, 0);
        uint256 due = _due(PRICE, GPU_COUNT, 1 hours);
        assertEq(teamRegistry.getTeam(teamId).spentInPeriod, due, "only the settled job's pay stays counted");
    }

    /*//////////////////////////////////////////////////////////////
                         FUNDS SENT TO THE MARKET
    //////////////////////////////////////////////////////////////*/

    function test_RevertWhen_TreasuryIsTheMarket() public {
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_InvalidRecipient.selector, address(market)));
        vm.prank(admin);
        market.setTreasury(address(market));
    }

    function test_RevertWhen_SettlementAccountIsTheMarket() public {
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_InvalidRecipient.selector, address(market)));
        vm.prank(admin);
        market.setMarketSettlement(AKASH, address(market));
    }

    /*//////////////////////////////////////////////////////////////
                             WINDOW BOUNDS
    //////////////////////////////////////////////////////////////*/

    function test_RevertWhen_WindowsAboveMax() public {
        uint32 tooLong = market.MAX_WINDOW() + 1;
        vm.startPrank(admin);
        vm.expectRevert(Errors.JobMarket_InvalidParameter.selector);
        market.setWindows(type(uint32).max, DISPUTE_WINDOW, DEFAULT_START_BY);
        vm.expectRevert(Errors.JobMarket_InvalidParameter.selector);
        market.setWindows(START_WINDOW, tooLong, DEFAULT_START_BY);
        vm.expectRevert(Errors.JobMarket_InvalidParameter.selector);
        market.setWindows(START_WINDOW, DISPUTE_WINDOW, tooLong);
        vm.stopPrank();
    }

    /// @dev The longest window still gives a deadline after now (it used to wrap past uint32 for huge windows).
    function test_StartDeadline_LongestWindowDoesNotWrap() public {
        uint32 longest = market.MAX_WINDOW();
        vm.prank(admin);
        market.setWindows(longest, DISPUTE_WINDOW, longest);
        DataTypes.JobSpec memory spec = _defaultSpec();
        spec.autoAccept = false;
        uint256 jobId = _submit(buyer, spec, BUDGET);
        _commitOnChainRoute(jobId, provider, offerId);
        vm.prank(buyer);
        market.acceptRoute(jobId);
        assertEq(market.getJob(jobId).startDeadline, block.timestamp + longest);
        // No re-route before the deadline.
        vm.expectRevert(
            abi.encodeWithSelector(Errors.JobMarket_InvalidStatus.selector, jobId, DataTypes.JobStatus.Accepted)
        );
        vm.prank(keeper);
        market.commitRoute(jobId, _onChainRoute(provider, offerId, PRICE));
    }

    /*//////////////////////////////////////////////////////////////
                      PROVIDERS THAT LOST STANDING
    //////////////////////////////////////////////////////////////*/

    function test_RevertWhen_SuspendedProviderStarts() public {
        uint256 jobId = _submitDefault();
        _commitOnChainRoute(jobId, provider, offerId);
        vm.prank(arbiter);
        providerRegistry.setSuspended(provider, true);
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_ProviderNotAllowed.selector, provider));
        vm.prank(provider);
        market.startJob(jobId);
        // The buyer gets everything back.
        vm.prank(buyer);
        market.cancelJob(jobId);
        assertEq(market.withdrawable(buyer), BUDGET);
        assertEq(market.withdrawable(provider), 0);
    }

    function test_RevertWhen_DeregisteredProviderStarts() public {
        uint256 jobId = _submitDefault();
        _commitOnChainRoute(jobId, provider, offerId);
        vm.startPrank(provider);
        providerRegistry.deregisterProvider();
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_ProviderNotAllowed.selector, provider));
        market.startJob(jobId);
        vm.stopPrank();
    }

    /// @dev Pausing only stops new routes: a paused provider still runs what it accepted.
    function test_StartJob_PausedProviderStillStarts() public {
        uint256 jobId = _submitDefault();
        _commitOnChainRoute(jobId, provider, offerId);
        vm.startPrank(provider);
        providerRegistry.setPaused(true);
        market.startJob(jobId);
        vm.stopPrank();
        assertEq(uint8(market.getJob(jobId).status), uint8(DataTypes.JobStatus.Running));
    }
}
