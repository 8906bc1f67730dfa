// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IAccessManaged} from "@openzeppelin/contracts/access/manager/IAccessManaged.sol";

import {Errors} from "../../src/libraries/Errors.sol";
import {DataTypes} from "../../src/types/DataTypes.sol";
import {Base} from "../Base.t.sol";

/// @title AccessControlTest
/// @notice Every role-gated function rejects a stranger (and the other roles), and start/complete accept only the
/// route's operator (or the keeper for an external route).
contract AccessControlTest is Base {
    uint256 internal offerId;

    function setUp() public override {
        super.setUp();
        _registerProvider(provider2);
    }

    function _expectUnauthorized(address caller) internal {
        vm.expectRevert(abi.encodeWithSelector(IAccessManaged.AccessManagedUnauthorized.selector, caller));
    }

    modifier whenCallerIsNotAuthorized(address caller) {
        vm.assume(caller != admin && caller != keeper && caller != arbiter && caller != address(market));
        _;
    }

    function test_RevertWhen_StrangerCommitsRoute() external {
        offerId = _setUpProvider(provider);
        uint256 jobId = _submitDefault();
        DataTypes.RouteInput memory route = _onChainRoute(provider, offerId, PRICE);
        _expectUnauthorized(stranger);
        vm.prank(stranger);
        market.commitRoute(jobId, route);
        // Nor can the provider route a job to itself.
        _expectUnauthorized(provider);
        vm.prank(provider);
        market.commitRoute(jobId, route);
    }

    function testFuzz_RevertWhen_CallerIsNotKeeper(address caller) external whenCallerIsNotAuthorized(caller) {
        offerId = _setUpProvider(provider);
        uint256 jobId = _submitDefault();
        DataTypes.RouteInput memory route = _onChainRoute(provider, offerId, PRICE);
        _expectUnauthorized(caller);
        vm.prank(caller);
        market.commitRoute(jobId, route);
    }

    function test_RevertWhen_StrangerResolvesDispute() external {
        uint256 jobId = _runningOnChainJob();
        vm.prank(buyer);
        market.disputeJob(jobId, keccak256("bad"));
        _expectUnauthorized(stranger);
        vm.prank(stranger);
        market.resolveDispute(jobId, 5000);
        // The keeper is not the arbiter.
        _expectUnauthorized(keeper);
        vm.prank(keeper);
        market.resolveDispute(jobId, 5000);
    }

    function test_RevertWhen_StrangerPausesOrUnpauses() external {
        _expectUnauthorized(stranger);
        vm.prank(stranger);
        market.pause();
        vm.prank(arbiter); // holds PAUSER
        market.pause();
        _expectUnauthorized(stranger);
        vm.prank(stranger);
        market.unpause();
        _expectUnauthorized(keeper);
        vm.prank(keeper);
        market.unpause();
    }

    function test_RevertWhen_StrangerSuspendsProvider() external {
        _expectUnauthorized(stranger);
        vm.prank(stranger);
        providerRegistry.setSuspended(provider, true);
        _expectUnauthorized(keeper);
        vm.prank(keeper);
        providerRegistry.setSuspended(provider, true);
    }

    function test_RevertWhen_StrangerCallsAdminSetters() external {
        address[2] memory callers = [stranger, keeper];
        for (uint256 i; i < callers.length; ++i) {
            address caller = callers[i];
            _expectUnauthorized(caller);
            vm.prank(caller);
            market.setProtocolFee(0);
            _expectUnauthorized(caller);
            vm.prank(caller);
            market.setTreasury(caller);
            _expectUnauthorized(caller);
            vm.prank(caller);
            market.setWindows(1, 1, 1);
            _expectUnauthorized(caller);
            vm.prank(caller);
            market.setMarketSettlement(AKASH, caller);
        }
        // The arbiter (ARBITER + PAUSER) is not an admin either.
        _expectUnauthorized(arbiter);
        vm.prank(arbiter);
        market.setProtocolFee(1000);
    }

    function test_RevertWhen_StrangerRecordsOrReleasesTeamSpend() external {
        vm.prank(buyer);
        uint256 teamId = teamRegistry.createTeam("team", 100e6, 1 days);
        _expectUnauthorized(stranger);
        vm.prank(stranger);
        teamRegistry.recordSpend(teamId, 1, buyer, 1);
        // Releasing needs no role but only touches the caller's own records: neither a stranger nor the team owner
        // itself (it would reset its own cap usage) credits back the market's spend.
        vm.prank(address(market));
        teamRegistry.recordSpend(teamId, 1, buyer, 60e6);
        vm.prank(stranger);
        teamRegistry.releaseSpend(teamId, 1, 60e6);
        vm.prank(buyer);
        teamRegistry.releaseSpend(teamId, 1, 60e6);
        assertEq(teamRegistry.getTeam(teamId).spentInPeriod, 60e6);
    }

    /*//////////////////////////////////////////////////////////////
                          OPERATOR-GATED CALLS
    //////////////////////////////////////////////////////////////*/

    function test_RevertWhen_StrangerStartsOrCompletesExternalJob() external {
        uint256 jobId = _submitDefault();
        _commitExternalRoute(jobId, AKASH, AKASH_PROVIDER);
        address[3] memory callers = [stranger, provider, buyer];
        for (uint256 i; i < callers.length; ++i) {
            vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_NotOperator.selector, jobId, callers[i]));
            vm.prank(callers[i]);
            market.startJob(jobId);
        }
        vm.prank(keeper);
        market.startJob(jobId);
        for (uint256 i; i < callers.length; ++i) {
            vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_NotOperator.selector, jobId, callers[i]));
            vm.prank(callers[i]);
            market.completeJob(jobId, bytes32(0));
        }
        vm.prank(keeper);
        market.completeJob(jobId, bytes32(0));
    }

    /// @dev For an on-chain route only the provider's wallet operates the job: not the keeper, not another provider.
    function test_RevertWhen_KeeperOrOtherProviderOperatesOnChainJob() external {
        (uint256 jobId,) = _acceptedOnChainJob();
        address[3] memory callers = [keeper, provider2, stranger];
        for (uint256 i; i < callers.length; ++i) {
            vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_NotOperator.selector, jobId, callers[i]));
            vm.prank(callers[i]);
            market.startJob(jobId);
        }
        vm.prank(provider);
        market.startJob(jobId);
        for (uint256 i; i < callers.length; ++i) {
            vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_NotOperator.selector, jobId, callers[i]));
            vm.prank(callers[i]);
            market.completeJob(jobId, bytes32(0));
        }
    }

    /// @dev Buyer-only actions reject everyone else.
    function test_RevertWhen_NotBuyer() external {
        uint256 jobId = _runningOnChainJob();
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_NotBuyer.selector, jobId, stranger));
        vm.prank(stranger);
        market.cancelJob(jobId);
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_NotBuyer.selector, jobId, provider));
        vm.prank(provider);
        market.disputeJob(jobId, bytes32(0));
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_NotBuyer.selector, jobId, buyer2));
        vm.prank(buyer2);
        market.topUp(jobId, BUDGET, 1 hours);
    }
}
