import type { QuoteDraft } from '../../keeper/client';
import { useQuote } from '../../keeper/useQuote';
import type { JobDetail } from '../../subgraph/queries';
import { constraintName, relaxHint } from '../../lib/constraints';

/** The keeper's quote for the job's own requirements (null for an untracked job, whose spec is private). */
export function draftOf(job: JobDetail): QuoteDraft | null {
  if (job.gpuModels == null || job.regions == null) return null;
  return {
    gpuModels: job.gpuModels,
    gpuCount: job.gpuCount,
    minVramGb: job.minVramGb ?? 0,
    minVcpu: job.minVcpu ?? 0,
    minRamGb: job.minRamGb ?? 0,
    regions: job.regions,
    maxPricePerGpuHour: job.maxPricePerGpuHour.toString(),
    durationSec: Number(job.duration),
    allowExternal: job.allowExternal,
    teamId: job.team ? Number(job.team.id) : 0,
    buyer: job.buyer.id,
  };
}

/** Says that no offer can take the job, why, and what to relax (a submitted job's spec is fixed: resubmit). */
export function Unroutable({ job }: { job: JobDetail }) {
  const quote = useQuote(draftOf(job), 0);
  const exclusions = (quote.data?.exclusions ?? []).filter((e) => e.count > 0).sort((a, b) => b.count - a.count);
  const hints = [...new Set(exclusions.map((e) => relaxHint(e.constraint)).filter((h): h is string => h !== null))];
  return (
    <div className="stack" data-testid="unroutable">
      <div className="notice error" role="alert">
        <strong>No provider can take this job now.</strong> The agent found no offer that meets all its requirements; the keeper tries
        again as offers change.
      </div>
      {exclusions.length > 0 && (
        <p className="small">
          What excludes the offers: {exclusions.map((e) => `${constraintName(e.constraint)} (${e.count})`).join(', ')}.
        </p>
      )}
      {hints.length > 0 && (
        <div className="small">
          To get it routed, cancel it (the budget is refunded in full) and submit it again with these relaxed:
          <ul data-testid="relax-hints">
            {hints.map((h) => (
              <li key={h}>{h}</li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
