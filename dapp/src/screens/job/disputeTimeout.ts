// When an unresolved dispute may be settled by the contract's default rule: after the dispute window (counted from
// the end of billing) and then the dispute timeout, both the terms the job was submitted under.
import type { Abi } from 'viem';
import { jobMarketAbi } from '../../contracts/abis';

export interface DisputeTerms {
  /** When billing stopped (completion, or the dispute of a running job). */
  completedAt: bigint | null | undefined;
  disputeWindow: bigint | null | undefined;
  disputeTimeout: bigint | null | undefined;
}

/** Unix seconds after which anyone may settle by default; null when a term is unknown. */
export function defaultSettlementAt(terms: DisputeTerms): number | null {
  if (terms.completedAt === null || terms.completedAt === undefined) return null;
  if (terms.disputeWindow === null || terms.disputeWindow === undefined) return null;
  if (terms.disputeTimeout === null || terms.disputeTimeout === undefined) return null;
  return Number(terms.completedAt + terms.disputeWindow + terms.disputeTimeout);
}

/** The deployed JobMarket ABI has `settleDispute(uint256)` (contracts with the dispute timeout). */
export const SETTLE_DISPUTE_AVAILABLE = (jobMarketAbi as Abi).some((item) => item.type === 'function' && item.name === 'settleDispute' && item.inputs.length === 1);
