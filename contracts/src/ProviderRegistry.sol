// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";

import {IProviderRegistry} from "./interfaces/IProviderRegistry.sol";
import {Errors} from "./libraries/Errors.sol";
import {DataTypes} from "./types/DataTypes.sol";

/// @title ProviderRegistry
/// @notice On-chain GPU providers: a wallet registers (profile, payout address), lists hardware offers with a price
/// per GPU-hour and free capacity, and manages them. Markets take a unit of an offer for each job routed to it
/// (`reserveUnit`, which also checks the offer's GPU count and VRAM against the job) and give it back when the job
/// ends (`releaseUnit`).
/// @dev Status machine: None → Active ⇄ Paused (by the provider); Active/Paused ⇄ Suspended (pauser role; reinstating
/// returns to Active); any registered status → Deregistered (by the provider, final). Profiles live in events only.
/// Markets: the admin adds a market (it may take and give back units) and retires it (it may only give back the units
/// its jobs still hold, so a retiring market's jobs keep ending cleanly).
contract ProviderRegistry is IProviderRegistry, AccessManaged {
    uint256 private constant MAX_NAME_LENGTH = 64;
    uint256 private constant MAX_REGION_LENGTH = 32;
    uint256 private constant MAX_URI_LENGTH = 256;
    uint256 private constant MAX_GPU_MODEL_LENGTH = 64;

    /// @dev A market's standing: an active market takes and gives back units, a retired one only gives them back.
    enum MarketStatus {
        None,
        Active,
        Retired
    }

    mapping(address provider => DataTypes.Provider) private _providers;
    mapping(uint256 offerId => DataTypes.Offer) private _offers;
    uint256 private _offerCount;
    mapping(address market => MarketStatus) private _markets;

    /// @param authority The deployment's AccessManager.
    constructor(address authority) AccessManaged(authority) {}

    /*//////////////////////////////////////////////////////////////
                                PROVIDERS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IProviderRegistry
    function registerProvider(string calldata name, string calldata metadataURI, string calldata region, address payout)
        external
    {
        DataTypes.Provider storage provider = _providers[msg.sender];
        if (provider.status != DataTypes.ProviderStatus.None) {
            revert Errors.ProviderRegistry_AlreadyRegistered(msg.sender);
        }
        _checkProfile(name, metadataURI, region, payout);
        provider.payout = payout;
        provider.status = DataTypes.ProviderStatus.Active;
        provider.registeredAt = uint40(block.timestamp);
        emit ProviderRegistered(msg.sender, name, metadataURI, region, payout);
    }

    /// @inheritdoc IProviderRegistry
    function updateProvider(string calldata name, string calldata metadataURI, string calldata region, address payout)
        external
    {
        DataTypes.Provider storage provider = _registered(msg.sender);
        _checkProfile(name, metadataURI, region, payout);
        provider.payout = payout;
        emit ProviderUpdated(msg.sender, name, metadataURI, region, payout);
    }

    /// @inheritdoc IProviderRegistry
    function setPaused(bool paused) external {
        DataTypes.Provider storage provider = _registered(msg.sender);
        DataTypes.ProviderStatus previous = provider.status;
        DataTypes.ProviderStatus expected = paused ? DataTypes.ProviderStatus.Active : DataTypes.ProviderStatus.Paused;
        if (previous != expected) revert Errors.ProviderRegistry_InvalidStatus(msg.sender, previous);
        DataTypes.ProviderStatus next = paused ? DataTypes.ProviderStatus.Paused : DataTypes.ProviderStatus.Active;
        provider.status = next;
        emit ProviderStatusChanged(msg.sender, previous, next);
    }

    /// @inheritdoc IProviderRegistry
    function deregisterProvider() external {
        DataTypes.Provider storage provider = _registered(msg.sender);
        DataTypes.ProviderStatus previous = provider.status;
        provider.status = DataTypes.ProviderStatus.Deregistered;
        emit ProviderStatusChanged(msg.sender, previous, DataTypes.ProviderStatus.Deregistered);
    }

    /// @inheritdoc IProviderRegistry
    function setSuspended(address providerAddress, bool suspended) external restricted {
        DataTypes.Provider storage provider = _registered(providerAddress);
        DataTypes.ProviderStatus previous = provider.status;
        DataTypes.ProviderStatus next;
        if (suspended) {
            if (previous == DataTypes.ProviderStatus.Suspended) {
                revert Errors.ProviderRegistry_InvalidStatus(providerAddress, previous);
            }
            next = DataTypes.ProviderStatus.Suspended;
        } else {
            if (previous != DataTypes.ProviderStatus.Suspended) {
                revert Errors.ProviderRegistry_InvalidStatus(providerAddress, previous);
            }
            next = DataTypes.ProviderStatus.Active;
        }
        provider.status = next;
        emit ProviderStatusChanged(providerAddress, previous, next);
    }

    /*//////////////////////////////////////////////////////////////
                                 OFFERS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IProviderRegistry
    function listOffer(DataTypes.OfferInput calldata offer) external returns (uint256 offerId) {
        DataTypes.Provider storage provider = _providers[msg.sender];
        if (provider.status != DataTypes.ProviderStatus.Active) revert Errors.ProviderRegistry_NotActive(msg.sender);
        _checkString(offer.gpuModel, MAX_GPU_MODEL_LENGTH);
        _checkString(offer.region, MAX_REGION_LENGTH);
        if (offer.gpuCount == 0 || offer.vramGb == 0) revert Errors.ProviderRegistry_InvalidOffer();
        _checkPrice(offer.pricePerGpuHour);
        _checkUnits(offer.availableUnits);
        offerId = ++_offerCount;
        _offers[offerId] = DataTypes.Offer({
            provider: msg.sender,
            pricePerGpuHour: uint40(offer.pricePerGpuHour),
            availableUnits: uint16(offer.availableUnits),
            gpuCount: offer.gpuCount,
            vramGb: offer.vramGb,
            active: true
        });
        // Cannot overflow: one provider would need 2^32 transactions.
        unchecked {
            ++provider.offerCount;
        }
        emit OfferListed(
            offerId,
            msg.sender,
            offer.gpuModel,
            offer.gpuCount,
            offer.vramGb,
            offer.vcpu,
            offer.ramGb,
            offer.region,
            offer.pricePerGpuHour,
            offer.availableUnits
        );
    }

    /// @inheritdoc IProviderRegistry
    function repriceOffer(uint256 offerId, uint48 pricePerGpuHour) external {
        DataTypes.Offer storage offer = _ownedOffer(offerId);
        _checkPrice(pricePerGpuHour);
        uint48 previous = offer.pricePerGpuHour;
        offer.pricePerGpuHour = uint40(pricePerGpuHour);
        emit OfferRepriced(offerId, msg.sender, previous, pricePerGpuHour);
    }

    /// @inheritdoc IProviderRegistry
    /// @dev Sets the free units now: units held by running jobs come back on top when those jobs end.
    function setOfferCapacity(uint256 offerId, uint32 availableUnits) external {
        DataTypes.Offer storage offer = _ownedOffer(offerId);
        _checkUnits(availableUnits);
        offer.availableUnits = uint16(availableUnits);
        emit OfferCapacityChanged(offerId, msg.sender, availableUnits);
    }

    /*//////////////////////////////////////////////////////////////
                                 MARKETS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IProviderRegistry
    function reserveUnit(address provider, uint256 offerId, uint16 gpuCount, uint16 minVramGb)
        external
        returns (DataTypes.Reservation reservation, uint48 pricePerGpuHour)
    {
        if (_markets[msg.sender] != MarketStatus.Active) revert Errors.ProviderRegistry_NotMarket(msg.sender);
        DataTypes.Offer storage offer = _offers[offerId];
        // The offer's one slot, read once and updated with one SSTORE. Bit offsets (`DataTypes.Offer` order): provider
        // 0-159, pricePerGpuHour 160-199, availableUnits 200-215, gpuCount 216-231, vramGb 232-247, active 248-255.
        uint256 word;
        assembly ("memory-safe") {
            word := sload(offer.slot)
        }
        pricePerGpuHour = uint40(word >> 160);
        if (
            address(uint160(word)) != provider || uint8(word >> 248) == 0
                || _providers[provider].status != DataTypes.ProviderStatus.Active
        ) return (DataTypes.Reservation.Unusable, pricePerGpuHour);
        if (uint16(word >> 216) < gpuCount || uint16(word >> 232) < minVramGb) {
            return (DataTypes.Reservation.Mismatch, pricePerGpuHour);
        }
        uint256 units = uint16(word >> 200);
        if (units == 0) return (DataTypes.Reservation.NoCapacity, pricePerGpuHour);
        // Cannot underflow: units > 0, checked above (the subtraction takes one from the availableUnits field only).
        unchecked {
            --units;
            word -= 1 << 200;
        }
        assembly ("memory-safe") {
            sstore(offer.slot, word)
        }
        emit OfferCapacityChanged(offerId, provider, uint32(units));
        return (DataTypes.Reservation.Reserved, pricePerGpuHour);
    }

    /// @inheritdoc IProviderRegistry
    /// @dev Never fails for an active or retired market (a job's exit must not depend on the registry): the count
    /// saturates at the stored maximum.
    function releaseUnit(uint256 offerId) external {
        if (_markets[msg.sender] == MarketStatus.None) revert Errors.ProviderRegistry_NotMarket(msg.sender);
        DataTypes.Offer storage offer = _offers[offerId];
        uint16 units = offer.availableUnits;
        if (units != type(uint16).max) {
            // Cannot overflow: below the maximum, checked above.
            unchecked {
                ++units;
            }
            offer.availableUnits = units;
        }
        emit OfferCapacityChanged(offerId, offer.provider, units);
    }

    /// @inheritdoc IProviderRegistry
    function setMarket(address market, bool active) external restricted {
        if (market == address(0)) revert Errors.ZeroAddress();
        MarketStatus previous = _markets[market];
        MarketStatus next = active ? MarketStatus.Active : MarketStatus.Retired;
        if (!active && previous == MarketStatus.None) revert Errors.ProviderRegistry_NotMarket(market);
        _markets[market] = next;
        emit MarketSet(market, active);
    }

    /// @inheritdoc IProviderRegistry
    function setOfferActive(uint256 offerId, bool active) external {
        DataTypes.Offer storage offer = _ownedOffer(offerId);
        offer.active = active;
        emit OfferActiveChanged(offerId, msg.sender, active);
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IProviderRegistry
    function getProvider(address provider) external view returns (DataTypes.Provider memory) {
        return _providers[provider];
    }

    /// @inheritdoc IProviderRegistry
    /// @dev Reverts for an unknown offer id.
    function getOffer(uint256 offerId) external view returns (DataTypes.Offer memory) {
        DataTypes.Offer memory offer = _offers[offerId];
        if (offer.provider == address(0)) revert Errors.ProviderRegistry_UnknownOffer(offerId);
        return offer;
    }

    /// @inheritdoc IProviderRegistry
    function isActive(address provider) external view returns (bool) {
        return _providers[provider].status == DataTypes.ProviderStatus.Active;
    }

    /// @inheritdoc IProviderRegistry
    function statusOf(address provider) external view returns (DataTypes.ProviderStatus) {
        return _providers[provider].status;
    }

    /// @inheritdoc IProviderRegistry
    function isMarket(address market) external view returns (bool active, bool retired) {
        MarketStatus status = _markets[market];
        return (status == MarketStatus.Active, status == MarketStatus.Retired);
    }

    /// @inheritdoc IProviderRegistry
    /// @dev Usable: the provider is active, owns the offer, and the offer is active with capacity left.
    function routeInfo(address provider, uint256 offerId)
        external
        view
        returns (bool usable, uint48 pricePerGpuHour, address payout)
    {
        DataTypes.Provider storage p = _providers[provider];
        DataTypes.Offer storage offer = _offers[offerId];
        usable = p.status == DataTypes.ProviderStatus.Active && offer.provider == provider && offer.active
            && offer.availableUnits != 0;
        pricePerGpuHour = offer.pricePerGpuHour;
        payout = p.payout;
    }

    /// @inheritdoc IProviderRegistry
    /// @dev Kept after deregistration, so jobs already routed to the provider can still be paid.
    function payoutOf(address provider) external view returns (address) {
        return _providers[provider].payout;
    }

    /// @inheritdoc IProviderRegistry
    function offerCount() external view returns (uint256) {
        return _offerCount;
    }

    /*//////////////////////////////////////////////////////////////
                                INTERNAL
    //////////////////////////////////////////////////////////////*/

    /// @dev The record of a registered (not deregistered) provider; reverts otherwise.
    function _registered(address provider) private view returns (DataTypes.Provider storage p) {
        p = _providers[provider];
        if (p.status == DataTypes.ProviderStatus.None || p.status == DataTypes.ProviderStatus.Deregistered) {
            revert Errors.ProviderRegistry_NotRegistered(provider);
        }
    }

    /// @dev An existing offer owned by the caller; reverts otherwise.
    function _ownedOffer(uint256 offerId) private view returns (DataTypes.Offer storage offer) {
        offer = _offers[offerId];
        if (offer.provider == address(0)) revert Errors.ProviderRegistry_UnknownOffer(offerId);
        if (offer.provider != msg.sender) revert Errors.ProviderRegistry_NotOfferOwner(offerId, msg.sender);
    }

    function _checkProfile(string calldata name, string calldata metadataURI, string calldata region, address payout)
        private
        pure
    {
        _checkString(name, MAX_NAME_LENGTH);
        _checkString(region, MAX_REGION_LENGTH);
        if (bytes(metadataURI).length > MAX_URI_LENGTH) revert Errors.InvalidString();
        if (payout == address(0)) revert Errors.ZeroAddress();
    }

    /// @dev A price is non-zero and below 2^40 (the stored width).
    function _checkPrice(uint48 pricePerGpuHour) private pure {
        if (pricePerGpuHour == 0 || pricePerGpuHour > type(uint40).max) revert Errors.ProviderRegistry_InvalidOffer();
    }

    /// @dev A unit count fits the stored width (uint16).
    function _checkUnits(uint32 availableUnits) private pure {
        if (availableUnits > type(uint16).max) revert Errors.ProviderRegistry_InvalidOffer();
    }

    /// @dev Non-empty and at most `maxLength` bytes.
    function _checkString(string calldata value, uint256 maxLength) private pure {
        uint256 length = bytes(value).length;
        if (length == 0 || length > maxLength) revert Errors.InvalidString();
    }
}
