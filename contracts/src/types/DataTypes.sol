// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title DataTypes
/// @notice Structs and enums shared by the Necto contracts.
library DataTypes {
    /// @notice Lifecycle of a job. Allowed edges:
    /// Open → Routed | Accepted (autoAccept) | Cancelled | Expired
    /// Routed → Accepted | Open (rejected) | Routed (re-route after the start deadline) | Cancelled | Expired
    /// Accepted → Running | Accepted/Routed (re-route after the start deadline) | Cancelled | Expired
    /// Running → Completed | Cancelled (pro-rata) | Disputed
    /// Completed → Settled | Disputed
    /// Disputed → Resolved
    enum JobStatus {
        None,
        Open,
        Routed,
        Accepted,
        Running,
        Completed,
        Settled,
        Cancelled,
        Expired,
        Disputed,
        Resolved
    }

    /// @notice Status of a provider in the registry.
    enum ProviderStatus {
        None,
        Active,
        Paused,
        Suspended,
        Deregistered
    }

    /// @notice What a buyer asks for. Only the fields the escrow needs are stored; the rest is emitted
    /// (tracked jobs) or only committed to through `specHash` (untracked jobs).
    struct JobSpec {
        /// keccak256 of the canonical off-chain job document (image, command, env, …).
        bytes32 specHash;
        /// Highest acceptable price, USDC (6 decimals) per GPU-hour.
        uint48 maxPricePerGpuHour;
        /// Requested run time in seconds.
        uint32 duration;
        /// Number of GPUs.
        uint16 gpuCount;
        /// Minimum VRAM per GPU, GB.
        uint16 minVramGb;
        /// Minimum vCPUs for the whole job.
        uint16 minVcpu;
        /// Minimum RAM for the whole job, GB.
        uint32 minRamGb;
        /// Team the job is charged to, 0 for none.
        uint32 teamId;
        /// Latest time by which the job must be started, else it can be expired (0: the market default).
        uint40 startBy;
        /// The keeper's route binds at once (no buyer acceptance).
        bool autoAccept;
        /// Publish the full spec in events; untracked jobs publish only `specHash`.
        bool tracked;
        /// External markets (Akash, io.net, …) may be chosen.
        bool allowExternal;
        /// Acceptable GPU models (any of); empty means any.
        string[] gpuModels;
        /// Region allow-list; empty means any.
        string[] regions;
    }

    /// @notice A job as stored (4 slots).
    struct Job {
        // slot 0
        address buyer;
        uint40 startBy;
        JobStatus status;
        uint8 round;
        bool autoAccept;
        bool tracked;
        uint16 gpuCount;
        bool external_;
        // slot 1
        uint96 balance;
        uint48 maxPricePerGpuHour;
        uint48 pricePerGpuHour;
        uint32 duration;
        uint32 teamId;
        // slot 2 (set by a route)
        address operator;
        uint32 startDeadline;
        uint32 startedAt;
        uint32 completedAt;
    }

    /// @notice A routing decision committed by the keeper.
    struct RouteInput {
        /// `bytes32(uint256(uint160(provider)))` for an on-chain provider, `keccak256(abi.encode(market, externalId))`
        /// for an external market.
        bytes32 providerRef;
        /// On-chain offer used (0 for external markets).
        uint256 offerId;
        /// Agreed price, USDC (6 decimals) per GPU-hour; at most the buyer's max.
        uint48 pricePerGpuHour;
        /// 0G Storage Merkle root of the reasoning log.
        bytes32 logRoot;
        /// keccak256 of the canonical JSON reasoning log.
        bytes32 decisionHash;
        /// Akash manifest version hash (0 when not an Akash route).
        bytes32 sdlHash;
        /// External market name (`akash`, `ionet`, …); empty for on-chain providers.
        string market;
        /// Provider id within the external market (e.g. an `akash1…` address); empty for on-chain providers.
        string externalId;
    }

    /// @notice Hardware and price of an offer, as listed by a provider.
    struct OfferInput {
        string gpuModel;
        uint16 gpuCount;
        uint16 vramGb;
        uint16 vcpu;
        uint32 ramGb;
        string region;
        /// USDC (6 decimals) per GPU-hour.
        uint48 pricePerGpuHour;
        /// How many such machines are available now.
        uint32 availableUnits;
    }

    /// @notice An offer as stored (1 slot).
    struct Offer {
        address provider;
        uint48 pricePerGpuHour;
        uint32 availableUnits;
        bool active;
    }

    /// @notice A provider as stored (1 slot).
    struct Provider {
        address payout;
        ProviderStatus status;
        uint40 registeredAt;
        uint32 offerCount;
    }

    /// @notice A team as stored.
    struct Team {
        address owner;
        uint32 period;
        uint64 periodStart;
        uint128 spendingCap;
        uint128 spentInPeriod;
    }
}
