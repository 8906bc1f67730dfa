// Subgraph reads for running jobs, their results and disputes. Kept apart from the core job query so a field a
// subgraph deployment does not index yet (the tracked document, per-job dispute terms) fails only the panel that
// needs it, never the job page.
import { z } from 'zod';
import { bigIntScalar, bytesScalar, jobStatusScalar } from './scalars';
import { useSubgraph } from './useSubgraph';

const optBig = bigIntScalar.nullable().optional();

/** Tracked jobs: the document published on-chain (`JobSpec.document`); null for untracked jobs. */
export const JOB_DOCUMENT_QUERY = /* GraphQL */ `
  query JobDocument($id: ID!) { job(id: $id) { id document } }
`;
export const JobDocumentResult = z.object({ job: z.object({ id: z.string(), document: z.string().nullable().optional() }).nullable() });

/** What completion and a dispute put on-chain. */
export const JOB_RESULT_QUERY = /* GraphQL */ `
  query JobResult($id: ID!) { job(id: $id) { id resultHash disputeReasonHash providerShareBps arbiter settledByDefault } }
`;
export const JobResultSchema = z.object({
  id: z.string(),
  resultHash: bytesScalar.nullable().optional(),
  disputeReasonHash: bytesScalar.nullable().optional(),
  providerShareBps: z.number().nullable().optional(),
  arbiter: bytesScalar.nullable().optional(),
  settledByDefault: z.boolean().nullable().optional(),
});
export const JobResultResult = z.object({ job: JobResultSchema.nullable() });
export type JobResultFields = z.infer<typeof JobResultSchema>;

/**
 * The market's dispute terms (seconds). JobMarket applies the terms a job was submitted under; the subgraph follows
 * the current ones, which are the same unless the admin changed them after the job's submission (the contract's
 * check, which the settle transaction is simulated against first, is the final word).
 */
export const DISPUTE_TERMS_QUERY = /* GraphQL */ `
  query DisputeTerms { protocol(id: "necto") { disputeWindow disputeTimeout } }
`;
export const DisputeTermsResult = z.object({ protocol: z.object({ disputeWindow: optBig, disputeTimeout: optBig }).nullable() });

const DisputedJob = z.object({
  id: z.string(),
  status: jobStatusScalar,
  buyer: z.object({ id: z.string() }),
  provider: z.object({ id: z.string(), name: z.string() }).nullable().optional(),
  operator: bytesScalar.nullable().optional(),
  market: z.string().nullable().optional(),
  round: z.number(),
  gpuCount: z.number(),
  duration: bigIntScalar,
  pricePerGpuHour: optBig,
  balance: bigIntScalar,
  startedAt: optBig,
  completedAt: optBig,
  disputedAt: optBig,
  resolvedAt: optBig,
  resultHash: bytesScalar.nullable().optional(),
  disputeReasonHash: bytesScalar.nullable().optional(),
  providerShareBps: z.number().nullable().optional(),
  settledByDefault: z.boolean().nullable().optional(),
  payout: bigIntScalar,
  refund: bigIntScalar,
  currentRoute: z.object({ logRoot: bytesScalar, decisionHash: bytesScalar }).nullable().optional(),
});
export type DisputedJob = z.infer<typeof DisputedJob>;

export const DISPUTES_QUERY = /* GraphQL */ `
  query Disputes($first: Int!) {
    jobs(where: { disputedAt_not: null }, orderBy: disputedAt, orderDirection: desc, first: $first) {
      id status buyer { id } provider { id name } operator market round gpuCount duration pricePerGpuHour balance
      startedAt completedAt disputedAt resolvedAt resultHash disputeReasonHash providerShareBps settledByDefault payout refund
      currentRoute { logRoot decisionHash }
    }
  }
`;
export const DisputesResult = z.object({ jobs: z.array(DisputedJob) });

/** Jobs holding a unit of one of the provider's offers (routed, accepted or running). */
export const PROVIDER_LOAD_QUERY = /* GraphQL */ `
  query ProviderLoad($address: String!) {
    jobs(where: { provider: $address, status_in: [ROUTED, ACCEPTED, RUNNING] }, first: 500) { id status offer { offerId } startedAt }
  }
`;
export const ProviderLoadResult = z.object({
  jobs: z.array(z.object({ id: z.string(), status: jobStatusScalar, offer: z.object({ offerId: bigIntScalar }).nullable().optional(), startedAt: optBig })),
});

export const useJobDocumentField = (id: string, pause: boolean) => useSubgraph(JOB_DOCUMENT_QUERY, JobDocumentResult, { id }, { pause, poll: false });
export const useJobResult = (id: string) => useSubgraph(JOB_RESULT_QUERY, JobResultResult, { id }, { poll: true });
export const useDisputeTerms = () => useSubgraph(DISPUTE_TERMS_QUERY, DisputeTermsResult, {}, { poll: false });
export const useDisputes = () => useSubgraph(DISPUTES_QUERY, DisputesResult, { first: 100 }, { poll: true });
export function useProviderLoad(address: string | undefined) {
  return useSubgraph(PROVIDER_LOAD_QUERY, ProviderLoadResult, { address: address?.toLowerCase() ?? '' }, { pause: !address, poll: true });
}
