import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { useKeeper } from '../../keeper/context';
import { stepSchema } from '@necto/keeper/domain';
import type { AgentStep } from './narrate';

const LogStepsSchema = z.object({ createdAt: z.number().optional(), steps: z.array(stepSchema) });

/**
 * The agent's steps of a committed round, read from its reasoning log (the record the route commits to), so a
 * routed or settled job shows what happened without replaying a live stream.
 */
export function useDecisionRecord(logRoot: string | null) {
  const keeper = useKeeper();
  return useQuery({
    queryKey: ['decision-record', keeper.baseUrl, logRoot],
    enabled: Boolean(logRoot) && !/^0x0*$/.test(logRoot ?? ''),
    staleTime: Infinity,
    retry: 1,
    queryFn: async ({ signal }): Promise<{ steps: AgentStep[]; createdAt: number | null }> => {
      const bytes = await keeper.log(logRoot!, signal);
      const parsed = LogStepsSchema.safeParse(JSON.parse(new TextDecoder().decode(bytes)));
      if (!parsed.success) throw new Error('The reasoning log has no readable steps.');
      return { steps: parsed.data.steps, createdAt: parsed.data.createdAt ?? null };
    },
  });
}
