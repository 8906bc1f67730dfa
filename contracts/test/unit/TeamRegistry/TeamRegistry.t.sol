// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IAccessManaged} from "@openzeppelin/contracts/access/manager/IAccessManaged.sol";

import {Base} from "../../Base.t.sol";
import {ITeamRegistry} from "../../../src/interfaces/ITeamRegistry.sol";
import {Roles} from "../../../src/libraries/Roles.sol";
import {Errors} from "../../../src/libraries/Errors.sol";
import {DataTypes} from "../../../src/types/DataTypes.sol";

contract TeamRegistry_Unit_Test is Base {
    uint128 internal constant CAP = 100e6;
    uint32 internal constant PERIOD = 30 days;
    uint256 internal teamId;
    address internal owner = makeAddr("owner");
    address internal member = makeAddr("member");

    function setUp() public override {
        super.setUp();
        vm.prank(owner);
        teamId = teamRegistry.createTeam("ml", CAP, PERIOD);
    }

    /// @dev Calls made by the JobMarket, which holds the MARKET role.
    modifier whenCallerIsMarket() {
        vm.startPrank(address(market));
        _;
        vm.stopPrank();
    }

    function test_CreateTeam() public {
        vm.expectEmit(address(teamRegistry));
        emit ITeamRegistry.TeamCreated(2, member, "infra", 0, 0);
        vm.expectEmit(address(teamRegistry));
        emit ITeamRegistry.TeamMemberAdded(2, member);
        vm.prank(member);
        assertEq(teamRegistry.createTeam("infra", 0, 0), 2);
        assertEq(teamRegistry.teamCount(), 2);
        DataTypes.Team memory team = teamRegistry.getTeam(teamId);
        assertEq(team.owner, owner);
        assertEq(team.spendingCap, CAP);
        assertEq(team.period, PERIOD);
        assertEq(team.periodStart, block.timestamp);
        assertTrue(teamRegistry.isMember(teamId, owner), "owner is a member");
    }

    function test_RevertWhen_CreateTeamInvalid() public {
        vm.expectRevert(Errors.InvalidString.selector);
        teamRegistry.createTeam("", 0, 0);
        vm.expectRevert(Errors.InvalidString.selector);
        teamRegistry.createTeam(string(new bytes(65)), 0, 0);
        vm.expectRevert(Errors.TeamRegistry_InvalidPeriod.selector);
        teamRegistry.createTeam("ml", 1, 0);
    }

    function test_AddRemoveMember() public {
        vm.expectEmit(address(teamRegistry));
        emit ITeamRegistry.TeamMemberAdded(teamId, member);
        vm.prank(owner);
        teamRegistry.addMember(teamId, member);
        assertTrue(teamRegistry.isMember(teamId, member));
        vm.expectEmit(address(teamRegistry));
        emit ITeamRegistry.TeamMemberRemoved(teamId, member);
        vm.prank(owner);
        teamRegistry.removeMember(teamId, member);
        assertFalse(teamRegistry.isMember(teamId, member));
    }

    function test_RevertWhen_MemberChangesInvalid() public {
        vm.startPrank(owner);
        vm.expectRevert(Errors.ZeroAddress.selector);
        teamRegistry.addMember(teamId, address(0));
        vm.expectRevert(abi.encodeWithSelector(Errors.TeamRegistry_AlreadyMember.selector, teamId, owner));
        teamRegistry.addMember(teamId, owner);
        vm.expectRevert(abi.encodeWithSelector(Errors.TeamRegistry_CannotRemoveOwner.selector, teamId));
        teamRegistry.removeMember(teamId, owner);
        vm.expectRevert(abi.encodeWithSelector(Errors.TeamRegistry_NotMember.selector, teamId, member));
        teamRegistry.removeMember(teamId, member);
        vm.stopPrank();
    }

    function test_RevertWhen_CallerNotOwner() public {
        vm.startPrank(stranger);
        vm.expectRevert(abi.encodeWithSelector(Errors.TeamRegistry_NotOwner.selector, teamId, stranger));
        teamRegistry.addMember(teamId, member);
        vm.expectRevert(abi.encodeWithSelector(Errors.TeamRegistry_NotOwner.selector, teamId, stranger));
        teamRegistry.setSpendingCap(teamId, 0, 0);
        vm.stopPrank();
    }

    function test_RevertGiven_UnknownTeam() public {
        vm.expectRevert(abi.encodeWithSelector(Errors.TeamRegistry_UnknownTeam.selector, 9));
        teamRegistry.addMember(9, member);
        vm.expectRevert(abi.encodeWithSelector(Errors.TeamRegistry_UnknownTeam.selector, 9));
        teamRegistry.getTeam(9);
        vm.prank(address(market));
        vm.expectRevert(abi.encodeWithSelector(Errors.TeamRegistry_UnknownTeam.selector, 9));
        teamRegistry.recordSpend(9, 1, owner, 1);
    }

    function test_SetSpendingCap_RestartsPeriod() public whenCallerIsMarket {
        teamRegistry.recordSpend(teamId, 1, owner, 10e6);
        vm.stopPrank();
        skip(1 days);
        vm.expectEmit(address(teamRegistry));
        emit ITeamRegistry.TeamSpendingCapSet(teamId, 50e6, 7 days);
        vm.prank(owner);
        teamRegistry.setSpendingCap(teamId, 50e6, 7 days);
        DataTypes.Team memory team = teamRegistry.getTeam(teamId);
        assertEq(team.spendingCap, 50e6);
        assertEq(team.period, 7 days);
        assertEq(team.periodStart, block.timestamp);
        assertEq(team.spentInPeriod, 0);
        vm.prank(owner);
        vm.expectRevert(Errors.TeamRegistry_InvalidPeriod.selector);
        teamRegistry.setSpendingCap(teamId, 1, 0);
        vm.startPrank(address(market));
    }

    function test_TransferTeamOwnership() public {
        vm.startPrank(owner);
        vm.expectRevert(abi.encodeWithSelector(Errors.TeamRegistry_NotMember.selector, teamId, member));
        teamRegistry.transferTeamOwnership(teamId, member);
        teamRegistry.addMember(teamId, member);
        vm.expectEmit(address(teamRegistry));
        emit ITeamRegistry.TeamOwnershipTransferred(teamId, owner, member);
        teamRegistry.transferTeamOwnership(teamId, member);
        vm.stopPrank();
        assertEq(teamRegistry.getTeam(teamId).owner, member);
        vm.prank(member);
        teamRegistry.removeMember(teamId, owner);
    }

    /*//////////////////////////////////////////////////////////////
                                 SPEND
    //////////////////////////////////////////////////////////////*/

    function test_RecordSpend_UpToCap() public whenCallerIsMarket {
        vm.expectEmit(address(teamRegistry));
        emit ITeamRegistry.TeamSpendRecorded(teamId, 1, owner, 60e6, uint64(block.timestamp), 60e6);
        teamRegistry.recordSpend(teamId, 1, owner, 60e6);
        teamRegistry.recordSpend(teamId, 2, owner, 40e6);
        assertEq(teamRegistry.getTeam(teamId).spentInPeriod, CAP);
        vm.expectRevert(abi.encodeWithSelector(Errors.TeamRegistry_CapExceeded.selector, teamId, CAP, 1, CAP));
        teamRegistry.recordSpend(teamId, 3, owner, 1);
    }

    function test_RecordSpend_PeriodRolls() public whenCallerIsMarket {
        uint256 start = block.timestamp;
        teamRegistry.recordSpend(teamId, 1, owner, CAP);
        skip(PERIOD * 2 + 5);
        DataTypes.Team memory team = teamRegistry.getTeam(teamId);
        assertEq(team.periodStart, start + PERIOD * 2, "rolled to the current window");
        assertEq(team.spentInPeriod, 0);
        teamRegistry.recordSpend(teamId, 2, owner, CAP);
        // The old job's period is over: its refund no longer credits the team.
        teamRegistry.releaseSpend(teamId, 1, CAP);
        assertEq(teamRegistry.getTeam(teamId).spentInPeriod, CAP);
    }

    function test_RecordSpend_NoCapTracksSpend() public {
        vm.prank(member);
        uint256 free = teamRegistry.createTeam("free", 0, 0);
        vm.startPrank(address(market));
        teamRegistry.recordSpend(free, 1, member, 1e12);
        skip(365 days);
        teamRegistry.recordSpend(free, 1, member, 1e12);
        vm.stopPrank();
        assertEq(teamRegistry.getTeam(free).spentInPeriod, 2e12);
        (, uint128 counted) = teamRegistry.jobSpend(free, address(market), 1);
        assertEq(counted, 2e12);
    }

    function test_RecordSpend_TopUpInLaterPeriodCountsOnlyNewPart() public whenCallerIsMarket {
        teamRegistry.recordSpend(teamId, 1, owner, 10e6);
        skip(PERIOD);
        teamRegistry.recordSpend(teamId, 1, owner, 5e6);
        (uint64 periodStart, uint128 counted) = teamRegistry.jobSpend(teamId, address(market), 1);
        assertEq(periodStart, block.timestamp);
        assertEq(counted, 5e6);
        teamRegistry.releaseSpend(teamId, 1, 15e6);
        assertEq(teamRegistry.getTeam(teamId).spentInPeriod, 0);
    }

    function test_RevertWhen_RecordSpendForNonMember() public whenCallerIsMarket {
        vm.expectRevert(abi.encodeWithSelector(Errors.TeamRegistry_NotMember.selector, teamId, stranger));
        teamRegistry.recordSpend(teamId, 1, stranger, 1);
    }

    function test_ReleaseSpend_CreditsBack() public whenCallerIsMarket {
        teamRegistry.recordSpend(teamId, 1, owner, 60e6);
        vm.expectEmit(address(teamRegistry));
        emit ITeamRegistry.TeamSpendReleased(teamId, 1, 20e6, 40e6);
        teamRegistry.releaseSpend(teamId, 1, 20e6);
        // Never more than the job counted.
        teamRegistry.releaseSpend(teamId, 1, 100e6);
        assertEq(teamRegistry.getTeam(teamId).spentInPeriod, 0);
        vm.recordLogs();
        teamRegistry.releaseSpend(teamId, 1, 1);
        assertEq(vm.getRecordedLogs().length, 0, "nothing left to credit");
    }

    function test_ReleaseSpend_CappedBySpentAfterRestart() public whenCallerIsMarket {
        teamRegistry.recordSpend(teamId, 1, owner, 60e6);
        teamRegistry.recordSpend(teamId, 2, owner, 10e6);
        vm.stopPrank();
        vm.prank(owner);
        teamRegistry.setSpendingCap(teamId, CAP, PERIOD); // restarts now; same timestamp
        vm.startPrank(address(market));
        teamRegistry.recordSpend(teamId, 3, owner, 5e6);
        teamRegistry.releaseSpend(teamId, 1, 60e6);
        assertEq(teamRegistry.getTeam(teamId).spentInPeriod, 0, "credit capped at the period's spend");
    }

    function test_RevertWhen_RecordSpendCallerNotMarket() public {
        vm.expectRevert(abi.encodeWithSelector(IAccessManaged.AccessManagedUnauthorized.selector, stranger));
        vm.prank(stranger);
        teamRegistry.recordSpend(teamId, 1, owner, 1);
    }

    /// @dev Releasing needs no role, but a caller only releases what it recorded: a stranger credits nothing back.
    function test_ReleaseSpend_StrangerReleasesNothing() public {
        vm.prank(address(market));
        teamRegistry.recordSpend(teamId, 1, owner, 60e6);
        vm.recordLogs();
        vm.prank(stranger);
        teamRegistry.releaseSpend(teamId, 1, 60e6);
        assertEq(vm.getRecordedLogs().length, 0);
        assertEq(teamRegistry.getTeam(teamId).spentInPeriod, 60e6);
    }

    /// @dev Two markets both number jobs from 1: one market's release never credits back the other's spend.
    function test_ReleaseSpend_KeyedByMarket() public {
        address marketV2 = makeAddr("marketV2");
        vm.prank(admin);
        manager.grantRole(Roles.MARKET, marketV2, 0);
        vm.prank(address(market));
        teamRegistry.recordSpend(teamId, 1, owner, 60e6);
        vm.startPrank(marketV2);
        teamRegistry.recordSpend(teamId, 1, owner, 40e6);
        teamRegistry.releaseSpend(teamId, 1, 100e6);
        vm.stopPrank();
        assertEq(teamRegistry.getTeam(teamId).spentInPeriod, 60e6, "only marketV2's own 40 credited back");
        (, uint128 counted) = teamRegistry.jobSpend(teamId, address(market), 1);
        assertEq(counted, 60e6);
        vm.prank(address(market));
        teamRegistry.releaseSpend(teamId, 1, 100e6);
        assertEq(teamRegistry.getTeam(teamId).spentInPeriod, 0);
    }
}
