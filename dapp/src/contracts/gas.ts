// The gas limit every dApp write is sent with: the node's estimate plus headroom.
//
// An estimate is taken against the latest block; the transaction runs against the state of the block it lands
// in, and a transaction of another account ahead of it in that block can send it down a costlier path. The known
// case: a buyer's `cancelJob` estimated while the job is Accepted (refund only) and included right after the
// provider's `startJob` takes the running path: it bills the elapsed time, credits the provider's payout and the
// protocol fee besides the refund (two more balances, each possibly a first write to its slot) and emits more
// data. Sent with the bare estimate it runs out of gas. The headroom is 20 % of the estimate, and never less than
// the running path's worst extra cost over the pre-start path (two first-time credits, their cold reads and the
// billing): `MIN_GAS_HEADROOM`. Unused gas is not charged; the headroom only raises the balance the wallet must
// hold to send.

/** Headroom as a share of the estimate, in basis points (20 %). */
export const GAS_HEADROOM_BPS = 2_000n;

/**
 * The least headroom, in gas: the most a state change ahead of the transaction in its block is known to add
 * (cancelJob, running path over the pre-start path, with first-time credits to the provider and the treasury).
 */
export const MIN_GAS_HEADROOM = 60_000n;

/** The gas limit to send a write with, given the node's estimate for it. */
export function gasLimitFor(estimate: bigint): bigint {
  if (estimate <= 0n) throw new RangeError(`a gas estimate must be positive, got ${estimate}`);
  const share = (estimate * GAS_HEADROOM_BPS + 9_999n) / 10_000n;
  return estimate + (share > MIN_GAS_HEADROOM ? share : MIN_GAS_HEADROOM);
}
