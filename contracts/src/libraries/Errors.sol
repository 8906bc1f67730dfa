// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {DataTypes} from "../types/DataTypes.sol";

/// @title Errors
/// @notice Every custom error of the Necto contracts.
library Errors {
    /*//////////////////////////////////////////////////////////////
                               GENERIC
    //////////////////////////////////////////////////////////////*/

    /// @notice Thrown when an address argument is the zero address.
    error ZeroAddress();
    /// @notice Thrown when an amount argument is zero.
    error ZeroAmount();
    /// @notice Thrown when a string argument is empty or longer than allowed.
    error InvalidString();

    /*//////////////////////////////////////////////////////////////
                          PROVIDER REGISTRY
    //////////////////////////////////////////////////////////////*/

    /// @notice Thrown when a wallet registers twice.
    error ProviderRegistry_AlreadyRegistered(address provider);
    /// @notice Thrown when the caller or the named provider is not registered (or has deregistered).
    error ProviderRegistry_NotRegistered(address provider);
    /// @notice Thrown when a provider action needs the provider to be active.
    error ProviderRegistry_NotActive(address provider);
    /// @notice Thrown when a status change is not allowed from the current status.
    error ProviderRegistry_InvalidStatus(address provider, DataTypes.ProviderStatus status);
    /// @notice Thrown when an offer id does not exist.
    error ProviderRegistry_UnknownOffer(uint256 offerId);
    /// @notice Thrown when the caller does not own the offer.
    error ProviderRegistry_NotOfferOwner(uint256 offerId, address caller);
    /// @notice Thrown when an offer's hardware or price is invalid (zero GPUs, zero price, …).
    error ProviderRegistry_InvalidOffer();
    /// @notice Thrown when capacity is taken or given back by a caller that is not a market (or, for taking, a
    /// retired one).
    error ProviderRegistry_NotMarket(address caller);

    /*//////////////////////////////////////////////////////////////
                             TEAM REGISTRY
    //////////////////////////////////////////////////////////////*/

    /// @notice Thrown when a team id does not exist.
    error TeamRegistry_UnknownTeam(uint256 teamId);
    /// @notice Thrown when the caller is not the team owner.
    error TeamRegistry_NotOwner(uint256 teamId, address caller);
    /// @notice Thrown when an account is not a member of the team.
    error TeamRegistry_NotMember(uint256 teamId, address account);
    /// @notice Thrown when an account is already a member of the team.
    error TeamRegistry_AlreadyMember(uint256 teamId, address account);
    /// @notice Thrown when the owner is removed from its own team.
    error TeamRegistry_CannotRemoveOwner(uint256 teamId);
    /// @notice Thrown when a spend would exceed the team's cap for the current period.
    error TeamRegistry_CapExceeded(uint256 teamId, uint256 spent, uint256 amount, uint256 cap);
    /// @notice Thrown when a cap period is zero while a cap is set.
    error TeamRegistry_InvalidPeriod();

    /*//////////////////////////////////////////////////////////////
                              JOB MARKET
    //////////////////////////////////////////////////////////////*/

    /// @notice Thrown when a job id does not exist.
    error JobMarket_UnknownJob(uint256 jobId);
    /// @notice Thrown when the job is not in a status that allows the action.
    error JobMarket_InvalidStatus(uint256 jobId, DataTypes.JobStatus status);
    /// @notice Thrown when the caller is not the job's buyer.
    error JobMarket_NotBuyer(uint256 jobId, address caller);
    /// @notice Thrown when the caller is not the job's routed provider (or the keeper for an external route).
    error JobMarket_NotOperator(uint256 jobId, address caller);
    /// @notice Thrown when a job spec is invalid (zero GPUs, zero duration, zero price, start-by in the past).
    error JobMarket_InvalidSpec();
    /// @notice Thrown when the budget does not cover max price × GPUs × duration.
    error JobMarket_InsufficientBudget(uint256 budget, uint256 required);
    /// @notice Thrown when the token credited less than the amount transferred (fee-on-transfer tokens).
    error JobMarket_TransferAmountMismatch(uint256 expected, uint256 received);
    /// @notice Thrown when a route's price is above the buyer's max price.
    error JobMarket_PriceAboveMax(uint256 price, uint256 maxPrice);
    /// @notice Thrown when a route names a provider that is not active, or an offer it does not own.
    error JobMarket_ProviderNotActive(bytes32 providerRef);
    /// @notice Thrown when a route's price differs from the on-chain offer's price.
    error JobMarket_PriceMismatch(uint256 price, uint256 offerPrice);
    /// @notice Thrown when an external route's providerRef does not match keccak256(market, externalId).
    error JobMarket_InvalidProviderRef(bytes32 providerRef);
    /// @notice Thrown when an external market has no settlement account or the job disallows external markets.
    error JobMarket_MarketNotAllowed(string market);
    /// @notice Thrown when a re-route is attempted before the current route's start deadline.
    error JobMarket_StartDeadlineNotReached(uint256 jobId, uint256 startDeadline);
    /// @notice Thrown when a job is expired before its start-by time.
    error JobMarket_NotExpired(uint256 jobId, uint256 startBy);
    /// @notice Thrown when an action needs the job's start-by time not to have passed.
    error JobMarket_StartByPassed(uint256 jobId, uint256 startBy);
    /// @notice Thrown when a job is settled before its dispute window closed (and the caller is not the buyer).
    error JobMarket_DisputeWindowOpen(uint256 jobId, uint256 closesAt);
    /// @notice Thrown when a dispute is raised after the dispute window closed.
    error JobMarket_DisputeWindowClosed(uint256 jobId, uint256 closedAt);
    /// @notice Thrown when a share in basis points is above 10,000.
    error JobMarket_InvalidBps(uint256 bps);
    /// @notice Thrown when a market parameter is out of range.
    error JobMarket_InvalidParameter();
    /// @notice Thrown when the round counter would overflow (too many re-routes).
    error JobMarket_TooManyRounds(uint256 jobId);
    /// @notice Thrown when a withdrawal names the market itself as recipient (the funds would be locked for good).
    error JobMarket_InvalidRecipient(address to);
    /// @notice Thrown when an account has nothing to withdraw.
    error JobMarket_NothingToWithdraw(address account);
    /// @notice Thrown when a value does not fit its storage type.
    error JobMarket_Overflow();
    /// @notice Thrown when a tracked job's document does not hash to its specHash.
    error JobMarket_DocumentMismatch(bytes32 specHash, bytes32 documentHash);
    /// @notice Thrown when an untracked job carries a document (it would be published).
    error JobMarket_DocumentNotEmpty();
    /// @notice Thrown when a route's on-chain offer has no free unit.
    error JobMarket_NoCapacity(uint256 offerId);
    /// @notice Thrown when a route's on-chain offer has fewer GPUs or less VRAM per GPU than the job asks for.
    error JobMarket_OfferMismatch(uint256 offerId);
    /// @notice Thrown when a dispute is settled by default before its timeout.
    error JobMarket_DisputeTimeoutNotReached(uint256 jobId, uint256 settlesAt);
    /// @notice Thrown when the caller is not the job's provider any more (suspended or deregistered).
    error JobMarket_ProviderNotAllowed(address provider);

    /*//////////////////////////////////////////////////////////////
                                PAUSE
    //////////////////////////////////////////////////////////////*/

    /// @notice Thrown when an action needs the market not to be paused (same signature as OpenZeppelin's Pausable).
    error EnforcedPause();
    /// @notice Thrown when unpausing a market that is not paused (same signature as OpenZeppelin's Pausable).
    error ExpectedPause();

    /*//////////////////////////////////////////////////////////////
                               MOCK USDC
    //////////////////////////////////////////////////////////////*/

    /// @notice Thrown when the faucet is used on a chain where it is disabled.
    error MockUSDC_FaucetDisabled();
    /// @notice Thrown when a faucet request is above the per-call limit.
    error MockUSDC_FaucetLimit(uint256 amount, uint256 limit);
}
