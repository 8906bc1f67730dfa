// A provider agent's liveness as the keeper sees it from its signed heartbeats (`GET /providers/:address/liveness`).
import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { KeeperError } from './client';
import { useKeeper } from './context';

export const LivenessSchema = z.object({
  online: z.boolean(),
  /** Unix seconds of the last accepted heartbeat; null when none since the keeper started. */
  lastSeen: z.number().int().nonnegative().nullable(),
  /** The agent's own HTTP endpoint (live logs). */
  endpoint: z.string().url().refine((u) => /^https?:\/\//.test(u), 'expected an http(s) URL').nullable(),
  /** Containers the agent runs for Necto jobs now. */
  running: z.number().int().nonnegative(),
});
export type Liveness = z.infer<typeof LivenessSchema>;

export async function fetchLiveness(keeperUrl: string, address: string, opts: { signal?: AbortSignal; fetchImpl?: typeof fetch } = {}): Promise<Liveness> {
  const fetchImpl = opts.fetchImpl ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  const url = `${keeperUrl.replace(/\/$/, '')}/providers/${address}/liveness`;
  let response: Response;
  try {
    response = await fetchImpl(url, { signal: opts.signal, cache: 'no-store' });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new KeeperError(`The keeper at ${keeperUrl} is unreachable`, 0, 'network');
  }
  if (!response.ok) throw new KeeperError(`The keeper answered ${response.status} for the provider's liveness`, response.status, 'http_error');
  const parsed = LivenessSchema.safeParse(await response.json());
  if (!parsed.success) throw new KeeperError(`Unexpected liveness response: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`, response.status, 'invalid_response');
  return parsed.data;
}

/** Polls the liveness of `address` (every 5 s by default) while `enabled`. */
export function useLiveness(address: string | null | undefined, options: { enabled?: boolean; intervalMs?: number } = {}) {
  const keeper = useKeeper();
  const enabled = Boolean(address) && (options.enabled ?? true);
  return useQuery({
    queryKey: ['liveness', keeper.baseUrl, address?.toLowerCase()],
    queryFn: ({ signal }) => fetchLiveness(keeper.baseUrl, address!, { signal }),
    enabled,
    refetchInterval: options.intervalMs ?? 5_000,
    retry: 1,
  });
}
