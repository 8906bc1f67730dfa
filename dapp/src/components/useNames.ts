import { useMemo } from 'react';
import { useAccount } from 'wagmi';
import { directoryOf, type Directory } from '../lib/names';
import { useDirectory } from '../subgraph/hooks';

/** The address → name directory for the current screen (providers, and "you" for the connected wallet). */
export function useNames(): Directory {
  const { address } = useAccount();
  const directory = useDirectory();
  const providers = directory.data?.providers;
  return useMemo(() => directoryOf(providers ?? [], address), [providers, address]);
}
