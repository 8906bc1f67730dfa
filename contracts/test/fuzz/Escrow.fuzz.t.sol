// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Errors} from "../../src/libraries/Errors.sol";
import {DataTypes} from "../../src/types/DataTypes.sol";
import {Base} from "../Base.t.sol";

/// @title EscrowFuzzTest
/// @notice Budget checks and the money math of every way a job ends, over prices, GPU counts, durations, elapsed
/// times, fees and dispute shares: payout + fee + refund == balance, payout + fee == the amount due (≤ balance), fee ==
/// due × feeBps / 10,000, and the credited balances move by exactly those amounts.
contract EscrowFuzzTest is Base {
    uint48 internal constant MAX_FUZZ_PRICE = 1_000_000e6; // 1M USDC per GPU-hour
    uint16 internal constant MAX_FUZZ_GPUS = 1024;
    uint32 internal constant MAX_FUZZ_DURATION = 90 days;

    uint256 internal offerIdForReprice;

    /// @dev A job's shape after bounding.
    struct Shape {
        uint48 price;
        uint48 maxPrice;
        uint16 gpuCount;
        uint32 duration;
        uint256 budget;
    }

    function _shape(uint48 price, uint48 maxExtra, uint16 gpuCount, uint32 duration, uint256 extraBudget)
        internal
        pure
        returns (Shape memory s)
    {
        s.price = uint48(bound(price, 1, MAX_FUZZ_PRICE));
        s.maxPrice =
            uint48(bound(uint256(s.price) + bound(maxExtra, 0, MAX_FUZZ_PRICE), s.price, 2 * uint256(MAX_FUZZ_PRICE)));
        s.gpuCount = uint16(bound(gpuCount, 1, MAX_FUZZ_GPUS));
        s.duration = uint32(bound(duration, 1, MAX_FUZZ_DURATION));
        uint256 required = (uint256(s.maxPrice) * s.gpuCount * s.duration + 3599) / 3600;
        s.budget = required + bound(extraBudget, 0, required);
    }

    function _spec(Shape memory s) internal pure returns (DataTypes.JobSpec memory spec) {
        spec = _defaultSpec();
        spec.maxPricePerGpuHour = s.maxPrice;
        spec.gpuCount = s.gpuCount;
        spec.duration = s.duration;
    }

    function _setFee(uint16 feeBps) internal returns (uint16) {
        feeBps = uint16(bound(feeBps, 0, 1000));
        vm.prank(admin);
        market.setProtocolFee(feeBps);
        return feeBps;
    }

    /// @dev Submits `s` for `buyer`, routes it to `provider` at `s.price` and starts it.
    function _runningJob(Shape memory s) internal returns (uint256 jobId) {
        _registerProvider(provider);
        DataTypes.OfferInput memory offer = _offerInput(s.price);
        offer.gpuCount = s.gpuCount;
        vm.prank(provider);
        uint256 offerId = providerRegistry.listOffer(offer);
        deal(address(usdc), buyer, s.budget);
        jobId = _submit(buyer, _spec(s), s.budget);
        _commitOnChainRoute(jobId, provider, offerId);
        vm.prank(provider);
        market.startJob(jobId);
    }

    function _assertSplit(
        uint256 jobId,
        Shape memory s,
        uint256 expectedDue,
        uint16 feeBps,
        uint256 providerBefore,
        uint256 buyerBefore,
        uint256 feesBefore
    ) internal view {
        uint256 fee = expectedDue * feeBps / 10_000;
        uint256 payout = expectedDue - fee;
        uint256 refund = s.budget - expectedDue;
        assertLe(expectedDue, s.budget, "due above balance");
        assertEq(market.withdrawable(provider) - providerBefore, payout, "payout");
        assertEq(market.accruedFees() - feesBefore, fee, "fee");
        assertEq(market.withdrawable(buyer) - buyerBefore, refund, "refund");
        assertEq(payout + fee + refund, s.budget, "payout + fee + refund != balance");
        assertEq(market.getJob(jobId).balance, 0, "job keeps a balance");
        assertEq(
            usdc.balanceOf(address(market)),
            market.withdrawable(provider) + market.withdrawable(buyer) + market.accruedFees()
        );
    }

    /*//////////////////////////////////////////////////////////////
                                 BUDGET
    //////////////////////////////////////////////////////////////*/

    function testFuzz_SubmitJob_BudgetCheck(uint48 maxPrice, uint16 gpuCount, uint32 duration, uint256 budget)
        external
    {
        maxPrice = uint48(bound(maxPrice, 1, type(uint48).max));
        gpuCount = uint16(bound(gpuCount, 1, type(uint16).max));
        duration = uint32(bound(duration, 1, type(uint32).max));
        uint256 required = (uint256(maxPrice) * gpuCount * duration + 3599) / 3600;
        // Around the threshold half of the time, anywhere below 2^64 (a job balance's width) otherwise.
        budget = budget % 2 == 0
            ? bound(budget, required > 10 ? required - 10 : 0, required + 10)
            : bound(budget, 0, type(uint64).max);
        DataTypes.JobSpec memory spec = _defaultSpec();
        (spec.maxPricePerGpuHour, spec.gpuCount, spec.duration) = (maxPrice, gpuCount, duration);
        deal(address(usdc), buyer, budget);

        if (budget < required) {
            vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_InsufficientBudget.selector, budget, required));
            _submit(buyer, spec, budget);
        } else if (budget > type(uint64).max) {
            vm.expectRevert(Errors.JobMarket_Overflow.selector);
            _submit(buyer, spec, budget);
        } else {
            uint256 jobId = _submit(buyer, spec, budget);
            assertEq(market.getJob(jobId).balance, budget);
            assertEq(usdc.balanceOf(address(market)), budget);
            assertEq(usdc.balanceOf(buyer), 0);
        }
    }

    function testFuzz_RevertWhen_BudgetAboveUint64(uint256 budget) external {
        budget = bound(budget, uint256(type(uint64).max) + 1, type(uint256).max);
        vm.expectRevert(Errors.JobMarket_Overflow.selector);
        _submit(buyer, _defaultSpec(), budget);
    }

    /*//////////////////////////////////////////////////////////////
                              CANCEL, SETTLE
    //////////////////////////////////////////////////////////////*/

    function testFuzz_CancelJob_Running_ProRata(
        uint48 price,
        uint48 maxExtra,
        uint16 gpuCount,
        uint32 duration,
        uint256 extraBudget,
        uint256 elapsed,
        uint16 feeBps
    ) external {
        Shape memory s = _shape(price, maxExtra, gpuCount, duration, extraBudget);
        feeBps = _setFee(feeBps);
        uint256 jobId = _runningJob(s);
        elapsed = bound(elapsed, 0, uint256(s.duration) * 2);
        skip(elapsed);
        uint256 billed = elapsed < s.duration ? elapsed : s.duration;
        uint256 due = _due(s.price, s.gpuCount, billed);
        assertEq(market.amountDue(jobId), due, "amountDue view");

        vm.prank(buyer);
        market.cancelJob(jobId);
        _assertSplit(jobId, s, due, feeBps, 0, 0, 0);
        assertEq(uint8(market.getJob(jobId).status), uint8(DataTypes.JobStatus.Cancelled));
    }

    function testFuzz_CancelJob_BeforeStart_FullRefund(uint8 stage, uint256 extraBudget) external {
        Shape memory s = _shape(PRICE, 0, GPU_COUNT, DURATION, extraBudget);
        _registerProvider(provider);
        uint256 offerId = _listOffer(provider, s.price);
        deal(address(usdc), buyer, s.budget);
        DataTypes.JobSpec memory spec = _spec(s);
        stage = uint8(bound(stage, 0, 2));
        spec.autoAccept = stage == 2;
        uint256 jobId = _submit(buyer, spec, s.budget);
        if (stage > 0) _commitOnChainRoute(jobId, provider, offerId);
        vm.prank(buyer);
        market.cancelJob(jobId);
        assertEq(market.withdrawable(buyer), s.budget);
        assertEq(market.withdrawable(provider), 0);
        assertEq(market.accruedFees(), 0);
    }

    function testFuzz_Settle(
        uint48 price,
        uint48 maxExtra,
        uint16 gpuCount,
        uint32 duration,
        uint256 extraBudget,
        uint256 runTime,
        uint16 feeBps,
        uint256 settleDelay,
        bool byBuyer
    ) external {
        Shape memory s = _shape(price, maxExtra, gpuCount, duration, extraBudget);
        feeBps = _setFee(feeBps);
        uint256 jobId = _runningJob(s);
        runTime = bound(runTime, 0, uint256(s.duration) * 2);
        skip(runTime);
        vm.prank(provider);
        market.completeJob(jobId, keccak256("result"));
        uint256 due = _due(s.price, s.gpuCount, runTime < s.duration ? runTime : s.duration);
        // Time after completion does not count.
        skip(bound(settleDelay, DISPUTE_WINDOW, 365 days));
        assertEq(market.amountDue(jobId), due);
        if (byBuyer) {
            vm.prank(buyer);
            market.confirmJob(jobId);
        } else {
            vm.prank(stranger);
            market.settleJob(jobId);
        }
        _assertSplit(jobId, s, due, feeBps, 0, 0, 0);
        assertEq(uint8(market.getJob(jobId).status), uint8(DataTypes.JobStatus.Settled));
    }

    function testFuzz_RevertWhen_SettleInsideDisputeWindow(uint256 delay) external {
        uint256 jobId = _completedOnChainJob(1 hours);
        delay = bound(delay, 0, DISPUTE_WINDOW - 1);
        skip(delay);
        vm.expectPartialRevert(Errors.JobMarket_DisputeWindowOpen.selector);
        vm.prank(stranger);
        market.settleJob(jobId);
    }

    function testFuzz_ResolveDispute(
        uint48 price,
        uint16 gpuCount,
        uint32 duration,
        uint256 extraBudget,
        uint256 runTime,
        uint16 shareBps,
        uint16 feeBps,
        bool whileRunning
    ) external {
        Shape memory s = _shape(price, 0, gpuCount, duration, extraBudget);
        feeBps = _setFee(feeBps);
        shareBps = uint16(bound(shareBps, 0, 10_000));
        uint256 jobId = _runningJob(s);
        runTime = bound(runTime, 0, uint256(s.duration) * 2);
        skip(runTime);
        if (!whileRunning) {
            vm.prank(provider);
            market.completeJob(jobId, bytes32(0));
        }
        vm.prank(buyer);
        market.disputeJob(jobId, keccak256("reason"));
        // The billing clock stopped at the dispute (or completion).
        skip(7 days);
        uint256 due = _due(s.price, s.gpuCount, runTime < s.duration ? runTime : s.duration);
        uint256 providerAmount = due * shareBps / 10_000;
        vm.prank(arbiter);
        market.resolveDispute(jobId, shareBps);
        _assertSplit(jobId, s, providerAmount, feeBps, 0, 0, 0);
        assertEq(uint8(market.getJob(jobId).status), uint8(DataTypes.JobStatus.Resolved));
    }

    function testFuzz_RevertWhen_DisputeShareAbove10000(uint16 shareBps) external {
        shareBps = uint16(bound(shareBps, 10_001, type(uint16).max));
        uint256 jobId = _runningOnChainJob();
        vm.prank(buyer);
        market.disputeJob(jobId, bytes32(0));
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_InvalidBps.selector, shareBps));
        vm.prank(arbiter);
        market.resolveDispute(jobId, shareBps);
    }

    function testFuzz_ExpireJob_FullRefund(uint256 late, uint256 extraBudget) external {
        Shape memory s = _shape(PRICE, 0, GPU_COUNT, DURATION, extraBudget);
        deal(address(usdc), buyer, s.budget);
        uint256 jobId = _submit(buyer, _spec(s), s.budget);
        skip(DEFAULT_START_BY + bound(late, 1, 365 days));
        vm.prank(stranger);
        market.expireJob(jobId);
        assertEq(market.withdrawable(buyer), s.budget);
        assertEq(usdc.balanceOf(address(market)), s.budget);
    }

    function testFuzz_RevertWhen_ExpireBeforeStartBy(uint256 early) external {
        uint256 jobId = _submitDefault();
        skip(bound(early, 0, DEFAULT_START_BY));
        vm.expectPartialRevert(Errors.JobMarket_NotExpired.selector);
        market.expireJob(jobId);
    }

    /*//////////////////////////////////////////////////////////////
                                 TOP-UP
    //////////////////////////////////////////////////////////////*/

    function testFuzz_TopUp(uint256 amount, uint32 extraDuration, uint256 runTime, uint16 feeBps) external {
        feeBps = _setFee(feeBps);
        Shape memory s = _shape(PRICE, MAX_PRICE - PRICE, GPU_COUNT, DURATION, 0);
        uint256 jobId = _runningJob(s);
        extraDuration = uint32(bound(extraDuration, 0, 30 days));
        uint256 newDuration = uint256(s.duration) + extraDuration;
        uint256 required = (uint256(s.maxPrice) * s.gpuCount * newDuration + 3599) / 3600;
        amount = bound(amount, 1, 2 * required);
        deal(address(usdc), buyer, amount);
        vm.startPrank(buyer);
        if (s.budget + amount < required) {
            vm.expectRevert(
                abi.encodeWithSelector(Errors.JobMarket_InsufficientBudget.selector, s.budget + amount, required)
            );
            market.topUp(jobId, amount, extraDuration);
            vm.stopPrank();
            return;
        }
        market.topUp(jobId, amount, extraDuration);
        vm.stopPrank();
        DataTypes.Job memory job = market.getJob(jobId);
        assertEq(job.balance, s.budget + amount);
        assertEq(job.duration, newDuration);

        // Run past the new end: billing is capped at the extended duration, the rest refunded.
        runTime = bound(runTime, 0, 2 * newDuration);
        skip(runTime);
        vm.prank(provider);
        market.completeJob(jobId, bytes32(0));
        vm.prank(buyer);
        market.confirmJob(jobId);
        s.budget += amount;
        _assertSplit(
            jobId, s, _due(s.price, s.gpuCount, runTime < newDuration ? runTime : newDuration), feeBps, 0, 0, 0
        );
    }

    /*//////////////////////////////////////////////////////////////
                              PRICE UPDATES
    //////////////////////////////////////////////////////////////*/

    /// @dev A reprice before the route changes what the keeper must quote; a reprice after it changes nothing for the
    /// job, which bills at its route's price.
    function testFuzz_RepriceOffer(uint48 newPrice, uint48 laterPrice, uint256 runTime) external {
        newPrice = uint48(bound(newPrice, 1, 10 * uint256(MAX_PRICE)));
        laterPrice = uint48(bound(laterPrice, 1, type(uint40).max));
        offerIdForReprice = _setUpProvider(provider);
        uint256 jobId = _submitDefault();
        vm.prank(provider);
        providerRegistry.repriceOffer(offerIdForReprice, newPrice);
        assertEq(providerRegistry.getOffer(offerIdForReprice).pricePerGpuHour, newPrice);

        if (newPrice != PRICE && PRICE <= MAX_PRICE) {
            vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_PriceMismatch.selector, PRICE, newPrice));
            vm.prank(keeper);
            market.commitRoute(jobId, _onChainRoute(provider, offerIdForReprice, PRICE));
        }
        if (newPrice > MAX_PRICE) {
            vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_PriceAboveMax.selector, newPrice, MAX_PRICE));
            vm.prank(keeper);
            market.commitRoute(jobId, _onChainRoute(provider, offerIdForReprice, newPrice));
            return;
        }
        _commitOnChainRoute(jobId, provider, offerIdForReprice);
        assertEq(market.getJob(jobId).pricePerGpuHour, newPrice);

        vm.prank(provider);
        providerRegistry.repriceOffer(offerIdForReprice, laterPrice);
        vm.prank(provider);
        market.startJob(jobId);
        runTime = bound(runTime, 0, 2 * DURATION);
        skip(runTime);
        assertEq(market.amountDue(jobId), _due(newPrice, GPU_COUNT, runTime < DURATION ? runTime : DURATION));
    }

    function test_RevertWhen_RepriceToZero() external {
        uint256 offerId = _setUpProvider(provider);
        vm.expectRevert(Errors.ProviderRegistry_InvalidOffer.selector);
        vm.prank(provider);
        providerRegistry.repriceOffer(offerId, 0);
    }

    function testFuzz_RevertWhen_ProtocolFeeAboveMax(uint16 feeBps) external {
        feeBps = uint16(bound(feeBps, 1001, type(uint16).max));
        vm.expectRevert(abi.encodeWithSelector(Errors.JobMarket_InvalidBps.selector, feeBps));
        vm.prank(admin);
        market.setProtocolFee(feeBps);
    }
}
