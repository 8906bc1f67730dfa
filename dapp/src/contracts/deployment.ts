import { getDeployment, type Deployment } from '@necto/contracts';
import { useMemo } from 'react';
import { useRuntimeConfig } from '../config/context';

export type DeploymentState = { ok: true; deployment: Deployment } | { ok: false; error: string };

/** The Necto deployment on the configured chain (addresses come only from the generated package). */
export function useDeployment(): DeploymentState {
  const { chainId } = useRuntimeConfig();
  return useMemo(() => {
    try {
      return { ok: true, deployment: getDeployment(chainId) };
    } catch (error) {
      return { ok: false, error: (error as Error).message };
    }
  }, [chainId]);
}
