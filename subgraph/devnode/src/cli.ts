/**
 * devnode --subgraph <build dir | subgraph.yaml> --rpc <url> [--db <dir>] [--port 8000] [--host 127.0.0.1]
 *         [--name <subgraph name>] [--poll-ms 500] [--confirmations 0] [--no-watch] [--log-level info]
 *
 * Catches up (printing blocks/s, events/s, head and lag), serves GraphQL at /subgraphs/name/<name>,
 * re-indexes from scratch when the build output changes, and shuts down cleanly on SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { consoleLogger, startDevnode } from './index.js';

const USAGE = `usage: devnode --subgraph <build dir | subgraph.yaml> --rpc <url> [--db <dir>] [--port 8000]
               [--host 127.0.0.1] [--name <name>] [--poll-ms 500] [--confirmations 0] [--no-watch]
               [--log-level critical|error|warning|info|debug]`;

const ArgsSchema = z.object({
  subgraph: z.string({ error: '--subgraph is required' }).min(1),
  rpc: z.url({ error: '--rpc must be an http(s) URL' }),
  db: z.string().min(1).optional(),
  port: z.coerce.number().int().min(0).max(65_535).default(8000),
  host: z.string().default('127.0.0.1'),
  name: z
    .string()
    .regex(/^[A-Za-z0-9_\-/]+$/, '--name may hold letters, digits, - _ and /')
    .optional(),
  pollMs: z.coerce.number().int().min(10).default(500),
  confirmations: z.coerce.number().int().min(0).default(0),
  watch: z.boolean().default(true),
  logLevel: z.enum(['critical', 'error', 'warning', 'info', 'debug']).default('info'),
});

export async function main(argv: string[]): Promise<number> {
  let values;
  try {
    values = parseArgs({
      args: argv,
      options: {
        subgraph: { type: 'string' },
        rpc: { type: 'string' },
        db: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        name: { type: 'string' },
        'poll-ms': { type: 'string' },
        confirmations: { type: 'string' },
        'no-watch': { type: 'boolean' },
        'log-level': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const parsed = ArgsSchema.safeParse({
    subgraph: values.subgraph,
    rpc: values.rpc,
    db: values.db,
    port: values.port,
    host: values.host,
    name: values.name,
    pollMs: values['poll-ms'],
    confirmations: values.confirmations,
    watch: !values['no-watch'],
    logLevel: values['log-level'],
  });
  if (!parsed.success) {
    console.error(`${parsed.error.issues.map((issue) => issue.message).join('\n')}\n${USAGE}`);
    return 2;
  }
  const args = parsed.data;
  const log = consoleLogger(args.logLevel);

  let node;
  try {
    node = await startDevnode({
      subgraph: args.subgraph,
      rpc: args.rpc,
      port: args.port,
      host: args.host,
      pollMs: args.pollMs,
      confirmations: args.confirmations,
      watch: args.watch,
      log,
      ...(args.db ? { db: args.db } : {}),
      ...(args.name ? { name: args.name } : {}),
    });
  } catch (error) {
    console.error(`devnode: ${(error as Error).message}`);
    return 1;
  }
  console.log(`devnode: serving ${node.url} (index-node API at ${node.serverUrl}/graphql)`);

  let last = { at: Date.now(), events: 0, blocks: 0 };
  let lastHead = -1;
  const ticker = setInterval(() => {
    const status = node.status();
    const progress = node.progress();
    const now = Date.now();
    const seconds = Math.max((now - last.at) / 1000, 0.001);
    const head = status.latestBlock?.number ?? -1;
    const chainHead = status.chainHeadBlock?.number ?? null;
    if (status.fatalError) return;
    if (head !== lastHead || !status.synced) {
      const lag = chainHead === null ? '?' : String(Math.max(chainHead - head, 0));
      console.log(
        `devnode: block ${head} / chain ${chainHead ?? '?'} (lag ${lag})` +
          ` · ${((progress.blocks - last.blocks) / seconds).toFixed(0)} blocks/s` +
          ` · ${((progress.events - last.events) / seconds).toFixed(0)} events/s${status.synced ? ' · synced' : ''}`,
      );
    }
    lastHead = head;
    last = { at: now, events: progress.events, blocks: progress.blocks };
  }, 2_000);
  ticker.unref();

  return new Promise<number>((resolve) => {
    let closing = false;
    const shutdown = (signal: string) => {
      if (closing) return;
      closing = true;
      console.log(`devnode: ${signal}, shutting down`);
      clearInterval(ticker);
      node.close().then(
        () => resolve(0),
        (error: unknown) => {
          console.error(`devnode: error while closing: ${(error as Error).message}`);
          resolve(1);
        },
      );
    };
    process.once('SIGINT', () => shutdown('SIGINT'));
    process.once('SIGTERM', () => shutdown('SIGTERM'));
  });
}
