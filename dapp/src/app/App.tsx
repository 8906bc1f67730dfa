import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { Suspense, useMemo } from 'react';
import { Provider as UrqlProvider } from 'urql';
import { WagmiProvider, type Config } from 'wagmi';
import { ConfigProvider } from '../config/context';
import type { RuntimeConfig } from '../config/schema';
import { createSubgraphClient } from '../subgraph/client';
import { Layout } from './Layout';
import { Loading } from '../components/States';
import { resolveRoute } from './routes';
import { useHashPath } from './router';

export function App({ config, wagmiConfig }: { config: RuntimeConfig; wagmiConfig: Config }) {
  const queryClient = useMemo(() => new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } } }), []);
  const subgraph = useMemo(() => createSubgraphClient(config.subgraphUrl), [config.subgraphUrl]);
  const path = useHashPath();
  const { Screen, match, key } = resolveRoute(path);
  return (
    <ConfigProvider config={config}>
      <WagmiProvider config={wagmiConfig}>
        <QueryClientProvider client={queryClient}>
          <UrqlProvider value={subgraph}>
            <Layout path={path}>
              <Suspense fallback={<Loading label="Loading screen" />}>
                <Screen key={key} match={match} />
              </Suspense>
            </Layout>
          </UrqlProvider>
        </QueryClientProvider>
      </WagmiProvider>
    </ConfigProvider>
  );
}
