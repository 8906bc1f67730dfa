import { useEffect, useMemo, useRef } from 'react';
import { useQuery, type AnyVariables } from 'urql';
import type { z } from 'zod';
import { useRuntimeConfig } from '../config/context';

export type Loadable<T> =
  | { state: 'loading'; data?: undefined; error?: undefined; refetch: () => void }
  | { state: 'error'; data?: T; error: string; refetch: () => void }
  | { state: 'ready'; data: T; error?: undefined; refetch: () => void; stale: boolean };

/**
 * Runs a subgraph query, validates the response with zod (graph-node returns BigInt/BigDecimal as strings)
 * and polls it while `poll` is set. Keeps the last good data while a refetch fails.
 */
export function useSubgraph<S extends z.ZodType>(
  query: string,
  schema: S,
  variables: AnyVariables,
  options: { pause?: boolean; poll?: boolean } = {},
): Loadable<z.infer<S>> {
  const { pollIntervalMs } = useRuntimeConfig();
  const stableVariables = useMemo(() => variables, [JSON.stringify(variables)]); // eslint-disable-line react-hooks/exhaustive-deps
  const [result, reexecute] = useQuery({ query, variables: stableVariables, pause: options.pause });
  const lastGood = useRef<z.infer<S> | undefined>(undefined);
  const lastKey = useRef('');
  const key = `${query}\n${JSON.stringify(stableVariables)}`;
  if (lastKey.current !== key) {
    lastKey.current = key;
    lastGood.current = undefined;
  }

  useEffect(() => {
    if (!options.poll || options.pause) return;
    const id = setInterval(() => reexecute({ requestPolicy: 'network-only' }), pollIntervalMs);
    return () => clearInterval(id);
  }, [options.poll, options.pause, pollIntervalMs, reexecute]);

  const refetch = () => reexecute({ requestPolicy: 'network-only' });
  const parsed = useMemo(() => (result.data === undefined ? undefined : schema.safeParse(result.data)), [result.data, schema]);

  const forCurrentVariables = !result.operation || JSON.stringify(result.operation.variables) === JSON.stringify(stableVariables);
  if (parsed?.success && forCurrentVariables) lastGood.current = parsed.data;
  if (result.error && !parsed?.success) {
    const message = result.error.networkError
      ? `The subgraph is unreachable (${result.error.networkError.message}).`
      : `The subgraph rejected the query: ${result.error.graphQLErrors.map((e) => e.message).join('; ')}`;
    return { state: 'error', error: message, data: lastGood.current, refetch };
  }
  if (parsed && !parsed.success) {
    return { state: 'error', error: `Unexpected subgraph data: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`, data: lastGood.current, refetch };
  }
  if (lastGood.current !== undefined) return { state: 'ready', data: lastGood.current, refetch, stale: result.fetching };
  return { state: 'loading', refetch };
}
