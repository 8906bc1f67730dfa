import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type IndexingStatus } from '../../src/server.js';
import { createStore } from '../../src/store/memory.js';
import { block, testSchema } from './helpers.js';
import { buildHistory } from './fixture.js';

const schema = testSchema();
const store = createStore({ schema });
buildHistory(store, schema);
const status = (): IndexingStatus => ({
  subgraph: 'QmDeployment',
  synced: true,
  health: 'healthy',
  fatalError: null,
  chainHeadBlock: block(10),
  latestBlock: store.head(),
  earliestBlock: 0,
  network: 'anvil',
});
let server: Awaited<ReturnType<typeof startServer>>;

beforeAll(async () => {
  server = await startServer({ port: 0, subgraphs: [{ name: 'necto/test', schema, store, status }] });
});
afterAll(async () => {
  await server.close();
});

const post = async (path: string, body: unknown) => {
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: 'http://localhost:5173' },
    body: JSON.stringify(body),
  });
  return { status: res.status, cors: res.headers.get('access-control-allow-origin'), json: (await res.json()) as any };
};

describe('HTTP server', () => {
  it('binds 127.0.0.1 and serves queries with open CORS', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await post('/subgraphs/name/necto/test', {
      query: 'query Q($n: Int!) { tokens(first: $n) { id } }',
      variables: { n: 2 },
      operationName: 'Q',
    });
    expect(res.status).toBe(200);
    expect(res.cors).toBe('*');
    expect(res.json).toEqual({ data: { tokens: [{ id: 't1' }, { id: 't2' }] } });
  });

  it('answers CORS preflight', async () => {
    const res = await fetch(`${server.url}/subgraphs/name/necto/test`, { method: 'OPTIONS' });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
  });

  it('serves a self-contained GraphiQL page on GET', async () => {
    const res = await fetch(`${server.url}/subgraphs/name/necto/test`);
    const html = await res.text();
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(html).toContain('<textarea');
    expect(html).not.toMatch(/https?:\/\/(?!localhost)/);
  });

  it('answers a GET query, and 400 for malformed or non-object variables (graph-node: server/http/src/request.rs)', async () => {
    const get = async (params: Record<string, string>) => {
      const res = await fetch(`${server.url}/subgraphs/name/necto/test?${new URLSearchParams(params).toString()}`);
      return { status: res.status, json: (await res.json()) as any };
    };
    const query = 'query Q($n: Int!) { tokens(first: $n) { id } }';
    expect(await get({ query, variables: '{"n":1}' })).toEqual({ status: 200, json: { data: { tokens: [{ id: 't1' }] } } });
    const malformed = await get({ query, variables: '{"n":' });
    expect(malformed.status).toBe(400);
    expect(malformed.json.errors[0].message).toMatch(/^Invalid JSON in "variables"/);
    expect(await get({ query, variables: '[1]' })).toEqual({ status: 400, json: { errors: [{ message: 'Invalid "variables" provided' }] } });
  });

  it('returns 404 for unknown subgraphs', async () => {
    const res = await post('/subgraphs/name/nope', { query: '{ _meta { deployment } }' });
    expect(res.status).toBe(404);
  });

  it('serves the index-node status API', async () => {
    const res = await post('/graphql', {
      query: `{
        indexingStatuses(subgraphs: ["QmDeployment"]) { subgraph synced health }
        indexingStatusForCurrentVersion(subgraphName: "necto/test") {
          subgraph synced health fatalError { message block { number hash } handler deterministic }
          entityCount
          chains { network chainHeadBlock { number hash } latestBlock { number hash } earliestBlock { number } }
        }
      }`,
    });
    expect(res.json.data.indexingStatuses).toEqual([{ subgraph: 'QmDeployment', synced: true, health: 'healthy' }]);
    expect(res.json.data.indexingStatusForCurrentVersion).toEqual({
      subgraph: 'QmDeployment',
      synced: true,
      health: 'healthy',
      fatalError: null,
      entityCount: '9',
      chains: [
        {
          network: 'anvil',
          chainHeadBlock: { number: '10', hash: block(10).hash },
          latestBlock: { number: '4', hash: block(4).hash },
          earliestBlock: { number: '0' },
        },
      ],
    });
  });
});
