// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IProviderRegistry} from "../../../src/interfaces/IProviderRegistry.sol";
import {Errors} from "../../../src/libraries/Errors.sol";
import {DataTypes} from "../../../src/types/DataTypes.sol";
import {Base} from "../../Base.t.sol";

/// @notice An on-chain offer's free units are taken when a route to it is committed and given back on every exit
/// from Routed, Accepted or Running; a route the offer cannot hold (no unit, too few GPUs, too little VRAM) reverts.
contract CapacityTest is Base {
    /// @dev Base's offer input lists 4 units of 8 × 80 GB.
    uint16 internal constant LISTED = 4;

    uint256 internal offerId;

    function setUp() public override {
        super.setUp();
        offerId = _setUpProvider(provider);
    }

    function _units() internal view returns (uint16) {
        return providerRegistry.getOffer(offerId).availableUnits;
    }

    function _routed(bool autoAccept) internal returns (uint256 jobId) {
        DataTypes.JobSpec memory spec = _defaultSpec();
        spec.autoAccept = autoAccept;
        jobId = _submit(buyer, spec, BUDGET);
        _commitOnChainRoute(jobId, provider, offerId);
    }

    function test_CommitRoute_TakesAUnit() public {
        uint256 jobId = _submitDefault();
        vm.expectEmit(address(providerRegistry));
        emit IProviderRegistry.OfferCapacityChanged(offerId, provider, LISTED - 1);
        _commitOnChainRoute(jobId, provider, offerId);
        assertEq(_units(), LISTED - 1);
        assertEq(market.getJob(jobId).offerId, offerId);
    }

    function test_CommitRoute_ExternalTakesNoUnit() public {
        uint256 jobId = _submitDefault();
        _commitExternalRoute(jobId, AKASH, AKASH_PROVIDER);
        assertEq(_units(), LISTED);
        assertEq(market.getJob(jobId).offerId, 0);
    }

    function test_RevertWhen_OfferHasNoUnitLeft() public {
        for (uint256 i; i < LISTED; ++i) {
            _routed(true);
        }
        assertEq(_units(), 0);
        uint256 jobId = _submitDefault();
        DataTypes.RouteInput memory route = _onChainRoute(provider, offerId, PRICE);
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_NoCapacity.selector, offerId));
        vm.prank(keeper);
        market.commitRoute(jobId, route);
    }

    function test_RevertWhen_OfferHasTooFewGpus() public {
        DataTypes.JobSpec memory spec = _defaultSpec();
        spec.gpuCount = 9;
        spec.maxPricePerGpuHour = MAX_PRICE;
        uint256 jobId = _submit(buyer, spec, _requiredBudget(spec));
        DataTypes.RouteInput memory route = _onChainRoute(provider, offerId, PRICE);
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_OfferMismatch.selector, offerId));
        vm.prank(keeper);
        market.commitRoute(jobId, route);
        assertEq(_units(), LISTED);
    }

    function test_RevertWhen_OfferHasTooLittleVram() public {
        DataTypes.JobSpec memory spec = _defaultSpec();
        spec.minVramGb = 81;
        uint256 jobId = _submit(buyer, spec, BUDGET);
        DataTypes.RouteInput memory route = _onChainRoute(provider, offerId, PRICE);
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_OfferMismatch.selector, offerId));
        vm.prank(keeper);
        market.commitRoute(jobId, route);
    }

    function test_RejectRoute_GivesTheUnitBack() public {
        uint256 jobId = _routed(false);
        assertEq(_units(), LISTED - 1);
        vm.expectEmit(address(providerRegistry));
        emit IProviderRegistry.OfferCapacityChanged(offerId, provider, LISTED);
        vm.prank(buyer);
        market.rejectRoute(jobId);
        assertEq(_units(), LISTED);
        assertEq(market.getJob(jobId).offerId, 0);
        // Cancelling the re-opened job gives nothing back a second time.
        vm.prank(buyer);
        market.cancelJob(jobId);
        assertEq(_units(), LISTED);
    }

    function test_CancelJob_GivesTheUnitBack_BeforeAndWhileRunning() public {
        uint256 pending = _routed(true);
        uint256 running = _routed(true);
        vm.prank(provider);
        market.startJob(running);
        assertEq(_units(), LISTED - 2);
        vm.startPrank(buyer);
        market.cancelJob(pending);
        assertEq(_units(), LISTED - 1);
        skip(10 minutes);
        market.cancelJob(running);
        vm.stopPrank();
        assertEq(_units(), LISTED);
        DataTypes.Job memory job = market.getJob(running);
        assertEq(job.completedAt, block.timestamp, "billing stopped at the cancellation");
        assertEq(job.startedAt, block.timestamp - 10 minutes);
        assertEq(job.startDeadline, 0);
    }

    function test_ExpireJob_GivesTheUnitBack() public {
        uint256 jobId = _routed(false);
        skip(DEFAULT_START_BY + 1);
        market.expireJob(jobId);
        assertEq(_units(), LISTED);
    }

    function test_CompleteJob_GivesTheUnitBack() public {
        uint256 jobId = _routed(true);
        vm.prank(provider);
        market.startJob(jobId);
        assertEq(_units(), LISTED - 1);
        skip(1 hours);
        vm.prank(provider);
        market.completeJob(jobId, keccak256("result"));
        assertEq(_units(), LISTED);
        // Settling later gives nothing back a second time.
        vm.prank(buyer);
        market.confirmJob(jobId);
        assertEq(_units(), LISTED);
    }

    function test_DisputeJob_WhileRunning_GivesTheUnitBack() public {
        uint256 jobId = _routed(true);
        vm.prank(provider);
        market.startJob(jobId);
        vm.prank(buyer);
        market.disputeJob(jobId, keccak256("stalled"));
        assertEq(_units(), LISTED);
        vm.prank(arbiter);
        market.resolveDispute(jobId, 0);
        assertEq(_units(), LISTED);
    }

    function test_Reroute_MovesTheUnit() public {
        uint256 offer2 = _setUpProvider(provider2);
        uint256 jobId = _routed(true);
        skip(START_WINDOW + 1);
        _commitOnChainRoute(jobId, provider2, offer2);
        assertEq(_units(), LISTED, "first offer's unit given back");
        assertEq(providerRegistry.getOffer(offer2).availableUnits, LISTED - 1, "second offer's unit taken");
        assertEq(market.getJob(jobId).offerId, offer2);
    }

    function test_Reroute_ToExternal_GivesTheUnitBack() public {
        uint256 jobId = _routed(true);
        skip(START_WINDOW + 1);
        _commitExternalRoute(jobId, AKASH, AKASH_PROVIDER);
        assertEq(_units(), LISTED);
    }

    function test_RetiredMarket_GivesUnitsBackButTakesNone() public {
        uint256 held = _routed(true);
        vm.prank(admin);
        providerRegistry.setMarket(address(market), false);
        uint256 jobId = _submitDefault();
        DataTypes.RouteInput memory route = _onChainRoute(provider, offerId, PRICE);
        vm.expectRevert(abi.encodeWithSelector(Errors.ProviderRegistry_NotMarket.selector, address(market)));
        vm.prank(keeper);
        market.commitRoute(jobId, route);
        vm.prank(buyer);
        market.cancelJob(held);
        assertEq(_units(), LISTED);
    }

    function test_RevertWhen_StrangerTakesOrGivesBackUnits() public {
        vm.startPrank(stranger);
        vm.expectRevert(abi.encodeWithSelector(Errors.ProviderRegistry_NotMarket.selector, stranger));
        providerRegistry.reserveUnit(provider, offerId, 1, 0);
        vm.expectRevert(abi.encodeWithSelector(Errors.ProviderRegistry_NotMarket.selector, stranger));
        providerRegistry.releaseUnit(offerId);
        vm.stopPrank();
        assertEq(_units(), LISTED);
    }

    function test_RevertWhen_StrangerSetsMarket() public {
        vm.expectRevert();
        vm.prank(stranger);
        providerRegistry.setMarket(stranger, true);
        (bool active, bool retired) = providerRegistry.isMarket(address(market));
        assertTrue(active);
        assertFalse(retired);
    }
}
