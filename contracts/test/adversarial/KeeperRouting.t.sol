// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

import {Errors} from "../../src/libraries/Errors.sol";
import {DataTypes} from "../../src/types/DataTypes.sol";
import {Base} from "../Base.t.sol";

/// @title KeeperRoutingTest
/// @notice Even the keeper cannot route a job above the buyer's max price, to a provider or offer that cannot take it,
/// or to an external market that is disabled or that the job does not allow.
contract KeeperRoutingTest is Base {
    uint256 internal offerId;
    uint256 internal jobId;

    function setUp() public override {
        super.setUp();
        offerId = _setUpProvider(provider);
        jobId = _submitDefault();
    }

    function _route(DataTypes.RouteInput memory route) internal {
        vm.prank(keeper);
        market.commitRoute(jobId, route);
    }

    function _expectNotActive(address account) internal {
        vm.expectRevert(
            abi.encodeWithSelector(Errors.JobMarket_ProviderNotActive.selector, bytes32(uint256(uint160(account))))
        );
    }

    function test_RevertWhen_PriceAboveBuyersMax() external {
        uint256 expensive = _listOffer(provider, MAX_PRICE + 1);
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_PriceAboveMax.selector, MAX_PRICE + 1, MAX_PRICE));
        _route(_onChainRoute(provider, expensive, MAX_PRICE + 1));
        // Quoting the max does not help: the price must be the offer's.
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_PriceMismatch.selector, MAX_PRICE, MAX_PRICE + 1));
        _route(_onChainRoute(provider, expensive, MAX_PRICE));
    }

    function testFuzz_RevertWhen_PriceAboveBuyersMax(uint48 price) external {
        price = uint48(bound(price, uint256(MAX_PRICE) + 1, type(uint48).max));
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_PriceAboveMax.selector, price, MAX_PRICE));
        _route(_externalRoute(AKASH, AKASH_PROVIDER, price));
    }

    function test_RevertWhen_PriceBelowOffer() external {
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_PriceMismatch.selector, PRICE - 1, PRICE));
        _route(_onChainRoute(provider, offerId, PRICE - 1));
    }

    function test_RevertWhen_ProviderPaused() external {
        vm.prank(provider);
        providerRegistry.setPaused(true);
        _expectNotActive(provider);
        _route(_onChainRoute(provider, offerId, PRICE));
    }

    function test_RevertWhen_ProviderSuspended() external {
        vm.prank(arbiter);
        providerRegistry.setSuspended(provider, true);
        _expectNotActive(provider);
        _route(_onChainRoute(provider, offerId, PRICE));
    }

    function test_RevertWhen_ProviderDeregistered() external {
        vm.prank(provider);
        providerRegistry.deregisterProvider();
        _expectNotActive(provider);
        _route(_onChainRoute(provider, offerId, PRICE));
    }

    function test_RevertWhen_ProviderUnregistered() external {
        _expectNotActive(stranger);
        _route(_onChainRoute(stranger, offerId, PRICE));
    }

    function test_RevertWhen_OfferInactiveOrEmpty() external {
        vm.prank(provider);
        providerRegistry.setOfferActive(offerId, false);
        _expectNotActive(provider);
        _route(_onChainRoute(provider, offerId, PRICE));

        vm.startPrank(provider);
        providerRegistry.setOfferActive(offerId, true);
        providerRegistry.setOfferCapacity(offerId, 0);
        vm.stopPrank();
        // An empty offer says so (capacity is enforced by the market, not only reported by the registry).
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_NoCapacity.selector, offerId));
        _route(_onChainRoute(provider, offerId, PRICE));
    }

    /// @dev Naming an active provider with another provider's offer does not pass.
    function test_RevertWhen_OfferOfAnotherProvider() external {
        uint256 otherOffer = _setUpProvider(provider2);
        _expectNotActive(provider);
        _route(_onChainRoute(provider, otherOffer, PRICE));
    }

    function test_RevertWhen_ProviderRefHasHighBits() external {
        DataTypes.RouteInput memory route = _onChainRoute(provider, offerId, PRICE);
        route.providerRef = bytes32(uint256(uint160(provider)) | (1 << 200));
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_InvalidProviderRef.selector, route.providerRef));
        _route(route);
    }

    function test_RevertWhen_ExternalMarketDisabled() external {
        vm.prank(admin);
        market.setMarketSettlement(AKASH, address(0));
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_MarketNotAllowed.selector, AKASH));
        _route(_externalRoute(AKASH, AKASH_PROVIDER, PRICE));
    }

    function test_RevertWhen_ExternalMarketUnknown() external {
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_MarketNotAllowed.selector, "vast"));
        _route(_externalRoute("vast", "host-1", PRICE));
    }

    function test_RevertWhen_JobDisallowsExternal() external {
        DataTypes.JobSpec memory spec = _defaultSpec();
        spec.allowExternal = false;
        jobId = _submit(buyer, spec, BUDGET);
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_MarketNotAllowed.selector, AKASH));
        _route(_externalRoute(AKASH, AKASH_PROVIDER, PRICE));
        // An on-chain route is fine.
        _route(_onChainRoute(provider, offerId, PRICE));
    }

    function test_RevertWhen_ExternalProviderRefMismatch() external {
        DataTypes.RouteInput memory route = _externalRoute(AKASH, AKASH_PROVIDER, PRICE);
        route.providerRef = keccak256(abi.encode(AKASH, "akash1someoneelse"));
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_InvalidProviderRef.selector, route.providerRef));
        _route(route);
    }

    function test_RevertWhen_MarketPaused() external {
        vm.prank(arbiter);
        market.pause();
        vm.expectRevert(Pausable.EnforcedPause.selector);
        _route(_onChainRoute(provider, offerId, PRICE));
    }

    function test_RevertWhen_RerouteBeforeStartDeadline() external {
        _route(_onChainRoute(provider, offerId, PRICE));
        uint256 otherOffer = _setUpProvider(provider2);
        vm.expectRevert(
            abi.encodeWithSelector(Errors.JobMarket_InvalidStatus.selector, jobId, DataTypes.JobStatus.Accepted)
        );
        _route(_onChainRoute(provider2, otherOffer, PRICE));
        // After the deadline the next candidate can be committed.
        skip(START_WINDOW + 1);
        _route(_onChainRoute(provider2, otherOffer, PRICE));
        assertEq(market.getJob(jobId).operator, provider2);
        assertEq(market.getJob(jobId).round, 2);
    }

    function test_RevertWhen_RouteAfterStartBy() external {
        skip(DEFAULT_START_BY + 1);
        vm.expectPartialRevert(Errors.JobMarket_StartByPassed.selector);
        _route(_onChainRoute(provider, offerId, PRICE));
    }
}
