import { Client, fetchExchange } from 'urql';

/** One urql client per subgraph URL. No normalised cache: every screen polls fresh data from graph-node. */
export function createSubgraphClient(url: string): Client {
  return new Client({
    url,
    exchanges: [fetchExchange],
    requestPolicy: 'network-only',
    preferGetMethod: false,
  });
}
