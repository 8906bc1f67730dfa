// Turns wallet, RPC and contract errors into one sentence a person can act on. Custom errors of the Necto
// contracts (Errors.sol) are decoded from the revert data with the generated ABIs.
import { BaseError, ContractFunctionRevertedError, UserRejectedRequestError, decodeErrorResult, type Abi, type Hex } from 'viem';
import { formatTimestamp, formatUsdc, formatPricePerGpuHour, shortAddress } from './format';
import { jobStatusName, providerStatusName } from './jobStatus';

export interface DecodedError {
  /** Custom error name when the contract reverted with one (`JobMarket_InsufficientBudget`). */
  errorName?: string;
  args?: readonly unknown[];
  /** What a person reads. */
  message: string;
  /** The user rejected the request in the wallet (not a failure of the app). */
  rejected?: boolean;
}

type Describe = (args: readonly unknown[]) => string;
const n = (v: unknown) => String(v);
const usdc = (v: unknown) => formatUsdc(v as bigint);
const when = (v: unknown) => formatTimestamp(v as bigint);

const MESSAGES: Record<string, Describe> = {
  ZeroAddress: () => 'An address is missing (zero address).',
  ZeroAmount: () => 'The amount must be greater than zero.',
  InvalidString: () => 'A text field is empty or too long.',
  ProviderRegistry_AlreadyRegistered: ([p]) => `${shortAddress(n(p))} is already registered as a provider.`,
  ProviderRegistry_NotRegistered: ([p]) => `${shortAddress(n(p))} is not a registered provider.`,
  ProviderRegistry_NotActive: ([p]) => `Provider ${shortAddress(n(p))} is not active (paused, suspended or deregistered).`,
  ProviderRegistry_InvalidStatus: ([p, s]) => `Provider ${shortAddress(n(p))} is ${providerStatusName(s)}; that change is not allowed now.`,
  ProviderRegistry_UnknownOffer: ([id]) => `Offer #${n(id)} does not exist.`,
  ProviderRegistry_NotOfferOwner: ([id]) => `Offer #${n(id)} belongs to another provider.`,
  ProviderRegistry_InvalidOffer: () => 'The offer is invalid: GPU count, VRAM and price must be greater than zero.',
  TeamRegistry_UnknownTeam: ([id]) => `Team #${n(id)} does not exist.`,
  TeamRegistry_NotOwner: ([id]) => `Only the owner of team #${n(id)} can do this.`,
  TeamRegistry_NotMember: ([id, a]) => `${shortAddress(n(a))} is not a member of team #${n(id)}.`,
  TeamRegistry_AlreadyMember: ([id, a]) => `${shortAddress(n(a))} is already a member of team #${n(id)}.`,
  TeamRegistry_CannotRemoveOwner: ([id]) => `The owner cannot be removed from team #${n(id)}.`,
  TeamRegistry_CapExceeded: ([id, spent, amount, cap]) =>
    `Team #${n(id)} spending cap exceeded: ${usdc(spent)} already spent this period, this job needs ${usdc(amount)}, the cap is ${usdc(cap)}.`,
  TeamRegistry_InvalidPeriod: () => 'A spending cap needs a period longer than zero.',
  JobMarket_UnknownJob: ([id]) => `Job #${n(id)} does not exist.`,
  JobMarket_InvalidStatus: ([id, s]) => `Job #${n(id)} is ${jobStatusName(s)}; this action is not allowed in that state.`,
  JobMarket_NotBuyer: ([id]) => `Only the buyer of job #${n(id)} can do this.`,
  JobMarket_NotOperator: ([id]) => `Only the provider routed for job #${n(id)} can do this.`,
  JobMarket_InvalidSpec: () => 'The job spec is invalid: GPUs, duration and max price must be greater than zero, and the start-by time in the future.',
  JobMarket_InsufficientBudget: ([budget, required]) => `Budget ${usdc(budget)} does not cover the required ${usdc(required)}.`,
  JobMarket_TransferAmountMismatch: () => 'The token transferred less than expected.',
  JobMarket_PriceAboveMax: ([price, max]) => `The route price ${formatPricePerGpuHour(price as bigint)} is above the max ${formatPricePerGpuHour(max as bigint)}.`,
  JobMarket_ProviderNotActive: () => 'The routed provider is not active.',
  JobMarket_PriceMismatch: ([price, offer]) => `The price ${formatPricePerGpuHour(price as bigint)} differs from the offer's ${formatPricePerGpuHour(offer as bigint)}.`,
  JobMarket_InvalidProviderRef: () => 'The route names an unknown external provider.',
  JobMarket_MarketNotAllowed: ([market]) => `The market "${n(market)}" is not allowed for this job.`,
  JobMarket_StartDeadlineNotReached: ([id, deadline]) => `Job #${n(id)} cannot be re-routed before ${when(deadline)}.`,
  JobMarket_NotExpired: ([id, startBy]) => `Job #${n(id)} can only be expired after ${when(startBy)}.`,
  JobMarket_StartByPassed: ([id, startBy]) => `Job #${n(id)} had to start by ${when(startBy)}; that time has passed.`,
  JobMarket_DisputeWindowOpen: ([id, closes]) => `Job #${n(id)} can be settled by anyone after ${when(closes)}.`,
  JobMarket_DisputeWindowClosed: ([id, closed]) => `The dispute window of job #${n(id)} closed at ${when(closed)}.`,
  JobMarket_InvalidBps: ([bps]) => `${n(bps)} basis points is above 10,000.`,
  JobMarket_InvalidParameter: () => 'A market parameter is out of range.',
  JobMarket_TooManyRounds: ([id]) => `Job #${n(id)} was re-routed too many times.`,
  JobMarket_NothingToWithdraw: () => 'There is nothing to withdraw.',
  JobMarket_Overflow: () => 'A value is too large.',
  JobMarket_DocumentMismatch: () => 'The published job document does not match the job\'s spec hash.',
  JobMarket_DocumentNotEmpty: () => 'An untracked job keeps its document off-chain: it must not be published.',
  JobMarket_NoCapacity: ([offerId]) => `Offer #${n(offerId)} has no free unit left.`,
  JobMarket_OfferMismatch: ([offerId]) => `Offer #${n(offerId)} has fewer GPUs or less VRAM per GPU than the job asks for.`,
  JobMarket_DisputeTimeoutNotReached: ([id, at]) => `The dispute of job #${n(id)} can be settled by default after ${when(at)}.`,
  JobMarket_ProviderNotAllowed: ([p]) => `Provider ${shortAddress(n(p))} was suspended or deregistered and cannot start this job.`,
  JobMarket_InvalidRecipient: () => 'The market itself cannot receive funds.',
  ProviderRegistry_NotMarket: ([caller]) => `${shortAddress(n(caller))} is not a market of the provider registry.`,
  ExpectedPause: () => 'The market is not paused.',
  MockUSDC_FaucetDisabled: () => 'The USDC faucet is only available on local chains.',
  MockUSDC_FaucetLimit: ([amount, limit]) => `The faucet gives at most ${usdc(limit)} per call (asked ${usdc(amount)}).`,
  // OpenZeppelin errors the contracts can bubble up.
  ERC20InsufficientBalance: ([, balance, needed]) => `Your USDC balance ${usdc(balance)} is below the ${usdc(needed)} needed.`,
  ERC20InsufficientAllowance: ([, allowance, needed]) => `The USDC allowance ${usdc(allowance)} is below the ${usdc(needed)} needed: approve first.`,
  ERC2612ExpiredSignature: ([deadline]) => `The permit signature expired at ${when(deadline)}; sign again.`,
  ERC2612InvalidSigner: () => 'The permit signature does not match your account; sign again.',
  AccessManagedUnauthorized: ([caller]) => `${shortAddress(n(caller))} is not allowed to call this function.`,
  EnforcedPause: () => 'The market is paused.',
  ReentrancyGuardReentrantCall: () => 'Reentrant call rejected.',
  SafeERC20FailedOperation: () => 'The USDC transfer failed.',
};

/** Every error definition of the given ABIs, de-duplicated by name, for decoding raw revert data. */
export function errorAbiOf(...abis: readonly Abi[]): Abi {
  const seen = new Map<string, Abi[number]>();
  for (const abi of abis) for (const item of abi) if (item.type === 'error' && !seen.has(item.name)) seen.set(item.name, item);
  return [...seen.values()];
}

function describe(errorName: string, args: readonly unknown[]): string {
  const describeFn = MESSAGES[errorName];
  if (describeFn) {
    try {
      return describeFn(args);
    } catch {
      // fall through to the generic form
    }
  }
  return `The contract rejected the transaction: ${errorName}(${args.map(String).join(', ')}).`;
}

/** Decodes raw revert data (0x + selector + args) with the error ABI. */
export function decodeRevertData(data: Hex, errorAbi: Abi): DecodedError | null {
  try {
    const decoded = decodeErrorResult({ abi: errorAbi, data });
    const args = (decoded.args ?? []) as readonly unknown[];
    return { errorName: decoded.errorName, args, message: describe(decoded.errorName, args) };
  } catch {
    return null;
  }
}

function findRevertData(error: unknown): Hex | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 10; depth++) {
    const candidate = (current as { data?: unknown }).data;
    if (typeof candidate === 'string' && /^0x[0-9a-fA-F]{8}/.test(candidate)) return candidate as Hex;
    if (candidate && typeof candidate === 'object' && typeof (candidate as { data?: unknown }).data === 'string') {
      const inner = (candidate as { data: string }).data;
      if (/^0x[0-9a-fA-F]{8}/.test(inner)) return inner as Hex;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** One readable sentence for any error thrown by wagmi/viem, a wallet or the RPC. */
export function decodeError(error: unknown, errorAbi: Abi = []): DecodedError {
  if (error instanceof BaseError) {
    if (error.walk((e) => e instanceof UserRejectedRequestError)) {
      return { rejected: true, message: 'You rejected the request in your wallet.' };
    }
    const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
    if (reverted instanceof ContractFunctionRevertedError) {
      if (reverted.data?.errorName && reverted.data.errorName !== 'Error' && reverted.data.errorName !== 'Panic') {
        const args = (reverted.data.args ?? []) as readonly unknown[];
        return { errorName: reverted.data.errorName, args, message: describe(reverted.data.errorName, args) };
      }
      if (reverted.raw) {
        const fromRaw = decodeRevertData(reverted.raw, errorAbi);
        if (fromRaw) return fromRaw;
      }
      if (reverted.reason) return { message: `The contract rejected the transaction: ${reverted.reason}.` };
    }
  }
  const raw = findRevertData(error);
  if (raw) {
    const fromRaw = decodeRevertData(raw, errorAbi);
    if (fromRaw) return fromRaw;
  }
  const code = (error as { code?: unknown })?.code;
  if (code === 4001) return { rejected: true, message: 'You rejected the request in your wallet.' };
  if (error instanceof BaseError) return { message: error.shortMessage };
  if (error instanceof Error) return { message: error.message };
  return { message: String(error) };
}
