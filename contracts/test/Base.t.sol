// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import {AccessManager} from "@openzeppelin/contracts/access/manager/AccessManager.sol";

import {NectoDeployment} from "../script/NectoDeployment.sol";
import {JobMarket} from "../src/JobMarket.sol";
import {ProviderRegistry} from "../src/ProviderRegistry.sol";
import {TeamRegistry} from "../src/TeamRegistry.sol";
import {MockUSDC} from "../src/mocks/MockUSDC.sol";
import {DataTypes} from "../src/types/DataTypes.sol";

/// @notice Shared fixture: deploys and wires everything exactly like `Deploy.s.sol` (through `NectoDeployment`), funds
/// two buyers with USDC approved to the market, and offers helpers for the common steps of a job's life.
abstract contract Base is Test {
    /*//////////////////////////////////////////////////////////////
                               CONSTANTS
    //////////////////////////////////////////////////////////////*/

    uint16 internal constant FEE_BPS = 250;
    uint32 internal constant START_WINDOW = 15 minutes;
    uint32 internal constant DISPUTE_WINDOW = 1 hours;
    uint32 internal constant DEFAULT_START_BY = 24 hours;
    uint32 internal constant DISPUTE_TIMEOUT = 3 days;
    /// @dev The default job document (canonical JSON) and its hash, the default spec's specHash.
    string internal constant DOCUMENT =
        '{"command":["python","finetune.py"],"gpuModels":["H100"],"image":"ghcr.io/acme/llama-finetune:0.3"}';

    /// @dev Offer price: 2 USDC per GPU-hour.
    uint48 internal constant PRICE = 2e6;
    /// @dev Buyer's max: 3 USDC per GPU-hour.
    uint48 internal constant MAX_PRICE = 3e6;
    uint16 internal constant GPU_COUNT = 2;
    uint32 internal constant DURATION = 2 hours;
    /// @dev MAX_PRICE × GPU_COUNT × DURATION / 3600 = 12 USDC.
    uint256 internal constant BUDGET = 12e6;
    uint256 internal constant INITIAL_BALANCE = 100_000e6;
    uint256 internal constant START_TIME = 1_700_000_000;

    string internal constant AKASH = "akash";
    string internal constant AKASH_PROVIDER = "akash1q7spv3ghsgz7qkmaj4mx0t4w6wx2gqkyxgkdzl";

    /*//////////////////////////////////////////////////////////////
                                 ACTORS
    //////////////////////////////////////////////////////////////*/

    address internal admin = makeAddr("admin");
    address internal keeper = makeAddr("keeper");
    address internal arbiter = makeAddr("arbiter");
    address internal treasury = makeAddr("treasury");
    address internal settlement = makeAddr("settlement");
    address internal stranger = makeAddr("stranger");
    address internal provider = makeAddr("provider");
    address internal provider2 = makeAddr("provider2");
    address internal buyer;
    uint256 internal buyerKey;
    address internal buyer2;
    uint256 internal buyer2Key;

    /*//////////////////////////////////////////////////////////////
                               CONTRACTS
    //////////////////////////////////////////////////////////////*/

    AccessManager internal manager;
    MockUSDC internal usdc;
    ProviderRegistry internal providerRegistry;
    TeamRegistry internal teamRegistry;
    JobMarket internal market;

    function setUp() public virtual {
        vm.warp(START_TIME);
        (buyer, buyerKey) = makeAddrAndKey("buyer");
        (buyer2, buyer2Key) = makeAddrAndKey("buyer2");

        vm.startPrank(admin);
        NectoDeployment.Deployment memory d = NectoDeployment.deploy(
            NectoDeployment.Config({
                admin: admin,
                usdc: address(0),
                mockFaucet: false,
                treasury: treasury,
                keeper: keeper,
                arbiter: arbiter,
                marketSettlement: settlement,
                feeBps: FEE_BPS,
                startWindow: START_WINDOW,
                disputeWindow: DISPUTE_WINDOW,
                defaultStartBy: DEFAULT_START_BY,
                disputeTimeout: DISPUTE_TIMEOUT
            })
        );
        vm.stopPrank();
        manager = d.manager;
        usdc = MockUSDC(d.usdc);
        providerRegistry = d.providerRegistry;
        teamRegistry = d.teamRegistry;
        market = d.jobMarket;

        vm.label(address(manager), "AccessManager");
        vm.label(address(usdc), "MockUSDC");
        vm.label(address(providerRegistry), "ProviderRegistry");
        vm.label(address(teamRegistry), "TeamRegistry");
        vm.label(address(market), "JobMarket");

        _fund(buyer);
        _fund(buyer2);
    }

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    /// @dev Mints INITIAL_BALANCE USDC to `account` and approves the market for all of it.
    function _fund(address account) internal {
        usdc.faucet(account, INITIAL_BALANCE);
        vm.prank(account);
        usdc.approve(address(market), type(uint256).max);
    }

    /// @dev Registers `account` as a provider paid to itself.
    function _registerProvider(address account) internal {
        vm.prank(account);
        providerRegistry.registerProvider("Provider", "ipfs://provider", "us-east", account);
    }

    function _offerInput(uint48 price) internal pure returns (DataTypes.OfferInput memory) {
        return DataTypes.OfferInput({
            gpuModel: "H100",
            gpuCount: 8,
            vramGb: 80,
            vcpu: 64,
            ramGb: 512,
            region: "us-east",
            pricePerGpuHour: price,
            availableUnits: 4
        });
    }

    /// @dev Lists an H100 offer at `price` for an already registered provider.
    function _listOffer(address account, uint48 price) internal returns (uint256 offerId) {
        vm.prank(account);
        offerId = providerRegistry.listOffer(_offerInput(price));
    }

    /// @dev Registers `account` and lists an offer at PRICE.
    function _setUpProvider(address account) internal returns (uint256 offerId) {
        _registerProvider(account);
        offerId = _listOffer(account, PRICE);
    }

    /// @dev 2 H100s for 2 hours at most 3 USDC/GPU-hour, auto-accepted, tracked, external markets allowed.
    function _defaultSpec() internal pure returns (DataTypes.JobSpec memory spec) {
        string[] memory gpuModels = new string[](1);
        gpuModels[0] = "H100";
        string[] memory regions = new string[](2);
        regions[0] = "us-east";
        regions[1] = "eu-west";
        spec = DataTypes.JobSpec({
            specHash: keccak256(bytes(DOCUMENT)),
            maxPricePerGpuHour: MAX_PRICE,
            duration: DURATION,
            gpuCount: GPU_COUNT,
            minVramGb: 80,
            minVcpu: 16,
            minRamGb: 128,
            teamId: 0,
            startBy: 0,
            autoAccept: true,
            tracked: true,
            allowExternal: true,
            gpuModels: gpuModels,
            regions: regions,
            document: DOCUMENT
        });
    }

    /// @dev The default spec, untracked: its document stays off-chain (empty here).
    function _untrackedSpec() internal pure returns (DataTypes.JobSpec memory spec) {
        spec = _defaultSpec();
        spec.tracked = false;
        spec.document = "";
    }

    /// @dev The least budget `spec` needs (rounded up).
    function _requiredBudget(DataTypes.JobSpec memory spec) internal pure returns (uint256) {
        return (uint256(spec.maxPricePerGpuHour) * spec.gpuCount * spec.duration + 3599) / 3600;
    }

    function _submit(address account, DataTypes.JobSpec memory spec, uint256 budget) internal returns (uint256 jobId) {
        vm.prank(account);
        jobId = market.submitJob(spec, budget);
    }

    /// @dev Submits the default spec with BUDGET for `buyer`.
    function _submitDefault() internal returns (uint256 jobId) {
        return _submit(buyer, _defaultSpec(), BUDGET);
    }

    function _onChainRoute(address account, uint256 offerId, uint48 price)
        internal
        pure
        returns (DataTypes.RouteInput memory)
    {
        return DataTypes.RouteInput({
            providerRef: bytes32(uint256(uint160(account))),
            offerId: offerId,
            pricePerGpuHour: price,
            logRoot: keccak256("log root"),
            decisionHash: keccak256("decision"),
            sdlHash: bytes32(0),
            market: "",
            externalId: ""
        });
    }

    function _externalRoute(string memory marketName, string memory externalId, uint48 price)
        internal
        pure
        returns (DataTypes.RouteInput memory)
    {
        return DataTypes.RouteInput({
            providerRef: keccak256(abi.encode(marketName, externalId)),
            offerId: 0,
            pricePerGpuHour: price,
            logRoot: keccak256("log root"),
            decisionHash: keccak256("decision"),
            sdlHash: keccak256("sdl"),
            market: marketName,
            externalId: externalId
        });
    }

    /// @dev The keeper routes `jobId` to `account`'s offer at the offer's price.
    function _commitOnChainRoute(uint256 jobId, address account, uint256 offerId) internal {
        uint48 price = providerRegistry.getOffer(offerId).pricePerGpuHour;
        vm.prank(keeper);
        market.commitRoute(jobId, _onChainRoute(account, offerId, price));
    }

    /// @dev The keeper routes `jobId` to an external market's provider at PRICE.
    function _commitExternalRoute(uint256 jobId, string memory marketName, string memory externalId) internal {
        vm.prank(keeper);
        market.commitRoute(jobId, _externalRoute(marketName, externalId, PRICE));
    }

    /// @dev EIP-2612 signature of `owner` (private key `ownerKey`) allowing `spender` `value` until `deadline`.
    function _permitSig(uint256 ownerKey, address owner, address spender, uint256 value, uint256 deadline)
        internal
        view
        returns (uint8 v, bytes32 r, bytes32 s)
    {
        bytes32 structHash = keccak256(
            abi.encode(
                keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"),
                owner,
                spender,
                value,
                usdc.nonces(owner),
                deadline
            )
        );
        bytes32 digest = keccak256(abi.encodePacked("\x19\x01", usdc.DOMAIN_SEPARATOR(), structHash));
        (v, r, s) = vm.sign(ownerKey, digest);
    }

    /// @dev Amount due for `gpuCount` GPUs at `price` for `billed` seconds.
    function _due(uint256 price, uint256 gpuCount, uint256 billed) internal pure returns (uint256) {
        return price * gpuCount * billed / 3600;
    }

    function _fee(uint256 due) internal pure returns (uint256) {
        return due * FEE_BPS / 10_000;
    }

    /// @dev Registers a provider with an offer, submits the default job (auto-accepted) and routes it on-chain.
    function _acceptedOnChainJob() internal returns (uint256 jobId, uint256 offerId) {
        offerId = _setUpProvider(provider);
        jobId = _submitDefault();
        _commitOnChainRoute(jobId, provider, offerId);
    }

    /// @dev An on-chain job started by the provider.
    function _runningOnChainJob() internal returns (uint256 jobId) {
        (jobId,) = _acceptedOnChainJob();
        vm.prank(provider);
        market.startJob(jobId);
    }

    /// @dev An on-chain job run for `elapsed` seconds and completed by the provider.
    function _completedOnChainJob(uint256 elapsed) internal returns (uint256 jobId) {
        jobId = _runningOnChainJob();
        skip(elapsed);
        vm.prank(provider);
        market.completeJob(jobId, keccak256("result"));
    }
}
