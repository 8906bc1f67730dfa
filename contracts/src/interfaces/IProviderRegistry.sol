// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {DataTypes} from "../types/DataTypes.sol";

/// @title IProviderRegistry
/// @notice Providers register their wallet, list hardware offers with prices and capacity, and manage them.
interface IProviderRegistry {
    /// @notice Emitted when a wallet registers as a provider.
    event ProviderRegistered(address indexed provider, string name, string metadataURI, string region, address payout);
    /// @notice Emitted when a provider changes its profile.
    event ProviderUpdated(address indexed provider, string name, string metadataURI, string region, address payout);
    /// @notice Emitted when a provider's status changes (paused, resumed, suspended, deregistered).
    event ProviderStatusChanged(
        address indexed provider, DataTypes.ProviderStatus previousStatus, DataTypes.ProviderStatus status
    );
    /// @notice Emitted when a provider lists an offer.
    event OfferListed(
        uint256 indexed offerId,
        address indexed provider,
        string gpuModel,
        uint16 gpuCount,
        uint16 vramGb,
        uint16 vcpu,
        uint32 ramGb,
        string region,
        uint48 pricePerGpuHour,
        uint32 availableUnits
    );
    /// @notice Emitted when an offer's price changes.
    event OfferRepriced(
        uint256 indexed offerId, address indexed provider, uint48 previousPrice, uint48 pricePerGpuHour
    );
    /// @notice Emitted when an offer's free capacity changes: set by its provider, or a unit taken by a routed job or
    /// given back when that job ends. `availableUnits` is the new free count.
    event OfferCapacityChanged(uint256 indexed offerId, address indexed provider, uint32 availableUnits);
    /// @notice Emitted when an offer is activated or deactivated.
    event OfferActiveChanged(uint256 indexed offerId, address indexed provider, bool active);
    /// @notice Emitted when a market is added (active) or retired.
    event MarketSet(address indexed market, bool active);

    /// @notice Registers the caller as a provider.
    /// @param name Display name (1–64 bytes).
    /// @param metadataURI Where the provider's profile document lives (may be empty).
    /// @param region Home region, e.g. `us-east` (1–32 bytes).
    /// @param payout Address that receives the provider's earnings.
    function registerProvider(string calldata name, string calldata metadataURI, string calldata region, address payout)
        external;

    /// @notice Updates the caller's profile.
    function updateProvider(string calldata name, string calldata metadataURI, string calldata region, address payout)
        external;

    /// @notice Pauses (true) or resumes (false) the caller: a paused provider cannot be routed to.
    function setPaused(bool paused) external;

    /// @notice Deregisters the caller for good; its offers can no longer be routed to.
    function deregisterProvider() external;

    /// @notice Suspends (true) or reinstates (false) a provider. Pauser role.
    /// @dev Reinstating makes the provider Active, whatever it was before the suspension (a provider that had paused
    /// itself pauses again with `setPaused(true)`).
    function setSuspended(address provider, bool suspended) external;

    /// @notice Lists a new offer for the caller.
    /// @return offerId The new offer's id (starts at 1).
    function listOffer(DataTypes.OfferInput calldata offer) external returns (uint256 offerId);

    /// @notice Changes an offer's price.
    function repriceOffer(uint256 offerId, uint48 pricePerGpuHour) external;

    /// @notice Changes an offer's free capacity (at most 65,535 units).
    function setOfferCapacity(uint256 offerId, uint32 availableUnits) external;

    /// @notice Takes one unit of `offerId` for a job of `gpuCount` GPUs with at least `minVramGb` per GPU, if the
    /// provider is active and owns the active offer, the offer's hardware covers the job and a unit is free; otherwise
    /// changes nothing and says why. Active markets only.
    /// @return reservation The outcome.
    /// @return pricePerGpuHour The offer's price.
    function reserveUnit(address provider, uint256 offerId, uint16 gpuCount, uint16 minVramGb)
        external
        returns (DataTypes.Reservation reservation, uint48 pricePerGpuHour);

    /// @notice Gives back one unit of `offerId` taken by `reserveUnit`. Active or retired markets.
    function releaseUnit(uint256 offerId) external;

    /// @notice Adds (`active`) or retires a market. Admin role.
    function setMarket(address market, bool active) external;

    /// @notice Activates or deactivates an offer.
    function setOfferActive(uint256 offerId, bool active) external;

    /// @notice A provider's stored record.
    function getProvider(address provider) external view returns (DataTypes.Provider memory);

    /// @notice An offer's stored record.
    function getOffer(uint256 offerId) external view returns (DataTypes.Offer memory);

    /// @notice A provider's status.
    function statusOf(address provider) external view returns (DataTypes.ProviderStatus);

    /// @notice Whether `market` is an active or a retired market.
    function isMarket(address market) external view returns (bool active, bool retired);

    /// @notice Whether the provider is active (registered, not paused, suspended or deregistered).
    function isActive(address provider) external view returns (bool);

    /// @notice What a route to `provider` through `offerId` needs: whether both are usable, the offer's price and the
    /// provider's payout address.
    function routeInfo(address provider, uint256 offerId)
        external
        view
        returns (bool usable, uint48 pricePerGpuHour, address payout);

    /// @notice The provider's payout address (zero if not registered).
    function payoutOf(address provider) external view returns (address);

    /// @notice Number of offers ever listed.
    function offerCount() external view returns (uint256);
}
