// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";

/// @notice Receives the token's transfer hook (ERC-777 style `tokensToSend` / `tokensReceived`).
interface ITransferHook {
    function onTokenTransfer(address from, address to, uint256 amount) external;
}

/// @title ReentrantERC20
/// @notice A 6-decimal ERC-20 with permit that, like an ERC-777 token, calls a hook on every transfer and
/// transferFrom. The hook (an attacker contract) re-enters the market from inside the token call. The hook can be
/// called before the balances move (`tokensToSend`) or after (`tokensReceived`).
contract ReentrantERC20 is ERC20, ERC20Permit {
    /// @notice Which token entry points call the hook.
    enum HookOn {
        None,
        Transfer,
        TransferFrom,
        Both
    }

    ITransferHook public hook;
    HookOn public hookOn;
    bool public hookBeforeUpdate;
    bool private _inHook;

    constructor() ERC20("Reentrant USD", "rUSD") ERC20Permit("Reentrant USD") {}

    function decimals() public pure override returns (uint8) {
        return 6;
    }

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Arms (or disarms, with `HookOn.None`) the hook.
    function setHook(ITransferHook hook_, HookOn hookOn_, bool beforeUpdate) external {
        hook = hook_;
        hookOn = hookOn_;
        hookBeforeUpdate = beforeUpdate;
    }

    function transfer(address to, uint256 amount) public override returns (bool) {
        bool armed = hookOn == HookOn.Transfer || hookOn == HookOn.Both;
        if (armed && hookBeforeUpdate) _callHook(msg.sender, to, amount);
        bool ok = super.transfer(to, amount);
        if (armed && !hookBeforeUpdate) _callHook(msg.sender, to, amount);
        return ok;
    }

    function transferFrom(address from, address to, uint256 amount) public override returns (bool) {
        bool armed = hookOn == HookOn.TransferFrom || hookOn == HookOn.Both;
        if (armed && hookBeforeUpdate) _callHook(from, to, amount);
        bool ok = super.transferFrom(from, to, amount);
        if (armed && !hookBeforeUpdate) _callHook(from, to, amount);
        return ok;
    }

    /// @dev One level deep: the hook's own token calls do not call the hook again.
    function _callHook(address from, address to, uint256 amount) private {
        if (_inHook || address(hook) == address(0)) return;
        _inHook = true;
        hook.onTokenTransfer(from, to, amount);
        _inHook = false;
    }
}

/// @title ReentrancyAttacker
/// @notice A buyer / provider / payout account run by an attacker. It performs calls as itself and, when the token
/// calls its hook, replays a prepared call into the market and records what happened instead of bubbling the
/// revert (so a test can see whether the guard tripped without the outer call failing).
contract ReentrancyAttacker is ITransferHook {
    address public reentryTarget;
    bytes public reentryData;
    /// @notice Whether a failed re-entry makes the outer token call revert too.
    bool public bubble;

    uint256 public reentryAttempts;
    uint256 public reentrySuccesses;
    bytes public lastRevertData;

    /// @notice Prepares the call replayed from inside the token hook (empty `data` disarms).
    function setReentry(address target, bytes calldata data, bool bubble_) external {
        reentryTarget = target;
        reentryData = data;
        bubble = bubble_;
    }

    /// @notice Performs a call as this contract (approve, submitJob, registerProvider, …); bubbles reverts.
    function execute(address target, bytes calldata data) external returns (bytes memory result) {
        bool ok;
        (ok, result) = target.call(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(result, 0x20), mload(result))
            }
        }
    }

    /// @inheritdoc ITransferHook
    function onTokenTransfer(address, address, uint256) external override {
        if (reentryData.length == 0) return;
        reentryAttempts++;
        (bool ok, bytes memory ret) = reentryTarget.call(reentryData);
        if (ok) {
            reentrySuccesses++;
        } else {
            lastRevertData = ret;
            if (bubble) {
                assembly ("memory-safe") {
                    revert(add(ret, 0x20), mload(ret))
                }
            }
        }
    }

    /// @notice The selector of the last re-entry's revert data (0 if none).
    function lastRevertSelector() external view returns (bytes4 selector) {
        bytes memory data = lastRevertData;
        if (data.length < 4) return bytes4(0);
        assembly ("memory-safe") {
            selector := mload(add(data, 0x20))
        }
    }
}
