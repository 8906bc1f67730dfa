// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Errors} from "../../src/libraries/Errors.sol";
import {DataTypes} from "../../src/types/DataTypes.sol";
import {Base} from "../Base.t.sol";

/// @title TeamCapFuzzTest
/// @notice Team spending caps across periods: a sequence of team jobs with random budgets and random gaps is accepted
/// exactly while the period's spend stays within the cap, spend restarts each period, and refunds are credited back
/// only within the period the job was counted in.
contract TeamCapFuzzTest is Base {
    uint256 internal teamId;

    function _team(uint128 cap, uint32 period) internal returns (uint128, uint32) {
        cap = uint128(bound(cap, BUDGET, 1000 * BUDGET));
        period = uint32(bound(period, 1 hours, 30 days));
        vm.prank(buyer);
        teamId = teamRegistry.createTeam("team", cap, period);
        vm.prank(buyer);
        teamRegistry.addMember(teamId, buyer2);
        return (cap, period);
    }

    function _teamSpec() internal view returns (DataTypes.JobSpec memory spec) {
        spec = _defaultSpec();
        spec.teamId = uint32(teamId);
    }

    function testFuzz_TeamCap_AcrossPeriods(
        uint128 cap,
        uint32 period,
        uint256[8] memory budgets,
        uint256[8] memory gaps
    ) external {
        (cap, period) = _team(cap, period);
        uint256 periodStart = block.timestamp;
        uint256 spent;
        for (uint256 i; i < budgets.length; ++i) {
            skip(bound(gaps[i], 0, uint256(period) * 2));
            if (block.timestamp >= periodStart + period) {
                periodStart += (block.timestamp - periodStart) / period * period;
                spent = 0;
            }
            uint256 budget = bound(budgets[i], BUDGET, uint256(cap) / 2 + BUDGET);
            address member = i % 2 == 0 ? buyer : buyer2;
            if (spent + budget > cap) {
                vm.expectRevert(
                    abi.encodeWithSelector(Errors.TeamRegistry_CapExceeded.selector, teamId, spent, budget, cap)
                );
                _submit(member, _teamSpec(), budget);
            } else {
                _submit(member, _teamSpec(), budget);
                spent += budget;
            }
            DataTypes.Team memory team = teamRegistry.getTeam(teamId);
            assertEq(team.spentInPeriod, spent, "spent in period");
            assertEq(team.periodStart, periodStart, "period start");
            assertLe(team.spentInPeriod, team.spendingCap, "over the cap");
        }
    }

    /// @dev A refund (cancel) in the same period frees the cap; in a later period it does not touch the new spend.
    function testFuzz_TeamCap_RefundCreditsCurrentPeriodOnly(uint128 cap, uint32 period, bool cancelLater) external {
        (cap, period) = _team(cap, period);
        uint256 jobId = _submit(buyer, _teamSpec(), BUDGET);
        if (cancelLater) {
            skip(period);
            _submit(buyer2, _teamSpec(), BUDGET);
        }
        vm.prank(buyer);
        market.cancelJob(jobId);
        assertEq(teamRegistry.getTeam(teamId).spentInPeriod, cancelLater ? BUDGET : 0);
    }

    function testFuzz_TeamCap_TopUpCounts(uint128 cap, uint256 amount) external {
        (cap,) = _team(cap, 1 days);
        uint256 jobId = _submit(buyer, _teamSpec(), BUDGET);
        amount = bound(amount, 1, uint256(cap));
        vm.prank(buyer);
        if (BUDGET + amount > cap) {
            vm.expectRevert(
                abi.encodeWithSelector(Errors.TeamRegistry_CapExceeded.selector, teamId, BUDGET, amount, cap)
            );
            market.topUp(jobId, amount, 0);
        } else {
            market.topUp(jobId, amount, 0);
            assertEq(teamRegistry.getTeam(teamId).spentInPeriod, BUDGET + amount);
        }
    }

    function testFuzz_RevertWhen_NotTeamMember(address outsider) external {
        vm.assume(outsider != buyer && outsider != buyer2 && outsider != address(0));
        _team(0, 0);
        usdc.faucet(outsider, BUDGET);
        vm.prank(outsider);
        usdc.approve(address(market), BUDGET);
        vm.expectRevert(abi.encodeWithSelector(Errors.TeamRegistry_NotMember.selector, teamId, outsider));
        _submit(outsider, _teamSpec(), BUDGET);
    }
}
