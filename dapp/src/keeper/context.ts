import { useMemo } from 'react';
import { useRuntimeConfig } from '../config/context';
import { createKeeperClient, type KeeperClient } from './client';

export function useKeeper(): KeeperClient {
  const { keeperUrl } = useRuntimeConfig();
  return useMemo(() => createKeeperClient(keeperUrl), [keeperUrl]);
}
