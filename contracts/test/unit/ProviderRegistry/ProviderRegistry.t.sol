// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IAccessManaged} from "@openzeppelin/contracts/access/manager/IAccessManaged.sol";

import {Base} from "../../Base.t.sol";
import {IProviderRegistry} from "../../../src/interfaces/IProviderRegistry.sol";
import {Errors} from "../../../src/libraries/Errors.sol";
import {DataTypes} from "../../../src/types/DataTypes.sol";

contract ProviderRegistry_Unit_Test is Base {
    address internal payout = makeAddr("payout");

    modifier givenRegistered() {
        _registerProvider(provider);
        _;
    }

    function _statusOf(address account) internal view returns (DataTypes.ProviderStatus) {
        return providerRegistry.getProvider(account).status;
    }

    /*//////////////////////////////////////////////////////////////
                                REGISTER
    //////////////////////////////////////////////////////////////*/

    function test_RegisterProvider() public {
        vm.expectEmit(address(providerRegistry));
        emit IProviderRegistry.ProviderRegistered(provider, "Acme", "ipfs://acme", "eu-west", payout);
        vm.prank(provider);
        providerRegistry.registerProvider("Acme", "ipfs://acme", "eu-west", payout);
        DataTypes.Provider memory p = providerRegistry.getProvider(provider);
        assertEq(p.payout, payout);
        assertEq(uint8(p.status), uint8(DataTypes.ProviderStatus.Active));
        assertEq(p.registeredAt, block.timestamp);
        assertEq(p.offerCount, 0);
        assertTrue(providerRegistry.isActive(provider));
        assertEq(providerRegistry.payoutOf(provider), payout);
    }

    function test_RevertGiven_AlreadyRegistered() public givenRegistered {
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(Errors.ProviderRegistry_AlreadyRegistered.selector, provider));
        providerRegistry.registerProvider("Acme", "", "eu-west", payout);
    }

    function test_RevertWhen_ProfileInvalid() public {
        vm.startPrank(provider);
        vm.expectRevert(Errors.InvalidString.selector);
        providerRegistry.registerProvider("", "", "eu-west", payout);
        vm.expectRevert(Errors.InvalidString.selector);
        providerRegistry.registerProvider(string(new bytes(65)), "", "eu-west", payout);
        vm.expectRevert(Errors.InvalidString.selector);
        providerRegistry.registerProvider("Acme", "", "", payout);
        vm.expectRevert(Errors.InvalidString.selector);
        providerRegistry.registerProvider("Acme", string(new bytes(257)), "eu-west", payout);
        vm.expectRevert(Errors.ZeroAddress.selector);
        providerRegistry.registerProvider("Acme", "", "eu-west", address(0));
        vm.stopPrank();
    }

    function test_UpdateProvider() public givenRegistered {
        vm.expectEmit(address(providerRegistry));
        emit IProviderRegistry.ProviderUpdated(provider, "Acme 2", "", "ap-south", payout);
        vm.prank(provider);
        providerRegistry.updateProvider("Acme 2", "", "ap-south", payout);
        assertEq(providerRegistry.payoutOf(provider), payout);
    }

    function test_RevertGiven_UpdateNotRegistered() public {
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(Errors.ProviderRegistry_NotRegistered.selector, stranger));
        providerRegistry.updateProvider("Acme", "", "eu-west", payout);
    }

    /*//////////////////////////////////////////////////////////////
                                 STATUS
    //////////////////////////////////////////////////////////////*/

    function test_SetPaused_PauseAndResume() public givenRegistered {
        vm.expectEmit(address(providerRegistry));
        emit IProviderRegistry.ProviderStatusChanged(
            provider, DataTypes.ProviderStatus.Active, DataTypes.ProviderStatus.Paused
        );
        vm.prank(provider);
        providerRegistry.setPaused(true);
        assertFalse(providerRegistry.isActive(provider));
        vm.prank(provider);
        providerRegistry.setPaused(false);
        assertTrue(providerRegistry.isActive(provider));
    }

    function test_RevertGiven_PauseTwice() public givenRegistered {
        vm.prank(provider);
        providerRegistry.setPaused(true);
        vm.prank(provider);
        vm.expectRevert(
            abi.encodeWithSelector(
                Errors.ProviderRegistry_InvalidStatus.selector, provider, DataTypes.ProviderStatus.Paused
            )
        );
        providerRegistry.setPaused(true);
    }

    function test_RevertGiven_ResumeWhenActive() public givenRegistered {
        vm.prank(provider);
        vm.expectRevert(
            abi.encodeWithSelector(
                Errors.ProviderRegistry_InvalidStatus.selector, provider, DataTypes.ProviderStatus.Active
            )
        );
        providerRegistry.setPaused(false);
    }

    function test_DeregisterProvider() public givenRegistered {
        vm.expectEmit(address(providerRegistry));
        emit IProviderRegistry.ProviderStatusChanged(
            provider, DataTypes.ProviderStatus.Active, DataTypes.ProviderStatus.Deregistered
        );
        vm.prank(provider);
        providerRegistry.deregisterProvider();
        assertEq(uint8(_statusOf(provider)), uint8(DataTypes.ProviderStatus.Deregistered));
        assertEq(providerRegistry.payoutOf(provider), provider, "payout kept for routed jobs");
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(Errors.ProviderRegistry_NotRegistered.selector, provider));
        providerRegistry.deregisterProvider();
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(Errors.ProviderRegistry_AlreadyRegistered.selector, provider));
        providerRegistry.registerProvider("Acme", "", "eu-west", payout);
    }

    function test_SetSuspended_SuspendAndReinstate() public givenRegistered {
        vm.prank(provider);
        providerRegistry.setPaused(true);
        vm.expectEmit(address(providerRegistry));
        emit IProviderRegistry.ProviderStatusChanged(
            provider, DataTypes.ProviderStatus.Paused, DataTypes.ProviderStatus.Suspended
        );
        vm.prank(arbiter);
        providerRegistry.setSuspended(provider, true);
        vm.prank(provider);
        vm.expectRevert(
            abi.encodeWithSelector(
                Errors.ProviderRegistry_InvalidStatus.selector, provider, DataTypes.ProviderStatus.Suspended
            )
        );
        providerRegistry.setPaused(false);
        vm.prank(arbiter);
        providerRegistry.setSuspended(provider, false);
        assertTrue(providerRegistry.isActive(provider));
    }

    function test_RevertGiven_SuspendTwice() public givenRegistered {
        vm.startPrank(arbiter);
        providerRegistry.setSuspended(provider, true);
        vm.expectRevert(
            abi.encodeWithSelector(
                Errors.ProviderRegistry_InvalidStatus.selector, provider, DataTypes.ProviderStatus.Suspended
            )
        );
        providerRegistry.setSuspended(provider, true);
        vm.stopPrank();
    }

    function test_RevertGiven_ReinstateNotSuspended() public givenRegistered {
        vm.prank(arbiter);
        vm.expectRevert(
            abi.encodeWithSelector(
                Errors.ProviderRegistry_InvalidStatus.selector, provider, DataTypes.ProviderStatus.Active
            )
        );
        providerRegistry.setSuspended(provider, false);
    }

    function test_RevertGiven_SuspendUnknown() public {
        vm.prank(arbiter);
        vm.expectRevert(abi.encodeWithSelector(Errors.ProviderRegistry_NotRegistered.selector, stranger));
        providerRegistry.setSuspended(stranger, true);
    }

    function test_RevertWhen_SuspendCallerNotPauser() public givenRegistered {
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IAccessManaged.AccessManagedUnauthorized.selector, stranger));
        providerRegistry.setSuspended(provider, true);
    }

    /*//////////////////////////////////////////////////////////////
                                 OFFERS
    //////////////////////////////////////////////////////////////*/

    function test_ListOffer() public givenRegistered {
        DataTypes.OfferInput memory input = _offerInput(PRICE);
        vm.expectEmit(address(providerRegistry));
        emit IProviderRegistry.OfferListed(1, provider, "H100", 8, 80, 64, 512, "us-east", PRICE, 4);
        uint256 offerId = _listOffer(provider, PRICE);
        assertEq(offerId, 1, "offer ids start at 1");
        assertEq(_listOffer(provider, PRICE), 2);
        assertEq(providerRegistry.offerCount(), 2);
        assertEq(providerRegistry.getProvider(provider).offerCount, 2);
        DataTypes.Offer memory offer = providerRegistry.getOffer(1);
        assertEq(offer.provider, provider);
        assertEq(offer.pricePerGpuHour, input.pricePerGpuHour);
        assertEq(offer.availableUnits, 4);
        assertTrue(offer.active);
        (bool usable, uint48 price, address payoutAddress) = providerRegistry.routeInfo(provider, 1);
        assertTrue(usable);
        assertEq(price, PRICE);
        assertEq(payoutAddress, provider);
    }

    function test_RevertGiven_ListOfferNotActive() public {
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(Errors.ProviderRegistry_NotActive.selector, stranger));
        providerRegistry.listOffer(_offerInput(PRICE));
    }

    function test_RevertWhen_OfferInvalid() public givenRegistered {
        DataTypes.OfferInput memory input = _offerInput(0);
        vm.startPrank(provider);
        vm.expectRevert(Errors.ProviderRegistry_InvalidOffer.selector);
        providerRegistry.listOffer(input);
        input = _offerInput(PRICE);
        input.gpuCount = 0;
        vm.expectRevert(Errors.ProviderRegistry_InvalidOffer.selector);
        providerRegistry.listOffer(input);
        input = _offerInput(PRICE);
        input.vramGb = 0;
        vm.expectRevert(Errors.ProviderRegistry_InvalidOffer.selector);
        providerRegistry.listOffer(input);
        input = _offerInput(PRICE);
        input.gpuModel = "";
        vm.expectRevert(Errors.InvalidString.selector);
        providerRegistry.listOffer(input);
        input = _offerInput(PRICE);
        input.region = "";
        vm.expectRevert(Errors.InvalidString.selector);
        providerRegistry.listOffer(input);
        vm.stopPrank();
    }

    function test_RepriceOffer() public givenRegistered {
        uint256 offerId = _listOffer(provider, PRICE);
        vm.expectEmit(address(providerRegistry));
        emit IProviderRegistry.OfferRepriced(offerId, provider, PRICE, PRICE + 1);
        vm.prank(provider);
        providerRegistry.repriceOffer(offerId, PRICE + 1);
        assertEq(providerRegistry.getOffer(offerId).pricePerGpuHour, PRICE + 1);
        vm.prank(provider);
        vm.expectRevert(Errors.ProviderRegistry_InvalidOffer.selector);
        providerRegistry.repriceOffer(offerId, 0);
    }

    function test_SetOfferCapacityAndActive() public givenRegistered {
        uint256 offerId = _listOffer(provider, PRICE);
        vm.expectEmit(address(providerRegistry));
        emit IProviderRegistry.OfferCapacityChanged(offerId, provider, 9);
        vm.prank(provider);
        providerRegistry.setOfferCapacity(offerId, 9);
        assertEq(providerRegistry.getOffer(offerId).availableUnits, 9);
        vm.expectEmit(address(providerRegistry));
        emit IProviderRegistry.OfferActiveChanged(offerId, provider, false);
        vm.prank(provider);
        providerRegistry.setOfferActive(offerId, false);
        assertFalse(providerRegistry.getOffer(offerId).active);
        (bool usable,,) = providerRegistry.routeInfo(provider, offerId);
        assertFalse(usable);
    }

    function test_RevertWhen_OfferNotOwned() public givenRegistered {
        uint256 offerId = _listOffer(provider, PRICE);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(Errors.ProviderRegistry_NotOfferOwner.selector, offerId, stranger));
        providerRegistry.repriceOffer(offerId, 1);
    }

    function test_RevertGiven_UnknownOffer() public {
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(Errors.ProviderRegistry_UnknownOffer.selector, 5));
        providerRegistry.setOfferActive(5, true);
        vm.expectRevert(abi.encodeWithSelector(Errors.ProviderRegistry_UnknownOffer.selector, 5));
        providerRegistry.getOffer(5);
        (bool usable,,) = providerRegistry.routeInfo(provider, 5);
        assertFalse(usable);
    }
}
