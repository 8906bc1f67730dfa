import { useQuery } from '@tanstack/react-query';
import { useRuntimeConfig } from '../../config/context';
import { fetchContent } from '../../keeper/content';
import { verifyResultManifest, type OnchainResult, type ResultVerification } from './verifyResult';

export interface VerifiedResult {
  verification: ResultVerification;
  size: number;
  checkedAt: number;
}

/**
 * Fetches the manifest named by the on-chain resultHash and verifies it in the browser. `refetch()` downloads it
 * again (no cache) and re-verifies: what "Verify result" does.
 */
export function useVerifiedResult(onchain: OnchainResult | null) {
  const config = useRuntimeConfig();
  return useQuery<VerifiedResult>({
    queryKey: ['result-manifest', config.keeperUrl, config.contentGatewayUrl ?? '', onchain],
    enabled: onchain !== null,
    staleTime: Infinity,
    retry: 1,
    queryFn: async ({ signal }) => {
      const bytes = await fetchContent(config, onchain!.resultHash, { signal, fetchImpl: (input, init) => fetch(input, { ...init, cache: 'no-store' }) });
      return { verification: verifyResultManifest(bytes, onchain!), size: bytes.length, checkedAt: Date.now() };
    },
  });
}
