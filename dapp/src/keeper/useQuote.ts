import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useDebounced } from '../hooks/useDebounced';
import type { QuoteDraft } from './client';
import { useKeeper } from './context';

/** Live price comparison for a draft job: debounced, cancels stale requests, keeps the last table meanwhile. */
export function useQuote(draft: QuoteDraft | null, debounceMs = 400) {
  const keeper = useKeeper();
  const debounced = useDebounced(draft, debounceMs);
  const key = debounced ? JSON.stringify(debounced) : null;
  return useQuery({
    queryKey: ['quote', keeper.baseUrl, key],
    queryFn: ({ signal }) => keeper.quote(debounced!, signal),
    enabled: debounced !== null,
    placeholderData: keepPreviousData,
    staleTime: 15_000,
    refetchInterval: 30_000,
    retry: 0,
  });
}
