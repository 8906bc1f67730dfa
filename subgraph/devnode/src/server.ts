/**
 * HTTP server with graph-node's layout:
 *   POST /subgraphs/name/<name>   GraphQL query API of a subgraph (`{ query, variables, operationName }`)
 *   GET  /subgraphs/name/<name>   a self-contained GraphiQL-like page (no CDN)
 *   POST /graphql                 index-node API: indexingStatuses, indexingStatusForCurrentVersion, …
 * CORS is open (the dApp queries from the browser). Binds 127.0.0.1 unless told otherwise.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSchema, graphql, type GraphQLSchema } from 'graphql';
import type { BlockPtr, EntityStore, FatalError } from './store/api.js';
import type { VersionedStore } from './store/memory.js';
import type { SchemaInfo } from './schema/index.js';
import { SubgraphQueryEngine, type GraphQLRequest, type GraphQLResponse } from './graphql/execute.js';

export interface IndexingStatus {
  subgraph: string;
  synced: boolean;
  health: 'healthy' | 'unhealthy' | 'failed';
  fatalError: FatalError | null;
  chainHeadBlock: BlockPtr | null;
  latestBlock: BlockPtr | null;
  earliestBlock: number;
  network: string;
}

export interface ServedSubgraph {
  name: string;
  schema: SchemaInfo;
  /** Must be a store from `createStore` (the GraphQL layer reads versions through its read methods). */
  store: EntityStore;
  status: () => IndexingStatus;
  /** Deployment id reported by `_meta` and index-node (default: `status().subgraph`). */
  deployment?: string;
}

export interface StartServerOptions {
  port: number;
  host?: string;
  subgraphs: ServedSubgraph[];
  /** Largest accepted request body in bytes (default 1 MiB). */
  maxBodyBytes?: number;
}

export interface RunningServer {
  close(): Promise<void>;
  url: string;
}

function isVersionedStore(store: EntityStore): store is VersionedStore {
  return typeof (store as Partial<VersionedStore>).entitiesAt === 'function';
}

const CORS_HEADERS: Record<string, string> = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'Content-Type, User-Agent, Authorization',
};

function send(res: http.ServerResponse, status: number, body: unknown, contentType = 'application/json') {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { ...CORS_HEADERS, 'content-type': contentType });
  res.end(text);
}

function readBody(req: http.IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new Error(`request body larger than ${limit} bytes`));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseRequest(text: string): GraphQLRequest | string {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (e) {
    return `Invalid JSON body: ${(e as Error).message}`;
  }
  if (!body || typeof body !== 'object') return 'The request body must be a JSON object';
  const { query, variables, operationName } = body as Record<string, unknown>;
  if (typeof query !== 'string') return 'The "query" field missing in request data';
  if (!isVariables(variables)) return INVALID_VARIABLES;
  return {
    query,
    variables: variables ?? null,
    operationName: typeof operationName === 'string' ? operationName : null,
  };
}

const INVALID_VARIABLES = 'Invalid "variables" provided';

/** A JSON object, or null/absent (graph-node's `parse_graphql_request` refuses anything else). */
function isVariables(value: unknown): value is Record<string, unknown> | null | undefined {
  return value === undefined || value === null || (typeof value === 'object' && !Array.isArray(value));
}

/** The `variables` query parameter of a GET: JSON text of an object, or absent; the error message otherwise. */
function parseVariables(text: string | null): Record<string, unknown> | null | string {
  if (text === null || text === '') return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return `Invalid JSON in "variables": ${(e as Error).message}`;
  }
  return isVariables(value) ? (value ?? null) : INVALID_VARIABLES;
}

// ------------------------------------------------------------------------------------------- index node

const INDEX_NODE_SDL = `
scalar BigInt
scalar Bytes
type Query {
  indexingStatusForCurrentVersion(subgraphName: String!): SubgraphIndexingStatus
  indexingStatusForPendingVersion(subgraphName: String!): SubgraphIndexingStatus
  indexingStatusesForSubgraphName(subgraphName: String!): [SubgraphIndexingStatus!]!
  indexingStatuses(subgraphs: [String!]): [SubgraphIndexingStatus!]!
}
type SubgraphIndexingStatus {
  subgraph: String!
  synced: Boolean!
  health: Health!
  "If the subgraph has failed, this is the error caused it"
  fatalError: SubgraphError
  "Sorted from first to last, limited to first 1000"
  nonFatalErrors: [SubgraphError!]!
  chains: [ChainIndexingStatus!]!
  entityCount: BigInt!
  node: String
  paused: Boolean
  historyBlocks: Int!
}
interface ChainIndexingStatus {
  network: String!
  chainHeadBlock: Block
  earliestBlock: EarliestBlock
  latestBlock: Block
  lastHealthyBlock: Block
}
type EthereumIndexingStatus implements ChainIndexingStatus {
  network: String!
  chainHeadBlock: Block
  earliestBlock: EarliestBlock
  latestBlock: Block
  lastHealthyBlock: Block
}
type Block {
  hash: Bytes!
  number: BigInt!
}
type EarliestBlock {
  hash: Bytes!
  number: BigInt!
}
type SubgraphError {
  message: String!
  block: Block
  handler: String
  deterministic: Boolean!
}
enum Health {
  "Subgraph syncing normally"
  healthy
  "Subgraph syncing but with errors"
  unhealthy
  "Subgraph halted due to errors"
  failed
}
`;

const blockJson = (b: BlockPtr | null) => (b ? { hash: b.hash.toLowerCase(), number: String(b.number) } : null);

function statusJson(s: ServedSubgraph) {
  const st = s.status();
  let entityCount = 0;
  if (isVersionedStore(s.store) && st.latestBlock) {
    for (const t of s.schema.entities.keys()) entityCount += s.store.countAt(t, st.latestBlock.number);
  }
  const fatal = st.fatalError;
  return {
    subgraph: s.deployment ?? st.subgraph,
    synced: st.synced,
    health: st.health,
    fatalError: fatal
      ? { message: fatal.message, block: blockJson(fatal.block), handler: fatal.handler ?? null, deterministic: fatal.deterministic }
      : null,
    nonFatalErrors: [],
    chains: [
      {
        __typename: 'EthereumIndexingStatus',
        network: st.network,
        chainHeadBlock: blockJson(st.chainHeadBlock),
        earliestBlock: { hash: '0x0', number: String(st.earliestBlock) },
        latestBlock: blockJson(st.latestBlock),
        lastHealthyBlock: fatal ? blockJson(st.latestBlock) : null,
      },
    ],
    entityCount: String(entityCount),
    node: 'devnode',
    paused: false,
    historyBlocks: 2147483647,
  };
}

function indexNodeRoot(subgraphs: ServedSubgraph[]) {
  const byName = (name: string) => subgraphs.find((s) => s.name === name);
  const matches = (s: ServedSubgraph, key: string) =>
    s.name === key || (s.deployment ?? s.status().subgraph) === key;
  return {
    indexingStatusForCurrentVersion: ({ subgraphName }: { subgraphName: string }) => {
      const s = byName(subgraphName);
      return s ? statusJson(s) : null;
    },
    indexingStatusForPendingVersion: () => null,
    indexingStatusesForSubgraphName: ({ subgraphName }: { subgraphName: string }) => {
      const s = byName(subgraphName);
      return s ? [statusJson(s)] : [];
    },
    indexingStatuses: ({ subgraphs: keys }: { subgraphs?: string[] | null }) =>
      subgraphs.filter((s) => !keys || keys.some((k) => matches(s, k))).map(statusJson),
  };
}

// ------------------------------------------------------------------------------------------- GraphiQL

function graphiqlPage(name: string): string {
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(name)} · devnode</title>
<style>
body{font-family:system-ui,sans-serif;margin:0;display:flex;flex-direction:column;height:100vh}
header{padding:8px 12px;background:#1b1f24;color:#fff;font-size:14px}
main{flex:1;display:grid;grid-template-columns:1fr 1fr;gap:8px;padding:8px;min-height:0}
textarea,pre{font-family:ui-monospace,monospace;font-size:13px;border:1px solid #ccc;border-radius:4px;padding:8px;margin:0;overflow:auto}
textarea{resize:none;width:100%;box-sizing:border-box}
.col{display:flex;flex-direction:column;gap:8px;min-height:0}
#query{flex:3}#variables{flex:1}button{padding:6px 16px}
</style></head><body>
<header>devnode · subgraph <b>${esc(name)}</b> · POST this URL with {"query": …} · Ctrl+Enter runs</header>
<main><div class="col">
<textarea id="query" spellcheck="false">{
  _meta {
    block { number hash timestamp }
    deployment
    hasIndexingErrors
  }
}</textarea>
<textarea id="variables" spellcheck="false" placeholder="variables (JSON)"></textarea>
<div><button id="run">Run ▶</button></div></div>
<pre id="result"></pre></main>
<script>
const q=document.getElementById('query'),v=document.getElementById('variables'),r=document.getElementById('result');
async function run(){let variables=null;try{variables=v.value.trim()?JSON.parse(v.value):null}catch(e){r.textContent='variables: '+e.message;return}
const res=await fetch(location.pathname,{method:'POST',headers:{'content-type':'application/json'},body:JSON.stringify({query:q.value,variables})});
r.textContent=JSON.stringify(await res.json(),null,2)}
document.getElementById('run').onclick=run;
document.addEventListener('keydown',e=>{if(e.key==='Enter'&&(e.ctrlKey||e.metaKey))run()});
</script></body></html>`;
}

// ------------------------------------------------------------------------------------------- server

export async function startServer(opts: StartServerOptions): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  const limit = opts.maxBodyBytes ?? 1024 * 1024;
  const engines = new Map<string, { sub: ServedSubgraph; engine: SubgraphQueryEngine }>();
  for (const sub of opts.subgraphs) {
    if (!isVersionedStore(sub.store)) {
      throw new Error(`subgraph ${sub.name}: the store must come from createStore() (src/store/memory.ts)`);
    }
    if (engines.has(sub.name)) throw new Error(`subgraph ${sub.name} is served twice`);
    const store = sub.store;
    const engine = new SubgraphQueryEngine({
      schema: sub.schema,
      store,
      deployment: sub.deployment ?? sub.name,
      earliestBlock: () => sub.status().earliestBlock,
    });
    engines.set(sub.name, { sub, engine });
  }
  const indexSchema: GraphQLSchema = buildSchema(INDEX_NODE_SDL);
  const indexRoot = indexNodeRoot(opts.subgraphs);

  const server = http.createServer((req, res) => {
    void handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, { errors: [{ message: (e as Error).message }] });
      else res.end();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const pathname = decodeURIComponent(url.pathname).replace(/\/+$/, '');
    if (req.method === 'OPTIONS') {
      res.writeHead(204, CORS_HEADERS);
      res.end();
      return;
    }
    if (pathname === '/graphql') {
      if (req.method !== 'POST') return send(res, 405, { errors: [{ message: 'Use POST for the index-node API' }] });
      const parsed = parseRequest(await readBody(req, limit));
      if (typeof parsed === 'string') return send(res, 400, { errors: [{ message: parsed }] });
      const result = await graphql({
        schema: indexSchema,
        source: parsed.query,
        rootValue: indexRoot,
        variableValues: parsed.variables ?? undefined,
        operationName: parsed.operationName ?? undefined,
        typeResolver: (v: { __typename?: string }) => v.__typename,
      });
      return send(res, 200, result);
    }
    const m = /^\/subgraphs\/name\/(.+)$/.exec(pathname);
    if (m) {
      const entry = engines.get(m[1]!);
      if (!entry) return send(res, 404, { errors: [{ message: `Subgraph \`${m[1]}\` not found` }] });
      if (req.method === 'GET') {
        const q = url.searchParams.get('query');
        if (q) {
          const variables = parseVariables(url.searchParams.get('variables'));
          if (typeof variables === 'string') return send(res, 400, { errors: [{ message: variables }] });
          return send(res, 200, entry.engine.run({ query: q, variables }));
        }
        return send(res, 200, graphiqlPage(m[1]!), 'text/html; charset=utf-8');
      }
      if (req.method !== 'POST') return send(res, 405, { errors: [{ message: `Method ${req.method} not allowed` }] });
      let text: string;
      try {
        text = await readBody(req, limit);
      } catch (e) {
        return send(res, 413, { errors: [{ message: (e as Error).message }] });
      }
      const parsed = parseRequest(text);
      if (typeof parsed === 'string') return send(res, 400, { errors: [{ message: parsed }] });
      let result: GraphQLResponse;
      try {
        result = entry.engine.run(parsed);
      } catch (e) {
        result = { errors: [{ message: (e as Error).message }] };
      }
      return send(res, 200, result);
    }
    if (pathname === '' && req.method === 'GET') {
      return send(res, 200, { subgraphs: [...engines.keys()].map((n) => `/subgraphs/name/${n}`), indexNode: '/graphql' });
    }
    return send(res, 404, { errors: [{ message: 'Not found' }] });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const shownHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${shownHost}:${addr.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
  };
}
