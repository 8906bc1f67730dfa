// The gas limit every dApp write is sent with: the node's estimate plus headroom.
//
// An estimate is taken against the latest block; the transaction runs against the state of the block it lands
// in, and a transaction of another account ahead of it in that block can send it down a costlier path. The known
// case: a buyer's `cancelJob` estimated while the job is Accepted (refund only) and included right after the
// provider's `startJob` takes the running path: it bills the elapsed time, credits the provider's payout and the
// protocol fee besides the refund (two more balances, each possibly a first write to its slot) and emits more
// data. Sent with the bare estimate it runs out of gas (e2e/gas-headroom.e2e.ts shows it on the deployed contracts:
// estimated at 57,187 gas, the running path with first-time credits to the provider and the treasury uses 97,813,
// 71 % more; in the same block as startJob, nothing billed yet, 12 % more). So the headroom is 20 % of the
// estimate, and never less than `MIN_GAS_HEADROOM`, which covers that worst case (+40,626) with room to spare.
// Unused gas is not charged; the headroom only raises the balance the wallet must hold to send.

/** Headroom as a share of the estimate, in basis points (20 %). */
export const GAS_HEADROOM_BPS = 2_000n;

/**
 * The least headroom, in gas: above the most a state change ahead of a write in its block is known to add
 * (cancelJob's running path over its pre-start path, with first-time credits to the provider and the treasury).
 */
export const MIN_GAS_HEADROOM = 60_000n;

/** The gas limit to send a write with, given the node's estimate for it. */
export function gasLimitFor(estimate: bigint): bigint {
  if (estimate <= 0n) throw new RangeError(`a gas estimate must be positive, got ${estimate}`);
  const share = (estimate * GAS_HEADROOM_BPS + 9_999n) / 10_000n;
  return estimate + (share > MIN_GAS_HEADROOM ? share : MIN_GAS_HEADROOM);
}
