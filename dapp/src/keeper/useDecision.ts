import { useQuery } from '@tanstack/react-query';
import { useKeeper } from './context';

/** The keeper's view of the job's latest routing decision (chosen, alternatives, explanation). */
export function useDecision(jobId: string, round: number) {
  const keeper = useKeeper();
  return useQuery({
    queryKey: ['decision', keeper.baseUrl, jobId, round],
    queryFn: ({ signal }) => keeper.decision(jobId, signal),
    enabled: round > 0,
    retry: 1,
    staleTime: 60_000,
  });
}
