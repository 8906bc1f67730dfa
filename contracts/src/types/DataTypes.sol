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
        /// Tracked jobs: the canonical job document itself, with `keccak256(bytes(document)) == specHash`, published in
        /// `JobSpecPublished`. Untracked jobs: empty (the document goes to the keeper off-chain).
        string document;
    }

    /// @notice A job as returned by `JobMarket.getJob`: the stored record (3 slots, see `JobMarket.JobRecord`)
    /// unpacked, with the market terms the job was submitted under.
    struct Job {
        address buyer;
        /// Latest start time; after it the job can be expired.
        uint40 startBy;
        JobStatus status;
        /// Route round: 0 before the first route, then 1, 2, … per (re-)route.
        uint8 round;
        bool autoAccept;
        bool tracked;
        /// The buyer allows external markets.
        bool allowExternal;
        uint16 gpuCount;
        uint16 minVramGb;
        /// USDC still escrowed for the job.
        uint64 balance;
        uint48 maxPricePerGpuHour;
        /// The routed price (0 before a route).
        uint48 pricePerGpuHour;
        uint32 duration;
        uint32 teamId;
        /// Who starts and completes the job and is paid: the routed provider, or an external market's settlement
        /// account (zero before a route).
        address operator;
        /// The on-chain offer routed to (0 for external routes and before a route).
        uint32 offerId;
        /// Deadline for the provider to start a bound route (0 while waiting for the buyer's acceptance and once
        /// started).
        uint32 startDeadline;
        /// When the job started (0 before).
        uint32 startedAt;
        /// When billing stopped: completion, a dispute of a running job, or a cancellation while running (0 before).
        uint32 completedAt;
        /// Terms snapshotted at submission: protocol fee, dispute window, dispute timeout.
        uint16 feeBps;
        uint32 disputeWindow;
        uint32 disputeTimeout;
    }

    /// @notice Market terms a job agrees to at submission (fee and dispute rules). Later changes by the admin apply
    /// to jobs submitted afterwards only.
    struct Terms {
        /// Protocol fee, basis points of the amount due.
        uint16 feeBps;
        /// Seconds after completion during which the buyer may dispute.
        uint32 disputeWindow;
        /// Seconds after the dispute window closes during which the arbiter may resolve a dispute alone; after it
        /// anyone may settle the dispute by the default rule.
        uint32 disputeTimeout;
    }

    /// @notice Outcome of `ProviderRegistry.reserveUnit`.
    enum Reservation {
        /// One unit of the offer was taken.
        Reserved,
        /// The provider is not active, does not own the offer, or the offer is inactive.
        Unusable,
        /// The offer has no unit left.
        NoCapacity,
        /// The offer has fewer GPUs or less VRAM per GPU than the job asks for.
        Mismatch
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
        /// USDC (6 decimals) per GPU-hour, below 2^40.
        uint48 pricePerGpuHour;
        /// How many such machines are free now, at most 65,535 (each routed job takes one until it ends).
        uint32 availableUnits;
    }

    /// @notice An offer as stored (1 slot): what routing reads and the capacity it takes and gives back.
    struct Offer {
        address provider;
        /// USDC (6 decimals) per GPU-hour, below 2^40.
        uint40 pricePerGpuHour;
        /// Free units: taken by each job routed to the offer, given back when the job ends.
        uint16 availableUnits;
        /// GPUs per unit.
        uint16 gpuCount;
        /// VRAM per GPU, GB.
        uint16 vramGb;
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
