import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { ConfigProvider } from '../config/context';
import { resolveConfig, configFromEnv } from '../config/load';

export const testConfig = resolveConfig(configFromEnv({}), { keeperUrl: 'http://keeper.test', subgraphUrl: 'http://subgraph.test/subgraphs/name/necto', pollIntervalMs: 250 });

/** Renders with the runtime config and a fresh react-query client (no wagmi: tested components do not need it). */
export function renderWithConfig(ui: ReactElement) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <ConfigProvider config={testConfig}>
      <QueryClientProvider client={queryClient}>{ui}</QueryClientProvider>
    </ConfigProvider>,
  );
}
