// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IAccessManaged} from "@openzeppelin/contracts/access/manager/IAccessManaged.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

import {Base} from "../../Base.t.sol";
import {IJobMarket} from "../../../src/interfaces/IJobMarket.sol";
import {Errors} from "../../../src/libraries/Errors.sol";
import {DataTypes} from "../../../src/types/DataTypes.sol";

contract CommitRoute_Unit_Test is Base {
    uint256 internal offerId;
    uint256 internal jobId;

    function setUp() public override {
        super.setUp();
        offerId = _setUpProvider(provider);
        jobId = _submitDefault();
    }

    modifier givenManualAccept() {
        DataTypes.JobSpec memory spec = _defaultSpec();
        spec.autoAccept = false;
        jobId = _submit(buyer, spec, BUDGET);
        _;
    }

    modifier givenRouted() {
        _commitOnChainRoute(jobId, provider, offerId);
        _;
    }

    function _route() internal view returns (DataTypes.RouteInput memory) {
        return _onChainRoute(provider, offerId, PRICE);
    }

    function _commit(DataTypes.RouteInput memory route) internal {
        vm.prank(keeper);
        market.commitRoute(jobId, route);
    }

    function test_CommitRoute_OnChainAutoAccept() public {
        DataTypes.RouteInput memory route = _route();
        uint32 startDeadline = uint32(block.timestamp + START_WINDOW);
        vm.expectEmit(address(market));
        emit IJobMarket.RouteCommitted(
            jobId,
            1,
            route.providerRef,
            provider,
            offerId,
            "",
            "",
            PRICE,
            route.logRoot,
            route.decisionHash,
            route.sdlHash,
            keeper,
            true,
            startDeadline
        );
        _commit(route);
        DataTypes.Job memory job = market.getJob(jobId);
        assertEq(uint8(job.status), uint8(DataTypes.JobStatus.Accepted));
        assertEq(job.round, 1);
        assertEq(job.operator, provider);
        assertEq(job.pricePerGpuHour, PRICE);
        assertEq(job.startDeadline, startDeadline);
    }

    function test_CommitRoute_ManualAcceptRoutes() public givenManualAccept {
        vm.expectEmit(address(market));
        emit IJobMarket.RouteCommitted(
            jobId,
            1,
            _route().providerRef,
            provider,
            offerId,
            "",
            "",
            PRICE,
            keccak256("log root"),
            keccak256("decision"),
            bytes32(0),
            keeper,
            false,
            0
        );
        _commit(_route());
        DataTypes.Job memory job = market.getJob(jobId);
        assertEq(uint8(job.status), uint8(DataTypes.JobStatus.Routed));
        assertEq(job.startDeadline, 0);
    }

    function test_CommitRoute_External() public {
        DataTypes.RouteInput memory route = _externalRoute(AKASH, AKASH_PROVIDER, PRICE);
        route.offerId = 7; // ignored for external routes
        vm.expectEmit(address(market));
        emit IJobMarket.RouteCommitted(
            jobId,
            1,
            route.providerRef,
            address(0),
            0,
            AKASH,
            AKASH_PROVIDER,
            PRICE,
            route.logRoot,
            route.decisionHash,
            route.sdlHash,
            keeper,
            true,
            uint32(block.timestamp + START_WINDOW)
        );
        _commit(route);
        assertEq(market.getJob(jobId).operator, settlement);
    }

    function test_CommitRoute_PriceEqualToMax() public {
        uint256 expensive = _listOffer(provider, MAX_PRICE);
        _commit(_onChainRoute(provider, expensive, MAX_PRICE));
        assertEq(market.getJob(jobId).pricePerGpuHour, MAX_PRICE);
    }

    function test_RevertWhen_CallerNotKeeper() public {
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IAccessManaged.AccessManagedUnauthorized.selector, stranger));
        market.commitRoute(jobId, _route());
    }

    function test_RevertGiven_Paused() public {
        vm.prank(arbiter);
        market.pause();
        vm.expectRevert(Pausable.EnforcedPause.selector);
        _commit(_route());
    }

    function test_RevertGiven_UnknownJob() public {
        jobId = 99;
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_UnknownJob.selector, 99));
        _commit(_route());
    }

    function test_RevertGiven_SameRoundAlreadyRouted() public givenRouted {
        vm.expectRevert(
            abi.encodeWithSelector(Errors.JobMarket_InvalidStatus.selector, jobId, DataTypes.JobStatus.Accepted)
        );
        _commit(_route());
    }

    function test_RevertGiven_RoutedAwaitingBuyer() public givenManualAccept givenRouted {
        skip(START_WINDOW + 1);
        vm.expectRevert(
            abi.encodeWithSelector(Errors.JobMarket_InvalidStatus.selector, jobId, DataTypes.JobStatus.Routed)
        );
        _commit(_route());
    }

    function test_RevertGiven_StartDeadlineNotPassed() public givenRouted {
        skip(START_WINDOW);
        vm.expectRevert(
            abi.encodeWithSelector(Errors.JobMarket_InvalidStatus.selector, jobId, DataTypes.JobStatus.Accepted)
        );
        _commit(_route());
    }

    function test_CommitRoute_ReRouteAfterStartDeadline() public givenRouted {
        skip(START_WINDOW + 1);
        _commit(_externalRoute(AKASH, AKASH_PROVIDER, PRICE));
        DataTypes.Job memory job = market.getJob(jobId);
        assertEq(job.round, 2);
        assertEq(job.operator, settlement);
        assertEq(uint8(job.status), uint8(DataTypes.JobStatus.Accepted));
        assertEq(job.startDeadline, block.timestamp + START_WINDOW);
    }

    function test_CommitRoute_ReRouteManualJobNeedsNewAcceptance() public givenManualAccept givenRouted {
        vm.prank(buyer);
        market.acceptRoute(jobId);
        skip(START_WINDOW + 1);
        _commit(_route());
        DataTypes.Job memory job = market.getJob(jobId);
        assertEq(uint8(job.status), uint8(DataTypes.JobStatus.Routed));
        assertEq(job.round, 2);
        assertEq(job.startDeadline, 0);
    }

    function test_CommitRoute_AfterRejection() public givenManualAccept givenRouted {
        vm.prank(buyer);
        market.rejectRoute(jobId);
        _commit(_route());
        assertEq(market.getJob(jobId).round, 2);
    }

    function test_RevertGiven_Started() public givenRouted {
        vm.prank(provider);
        market.startJob(jobId);
        skip(START_WINDOW + 1);
        vm.expectRevert(
            abi.encodeWithSelector(Errors.JobMarket_InvalidStatus.selector, jobId, DataTypes.JobStatus.Running)
        );
        _commit(_route());
    }

    function test_RevertGiven_StartByPassed() public {
        uint40 startBy = market.getJob(jobId).startBy;
        vm.warp(startBy + 1);
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_StartByPassed.selector, jobId, startBy));
        _commit(_route());
    }

    function test_RevertGiven_TooManyRounds() public {
        DataTypes.JobSpec memory spec = _defaultSpec();
        spec.startBy = type(uint32).max;
        jobId = _submit(buyer, spec, BUDGET);
        for (uint256 i; i < 255; ++i) {
            _commit(_route());
            skip(START_WINDOW + 1);
        }
        assertEq(market.getJob(jobId).round, 255);
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_TooManyRounds.selector, jobId));
        _commit(_route());
    }

    function test_RevertWhen_PriceAboveMax() public {
        uint256 expensive = _listOffer(provider, MAX_PRICE + 1);
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_PriceAboveMax.selector, MAX_PRICE + 1, MAX_PRICE));
        _commit(_onChainRoute(provider, expensive, MAX_PRICE + 1));
    }

    function test_RevertWhen_PriceMismatch() public {
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_PriceMismatch.selector, PRICE - 1, PRICE));
        _commit(_onChainRoute(provider, offerId, PRICE - 1));
    }

    function test_RevertWhen_ProviderRefHasHighBits() public {
        DataTypes.RouteInput memory route = _route();
        route.providerRef = bytes32(uint256(route.providerRef) | (1 << 200));
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_InvalidProviderRef.selector, route.providerRef));
        _commit(route);
    }

    function test_RevertWhen_OfferNotOwned() public {
        _registerProvider(provider2);
        DataTypes.RouteInput memory route = _onChainRoute(provider2, offerId, PRICE);
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_ProviderNotActive.selector, route.providerRef));
        _commit(route);
    }

    function test_RevertWhen_ProviderPaused() public {
        vm.prank(provider);
        providerRegistry.setPaused(true);
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_ProviderNotActive.selector, _route().providerRef));
        _commit(_route());
    }

    function test_RevertWhen_ProviderSuspended() public {
        vm.prank(arbiter);
        providerRegistry.setSuspended(provider, true);
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_ProviderNotActive.selector, _route().providerRef));
        _commit(_route());
    }

    function test_RevertWhen_OfferInactive() public {
        vm.prank(provider);
        providerRegistry.setOfferActive(offerId, false);
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_ProviderNotActive.selector, _route().providerRef));
        _commit(_route());
    }

    function test_RevertWhen_OfferOutOfCapacity() public {
        vm.prank(provider);
        providerRegistry.setOfferCapacity(offerId, 0);
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_NoCapacity.selector, offerId));
        _commit(_route());
    }

    function test_RevertWhen_ExternalRefMismatch() public {
        DataTypes.RouteInput memory route = _externalRoute(AKASH, AKASH_PROVIDER, PRICE);
        route.providerRef = keccak256("other");
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_InvalidProviderRef.selector, route.providerRef));
        _commit(route);
    }

    function test_RevertWhen_ExternalIdEmpty() public {
        vm.expectRevert(Errors.InvalidString.selector);
        _commit(_externalRoute(AKASH, "", PRICE));
    }

    function test_RevertWhen_MarketHasNoSettlement() public {
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_MarketNotAllowed.selector, "render"));
        _commit(_externalRoute("render", "node-1", PRICE));
    }

    function test_RevertGiven_ExternalNotAllowed() public {
        DataTypes.JobSpec memory spec = _defaultSpec();
        spec.allowExternal = false;
        jobId = _submit(buyer, spec, BUDGET);
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_MarketNotAllowed.selector, AKASH));
        _commit(_externalRoute(AKASH, AKASH_PROVIDER, PRICE));
    }
}
