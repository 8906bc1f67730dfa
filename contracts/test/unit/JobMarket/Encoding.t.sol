// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Vm} from "forge-std/Vm.sol";
import {AccessManager} from "@openzeppelin/contracts/access/manager/AccessManager.sol";
import {IAccessManaged} from "@openzeppelin/contracts/access/manager/IAccessManaged.sol";

import {Base} from "../../Base.t.sol";
import {IJobMarket} from "../../../src/interfaces/IJobMarket.sol";
import {Roles} from "../../../src/libraries/Roles.sol";
import {DataTypes} from "../../../src/types/DataTypes.sol";

/// @notice The events the market logs in assembly carry exactly the bytes Solidity would encode, for every shape of
/// input, and the authority the keeper check reads follows the AccessManaged authority.
contract Encoding_Unit_Test is Base {
    /*//////////////////////////////////////////////////////////////
                            JobSpecPublished
    //////////////////////////////////////////////////////////////*/

    /// @dev A tracked spec with `models` GPU models and `regionCount` regions whose strings have lengths around the
    /// 32-byte word, and a document of `documentLength` bytes.
    function _shapedSpec(uint256 models, uint256 regionCount, uint256 documentLength)
        internal
        pure
        returns (DataTypes.JobSpec memory spec)
    {
        spec = _defaultSpec();
        uint8[5] memory lengths = [0, 1, 31, 32, 33];
        spec.gpuModels = new string[](models);
        for (uint256 i; i < models; ++i) {
            spec.gpuModels[i] = string(_filled(lengths[i % 5], 0x41));
        }
        spec.regions = new string[](regionCount);
        for (uint256 i; i < regionCount; ++i) {
            spec.regions[i] = string(_filled(lengths[(i + 2) % 5], 0x72));
        }
        spec.document = string(_filled(documentLength, 0x7b));
        spec.specHash = keccak256(bytes(spec.document));
    }

    function _filled(uint256 length, uint8 value) internal pure returns (bytes memory out) {
        out = new bytes(length);
        for (uint256 i; i < length; ++i) {
            out[i] = bytes1(value);
        }
    }

    /// @dev The data of the one JobSpecPublished log of `logs` (fails without one).
    function _specLogData(Vm.Log[] memory logs) internal pure returns (bytes memory data) {
        uint256 found;
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].topics[0] != IJobMarket.JobSpecPublished.selector) continue;
            assertEq(logs[i].topics.length, 2, "topics: signature and jobId");
            data = logs[i].data;
            ++found;
        }
        assertEq(found, 1, "one JobSpecPublished");
    }

    /// @dev Submits raw calldata as the buyer and returns the JobSpecPublished data.
    function _submitRaw(bytes memory callData) internal returns (bytes memory data) {
        vm.recordLogs();
        vm.prank(buyer);
        (bool ok,) = address(market).call(callData);
        assertTrue(ok, "submission succeeds");
        data = _specLogData(vm.getRecordedLogs());
    }

    function test_JobSpecPublished_IsTheSpecEncoding_ForEveryShape() public {
        for (uint256 models; models <= 3; ++models) {
            for (uint256 regionCount; regionCount <= 3; regionCount += 3) {
                uint16[5] memory documentLengths = [uint16(0), 1, 32, 100, 333];
                for (uint256 d; d < documentLengths.length; ++d) {
                    DataTypes.JobSpec memory spec = _shapedSpec(models, regionCount, documentLengths[d]);
                    vm.recordLogs();
                    uint256 jobId = _submit(buyer, spec, BUDGET);
                    Vm.Log[] memory logs = vm.getRecordedLogs();
                    assertEq(_specLogData(logs), abi.encode(spec), "data is abi.encode(spec)");
                    for (uint256 i; i < logs.length; ++i) {
                        if (logs[i].topics[0] == IJobMarket.JobSpecPublished.selector) {
                            assertEq(uint256(logs[i].topics[1]), jobId, "jobId topic");
                        }
                    }
                }
            }
        }
    }

    function test_JobSpecPublished_IgnoresBytesAfterTheSpec() public {
        DataTypes.JobSpec memory spec = _defaultSpec();
        bytes memory callData = abi.encodePacked(abi.encodeCall(market.submitJob, (spec, BUDGET)), hex"deadbeef00ff");
        assertEq(_submitRaw(callData), abi.encode(spec));
    }

    function test_JobSpecPublished_ReencodesDirtyPadding() public {
        DataTypes.JobSpec memory spec = _defaultSpec();
        bytes memory callData = abi.encodeCall(market.submitJob, (spec, BUDGET));
        // The document ends the calldata; its length is not a multiple of 32, so the last byte is padding.
        assertTrue(bytes(spec.document).length % 32 != 0, "the document's last word has padding");
        callData[callData.length - 1] = 0x01;
        assertEq(_submitRaw(callData), abi.encode(spec), "logged with zero padding");
    }

    function test_JobSpecPublished_ReencodesNonStandardOffsets() public {
        DataTypes.JobSpec memory spec = _defaultSpec();
        bytes memory standard = abi.encodeCall(market.submitJob, (spec, BUDGET));
        // selector, spec offset, budget, then the spec: 15 head words, then gpuModels. Insert a 32-byte gap before
        // gpuModels and move the three dynamic offsets (head words 12-14) past it.
        uint256 tuple = 4 + 64;
        uint256 gapAt = tuple + 15 * 32;
        bytes memory callData = new bytes(standard.length + 32);
        for (uint256 i; i < gapAt; ++i) {
            callData[i] = standard[i];
        }
        for (uint256 i = gapAt; i < standard.length; ++i) {
            callData[i + 32] = standard[i];
        }
        for (uint256 w = 12; w <= 14; ++w) {
            uint256 at = tuple + w * 32;
            uint256 offset;
            assembly {
                offset := mload(add(add(callData, 0x20), at))
            }
            offset += 32;
            assembly {
                mstore(add(add(callData, 0x20), at), offset)
            }
        }
        assertEq(_submitRaw(callData), abi.encode(spec), "logged in the standard encoding");
    }

    /*//////////////////////////////////////////////////////////////
                             RouteCommitted
    //////////////////////////////////////////////////////////////*/

    /// @dev The keeper's RouteCommitted log for `route` on a fresh job: its data must be Solidity's encoding.
    function _routeLog(DataTypes.RouteInput memory route) internal returns (Vm.Log memory log, uint256 jobId) {
        jobId = _submitDefault();
        vm.recordLogs();
        vm.prank(keeper);
        market.commitRoute(jobId, route);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        uint256 found;
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].topics[0] == IJobMarket.RouteCommitted.selector) {
                log = logs[i];
                ++found;
            }
        }
        assertEq(found, 1, "one RouteCommitted");
    }

    function test_RouteCommitted_External_IsSolidityEncoding_ForEveryStringLength() public {
        uint8[6] memory lengths = [1, 5, 31, 32, 33, 64];
        for (uint256 i; i < lengths.length; ++i) {
            string memory externalId = string(_filled(lengths[i], 0x61));
            DataTypes.RouteInput memory route = _externalRoute(AKASH, externalId, PRICE);
            (Vm.Log memory log, uint256 jobId) = _routeLog(route);
            uint32 startDeadline = uint32(block.timestamp + START_WINDOW);
            bytes memory expected = abi.encode(
                address(0),
                uint256(0),
                AKASH,
                externalId,
                PRICE,
                route.logRoot,
                route.decisionHash,
                route.sdlHash,
                keeper,
                true,
                startDeadline
            );
            assertEq(log.data, expected, "data");
            assertEq(log.topics.length, 4);
            assertEq(uint256(log.topics[1]), jobId, "jobId");
            assertEq(uint256(log.topics[2]), 1, "round");
            assertEq(log.topics[3], route.providerRef, "providerRef");
        }
    }

    function test_RouteCommitted_OnChain_IsSolidityEncoding() public {
        uint256 offerId = _setUpProvider(provider);
        DataTypes.RouteInput memory route = _onChainRoute(provider, offerId, PRICE);
        (Vm.Log memory log,) = _routeLog(route);
        bytes memory expected = abi.encode(
            provider,
            offerId,
            "",
            "",
            PRICE,
            route.logRoot,
            route.decisionHash,
            route.sdlHash,
            keeper,
            true,
            uint32(block.timestamp + START_WINDOW)
        );
        assertEq(log.data, expected);
    }

    /*//////////////////////////////////////////////////////////////
                              PACKED SLOTS
    //////////////////////////////////////////////////////////////*/

    /// @dev A re-route at another price replaces the price (and bills at it), keeping the job's other fields.
    function test_ReRoute_ReplacesThePriceAndKeepsTheJob() public {
        _registerProvider(provider);
        uint256 cheap = _listOffer(provider, 1_500_000);
        _registerProvider(provider2);
        uint256 dear = _listOffer(provider2, 1_800_000);
        uint256 jobId = _submitDefault();
        DataTypes.Job memory before = market.getJob(jobId);
        _commitOnChainRoute(jobId, provider, cheap);
        skip(START_WINDOW + 1);
        _commitOnChainRoute(jobId, provider2, dear);

        DataTypes.Job memory job = market.getJob(jobId);
        assertEq(job.pricePerGpuHour, 1_800_000, "the new route's price");
        assertEq(job.round, 2);
        assertEq(uint8(job.status), uint8(DataTypes.JobStatus.Accepted));
        assertEq(job.operator, provider2);
        assertEq(job.offerId, dear);
        assertEq(job.buyer, before.buyer);
        assertEq(job.balance, before.balance);
        assertEq(job.startBy, before.startBy);
        assertEq(job.maxPricePerGpuHour, before.maxPricePerGpuHour);
        assertEq(job.gpuCount, before.gpuCount);
        assertEq(job.minVramGb, before.minVramGb);
        assertEq(job.duration, before.duration);
        assertEq(job.autoAccept, before.autoAccept);
        assertEq(job.tracked, before.tracked);
        assertEq(job.allowExternal, before.allowExternal);
        assertEq(job.feeBps, before.feeBps);

        vm.prank(provider2);
        market.startJob(jobId);
        skip(30 minutes);
        assertEq(market.amountDue(jobId), _due(1_800_000, GPU_COUNT, 30 minutes), "billed at the new price");
    }

    /*//////////////////////////////////////////////////////////////
                               AUTHORITY
    //////////////////////////////////////////////////////////////*/

    /// @dev Moving the market to a new AccessManager moves the keeper check (and every restricted function) with it.
    function test_Authority_KeeperCheckFollowsANewManager() public {
        address newAdmin = makeAddr("newAdmin");
        address newKeeper = makeAddr("newKeeper");
        AccessManager newManager = new AccessManager(newAdmin);
        vm.prank(newAdmin);
        newManager.grantRole(Roles.KEEPER, newKeeper, 0);

        vm.prank(admin);
        manager.updateAuthority(address(market), address(newManager));
        assertEq(IAccessManaged(address(market)).authority(), address(newManager), "authority() moved");

        uint256 offerId = _setUpProvider(provider);
        uint256 jobId = _submitDefault();
        DataTypes.RouteInput memory route = _onChainRoute(provider, offerId, PRICE);
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IAccessManaged.AccessManagedUnauthorized.selector, keeper));
        market.commitRoute(jobId, route);

        vm.prank(newKeeper);
        market.commitRoute(jobId, route);
        assertEq(uint8(market.getJob(jobId).status), uint8(DataTypes.JobStatus.Accepted));

        // Restricted functions ask the new manager too: its admin may pause, the old one may not.
        vm.prank(admin);
        vm.expectRevert(abi.encodeWithSelector(IAccessManaged.AccessManagedUnauthorized.selector, admin));
        market.pause();
        vm.prank(newAdmin);
        market.pause();
        assertTrue(market.paused());
    }

    /// @dev A keeper whose role has an execution delay is not a keeper for commits.
    function test_RevertWhen_KeeperRoleHasADelay() public {
        address slowKeeper = makeAddr("slowKeeper");
        vm.prank(admin);
        manager.grantRole(Roles.KEEPER, slowKeeper, 1 hours);
        uint256 offerId = _setUpProvider(provider);
        uint256 jobId = _submitDefault();
        DataTypes.RouteInput memory route = _onChainRoute(provider, offerId, PRICE);
        vm.prank(slowKeeper);
        vm.expectRevert(abi.encodeWithSelector(IAccessManaged.AccessManagedUnauthorized.selector, slowKeeper));
        market.commitRoute(jobId, route);
    }
}
