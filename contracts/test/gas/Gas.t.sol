// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {DataTypes} from "../../src/types/DataTypes.sol";
import {Base} from "../Base.t.sol";

/// @title GasTest
/// @notice Gas of each JobMarket operation, written to `contracts/snapshots/GasTest.json` by
/// `vm.snapshotGasLastCall` and checked against the budgets by `pnpm bench:gas` (tools/bench-gas.mjs).
/// @dev Steady state: the market already holds funds of earlier jobs, fees have accrued, and the provider, treasury
/// and buyers hold tokens and withdrawable balances, so no measured write is a first write to an account. All the
/// preparation happens in `setUp`, which forge runs as its own transaction: each test's measured call is the first
/// call of a new transaction, so every slot and account it touches is cold and SSTOREs are priced against the
/// committed values, as on chain. Figures are the callee's gas: no 21,000 intrinsic gas, no calldata cost.
contract GasTest is Base {
    address internal permitBuyer;
    uint256 internal permitBuyerKey;
    address internal newProvider = makeAddr("newProvider");
    address internal newBuyer = makeAddr("newBuyer");

    uint256 internal offerId;
    uint256 internal openJob;
    uint256 internal openExternalJob;
    uint256 internal routedJob;
    uint256 internal acceptedJob;
    uint256 internal runningJob;
    uint256 internal runningJobToCancel;
    uint256 internal completedJob;
    uint256 internal newBuyerCompletedJob;

    uint256 internal permitDeadline;
    uint8 internal permitV;
    bytes32 internal permitR;
    bytes32 internal permitS;

    function setUp() public override {
        super.setUp();
        offerId = _setUpProvider(provider);
        vm.prank(provider);
        providerRegistry.setOfferCapacity(offerId, 100);
        _registerProvider(provider2);

        // History: two settled jobs, so the provider, the treasury and the buyer have token balances and credits.
        _settledJob();
        vm.prank(provider);
        market.withdraw();
        market.withdrawFees();
        vm.prank(buyer);
        market.withdraw();
        _settledJob();
        // buyer2 (who confirms and cancels the measured jobs) was refunded for an earlier job and withdrew the refund:
        // it holds no credit now, as a buyer who withdraws after each job (the measured refunds credit an empty
        // balance of an account credited before).
        uint256 earlier = _submit(buyer2, _defaultSpec(), BUDGET);
        vm.prank(buyer2);
        market.cancelJob(earlier);
        vm.prank(buyer2);
        market.withdraw();

        // Buyers in steady state: the approve-path buyer approves exactly the budget (as the dApp does); the permit
        // buyer holds tokens and has used permits before (nonce > 0).
        vm.prank(buyer);
        usdc.approve(address(market), BUDGET);
        (permitBuyer, permitBuyerKey) = makeAddrAndKey("permitBuyer");
        usdc.faucet(permitBuyer, INITIAL_BALANCE);
        permitDeadline = block.timestamp + 1 days;
        (uint8 v0, bytes32 r0, bytes32 s0) = _permitSig(permitBuyerKey, permitBuyer, address(market), 1, permitDeadline);
        usdc.permit(permitBuyer, address(market), 1, permitDeadline, v0, r0, s0);
        (permitV, permitR, permitS) = _permitSig(permitBuyerKey, permitBuyer, address(market), BUDGET, permitDeadline);

        // One job in each status an operation starts from (buyer2 keeps an unlimited approval).
        openJob = _submit(buyer2, _defaultSpec(), BUDGET);
        openExternalJob = _submit(buyer2, _defaultSpec(), BUDGET);
        DataTypes.JobSpec memory manual = _defaultSpec();
        manual.autoAccept = false;
        routedJob = _submit(buyer2, manual, BUDGET);
        _commitOnChainRoute(routedJob, provider, offerId);
        acceptedJob = _submit(buyer2, _defaultSpec(), BUDGET);
        _commitOnChainRoute(acceptedJob, provider, offerId);
        runningJob = _startedJob();
        runningJobToCancel = _startedJob();
        completedJob = _startedJob();
        // A buyer never credited before (its first refund is a first write to its balance).
        _fund(newBuyer);
        newBuyerCompletedJob = _submit(newBuyer, _defaultSpec(), BUDGET);
        _commitOnChainRoute(newBuyerCompletedJob, provider, offerId);
        vm.prank(provider);
        market.startJob(newBuyerCompletedJob);
        skip(1 hours);
        vm.prank(provider);
        market.completeJob(completedJob, keccak256("result"));
        vm.prank(provider);
        market.completeJob(newBuyerCompletedJob, keccak256("result"));
        skip(10 minutes);
    }

    function _settledJob() internal {
        uint256 jobId = _submit(buyer, _defaultSpec(), BUDGET);
        _commitOnChainRoute(jobId, provider, offerId);
        vm.prank(provider);
        market.startJob(jobId);
        skip(1 hours);
        vm.prank(provider);
        market.completeJob(jobId, keccak256("result"));
        vm.prank(buyer);
        market.confirmJob(jobId);
    }

    function _startedJob() internal returns (uint256 jobId) {
        jobId = _submit(buyer2, _defaultSpec(), BUDGET);
        _commitOnChainRoute(jobId, provider, offerId);
        vm.prank(provider);
        market.startJob(jobId);
    }

    /*//////////////////////////////////////////////////////////////
                                 BUYER
    //////////////////////////////////////////////////////////////*/

    function test_Gas_SubmitJob() external {
        DataTypes.JobSpec memory spec = _defaultSpec();
        vm.prank(buyer);
        market.submitJob(spec, BUDGET);
        vm.snapshotGasLastCall("submitJob");
    }

    function test_Gas_SubmitJob_Untracked() external {
        DataTypes.JobSpec memory spec = _defaultSpec();
        spec.tracked = false;
        spec.document = "";
        vm.prank(buyer);
        market.submitJob(spec, BUDGET);
        vm.snapshotGasLastCall("submitJob_untracked");
    }

    function test_Gas_SubmitJobWithPermit() external {
        DataTypes.JobSpec memory spec = _defaultSpec();
        vm.prank(permitBuyer);
        market.submitJobWithPermit(spec, BUDGET, permitDeadline, permitV, permitR, permitS);
        vm.snapshotGasLastCall("submitJobWithPermit");
    }

    function test_Gas_AcceptRoute() external {
        vm.prank(buyer2);
        market.acceptRoute(routedJob);
        vm.snapshotGasLastCall("acceptRoute");
    }

    function test_Gas_Settle() external {
        vm.prank(buyer2);
        market.confirmJob(completedJob);
        vm.snapshotGasLastCall("settle");
    }

    function test_Gas_Settle_FirstCredit() external {
        vm.prank(newBuyer);
        market.confirmJob(newBuyerCompletedJob);
        vm.snapshotGasLastCall("settle_firstCredit");
    }

    function test_Gas_CancelJob_Running() external {
        vm.prank(buyer2);
        market.cancelJob(runningJobToCancel);
        vm.snapshotGasLastCall("cancelJob_running");
    }

    function test_Gas_TopUp() external {
        vm.prank(buyer2);
        market.topUp(runningJob, BUDGET / 2, uint32(DURATION / 2));
        vm.snapshotGasLastCall("topUp");
    }

    /*//////////////////////////////////////////////////////////////
                            KEEPER, PROVIDER
    //////////////////////////////////////////////////////////////*/

    function test_Gas_CommitRoute() external {
        DataTypes.RouteInput memory route = _onChainRoute(provider, offerId, PRICE);
        vm.prank(keeper);
        market.commitRoute(openJob, route);
        vm.snapshotGasLastCall("commitRoute");
    }

    function test_Gas_CommitRoute_External() external {
        DataTypes.RouteInput memory route = _externalRoute(AKASH, AKASH_PROVIDER, PRICE);
        vm.prank(keeper);
        market.commitRoute(openExternalJob, route);
        vm.snapshotGasLastCall("commitRoute_external");
    }

    function test_Gas_StartJob() external {
        vm.prank(provider);
        market.startJob(acceptedJob);
        vm.snapshotGasLastCall("startJob");
    }

    function test_Gas_CompleteJob() external {
        vm.prank(provider);
        market.completeJob(runningJob, keccak256("result"));
        vm.snapshotGasLastCall("completeJob");
    }

    /*//////////////////////////////////////////////////////////////
                              ESCROW, REGISTRY
    //////////////////////////////////////////////////////////////*/

    function test_Gas_Withdraw() external {
        vm.prank(provider);
        market.withdraw();
        vm.snapshotGasLastCall("withdraw");
    }

    function test_Gas_RegisterProvider() external {
        vm.prank(newProvider);
        providerRegistry.registerProvider("Provider", "ipfs://provider", "us-east", newProvider);
        vm.snapshotGasLastCall("registerProvider");
    }

    function test_Gas_ListOffer() external {
        DataTypes.OfferInput memory offer = _offerInput(PRICE);
        vm.prank(provider2);
        providerRegistry.listOffer(offer);
        vm.snapshotGasLastCall("listOffer");
    }
}
