/**
 * End-to-end devnode benchmark (`pnpm bench:devnode`):
 *   1. builds the bench fixture (solcjs + graph codegen/build, cached) and starts anvil without automine;
 *   2. deploys BenchToken and mines BLOCKS blocks of TXS_PER_BLOCK `emitBatch(EVENTS_PER_TX)` calls each;
 *   3. indexes that chain from scratch with the devnode, in process (`startDevnode`), timed from start to head;
 *   4. sends a few hundred filtered / ordered / paginated GraphQL queries as HTTP POSTs after a warm-up;
 *   5. unless BENCH_PONDER=0, indexes the same chain with Ponder (bench/ponder.ts; npm-installed on first use).
 * Prints `devnode.<metric>: N` lines, context lines prefixed with `#`.
 *
 * Environment: BENCH_EVENTS (default 24000), BENCH_EVENTS_PER_TX (25), BENCH_TXS_PER_BLOCK (4),
 * BENCH_QUERIES (350), BENCH_PROFILE=1 (time RPC / handler / host functions / store inside the indexer),
 * BENCH_CPU_PROF=<file> (V8 CPU profiles of the indexing and query phases, with self-time summaries),
 * BENCH_INSTANCE_POLICY=reset|fresh (passed to startDevnode as `instancePolicy`; default: the devnode's).
 */
import { loadavg } from 'node:os';
import { encodeFunctionData } from 'viem';
import { startDevnode, type Devnode, type Logger } from '../src/index.js';
import type { VersionedStore } from '../src/store/memory.js';
import { BENCH_ADDRESS, SENDER, buildFixture, buildDir, startAnvil, type Anvil, type Artifact } from './fixture.js';
import { installProfiler, startCpuProfile } from './profile.js';
import { PONDER_FINALITY_BLOCKS, runPonder } from './ponder.js';

const int = (name: string, fallback: number) => {
  const raw = process.env[name];
  const value = raw ? Number(raw) : fallback;
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
};
const TARGET_EVENTS = int('BENCH_EVENTS', 24_000);
const EVENTS_PER_TX = int('BENCH_EVENTS_PER_TX', 25);
const TXS_PER_BLOCK = int('BENCH_TXS_PER_BLOCK', 4);
const QUERIES = int('BENCH_QUERIES', 350);
const WARMUP = 50;
const BLOCKS = Math.ceil(TARGET_EVENTS / (EVENTS_PER_TX * TXS_PER_BLOCK));
const EVENTS = BLOCKS * TXS_PER_BLOCK * EVENTS_PER_TX;
const ACCOUNTS = 500; // BenchToken's address space: 0x1000 + (r % 500)

const fmt = (n: number, digits = 1) => n.toFixed(digits);
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
const hex = (n: number | bigint) => `0x${n.toString(16)}`;

async function generateChain(anvil: Anvil, artifact: Artifact): Promise<number> {
  const deployHash = await anvil.rpc<string>('eth_sendTransaction', [{ from: SENDER, data: artifact.bytecode, gas: hex(3_000_000), nonce: '0x0' }]);
  await anvil.rpc('evm_mine');
  const deployReceipt = await anvil.rpc<{ contractAddress: string; status: string }>('eth_getTransactionReceipt', [deployHash]);
  if (deployReceipt.contractAddress?.toLowerCase() !== BENCH_ADDRESS) {
    throw new Error(`BenchToken deployed at ${deployReceipt.contractAddress}, subgraph.yaml expects ${BENCH_ADDRESS}`);
  }
  const gas = hex(80_000 + EVENTS_PER_TX * 12_000);
  let nonce = 1;
  for (let b = 0; b < BLOCKS; b++) {
    const sends: Array<[string, unknown[]]> = [];
    for (let t = 0; t < TXS_PER_BLOCK; t++) {
      const data = encodeFunctionData({ abi: artifact.abi, functionName: 'emitBatch', args: [BigInt(EVENTS_PER_TX), BigInt(b * 1_000 + t)] });
      sends.push(['eth_sendTransaction', [{ from: SENDER, to: BENCH_ADDRESS, data, gas, nonce: hex(nonce++) }]]);
    }
    await anvil.batch(sends);
    await anvil.rpc('evm_mine');
  }
  const head = Number(BigInt(await anvil.rpc<string>('eth_blockNumber')));
  const seqData = encodeFunctionData({ abi: artifact.abi, functionName: 'seq' });
  const emitted = Number(BigInt(await anvil.rpc<string>('eth_call', [{ to: BENCH_ADDRESS, data: seqData }, 'latest'])));
  if (emitted !== EVENTS) throw new Error(`chain holds ${emitted} events, expected ${EVENTS} (did some transactions revert or stay pending?)`);
  if (head !== BLOCKS + 1) throw new Error(`chain head is block ${head}, expected ${BLOCKS + 1}`);
  return head;
}

async function post(url: string, query: string, variables: Record<string, unknown>): Promise<Record<string, unknown>> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown };
  if (!response.ok || body.errors) throw new Error(`GraphQL query failed (HTTP ${response.status}): ${JSON.stringify(body.errors ?? body)}\n${query}`);
  return body.data!;
}

let seed = 7;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const pick = (n: number) => Math.floor(rand() * n);
const account = (i: number) => `0x${(0x1000 + i).toString(16).padStart(40, '0')}`;

/** Typical dApp list queries: filter + order + page, nested references and derived fields, cursor paging. */
function queryShapes(head: number): Array<{ name: string; query: string; vars: () => Record<string, unknown> }> {
  return [
    {
      name: 'by receiver, by amount desc',
      query: `query($to: String!) { transfers(first: 100, where: { to: $to }, orderBy: amount, orderDirection: desc) { id amount fee memo timestamp from { id label } } }`,
      vars: () => ({ to: account(pick(ACCOUNTS)) }),
    },
    {
      name: 'range + bool, skip, by block desc',
      query: `query($min: BigInt!, $skip: Int!) { transfers(first: 50, skip: $skip, where: { amount_gt: $min, flagged: true }, orderBy: blockNumber, orderDirection: desc) { id amount blockNumber to { id } } }`,
      vars: () => ({ min: (BigInt(pick(900)) * 10n ** 21n).toString(), skip: pick(10) * 50 }),
    },
    {
      name: 'accounts filter, by balance',
      query: `query($n: Int!) { accounts(first: 100, where: { transferCount_gt: $n }, orderBy: balance, orderDirection: desc) { id label balance transferCount } }`,
      vars: () => ({ n: 60 + pick(40) }),
    },
    {
      name: 'block window, by logIndex',
      query: `query($lo: BigInt!, $hi: BigInt!) { transfers(first: 100, where: { blockNumber_gte: $lo, blockNumber_lt: $hi }, orderBy: logIndex) { id seq memo logIndex } }`,
      vars: () => {
        const lo = 2 + pick(head - 10);
        return { lo: String(lo), hi: String(lo + 5) };
      },
    },
    {
      name: 'account + derived lists',
      query: `query($id: ID!) { account(id: $id) { id balance transferCount transfersIn(first: 10, orderBy: amount, orderDirection: desc) { id amount } transfersOut(first: 10, orderBy: timestamp, orderDirection: desc) { id amount } } }`,
      vars: () => ({ id: account(pick(ACCOUNTS)) }),
    },
    {
      name: 'sender + range, by seq desc',
      query: `query($from: String!, $tok: BigInt!) { transfers(first: 20, where: { from: $from, tokenId_lt: $tok }, orderBy: seq, orderDirection: desc) { id seq tokenId } }`,
      vars: () => ({ from: account(pick(ACCOUNTS)), tok: String(2_000 + pick(8_000)) }),
    },
    {
      name: 'seq cursor page',
      query: `query($after: BigInt!) { transfers(first: 100, where: { seq_gt: $after }, orderBy: seq) { id seq amount } }`,
      vars: () => ({ after: String(pick(EVENTS)) }),
    },
  ];
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function main(): Promise<void> {
  const wall = performance.now();
  console.log(`# machine: ${process.platform} ${process.arch}, node ${process.version}, load average at start: ${load()}`);

  let t = performance.now();
  const { artifact, built } = buildFixture();
  console.log(`# fixture: ${built ? 'compiled + graph codegen/build' : 'cached build'} in ${fmt((performance.now() - t) / 1000)} s`);

  const anvil = await startAnvil();
  let node: Devnode | null = null;
  const profile = process.env.BENCH_PROFILE ? installProfiler() : null;
  try {
    t = performance.now();
    const head = await generateChain(anvil, artifact);
    const genSeconds = (performance.now() - t) / 1000;
    console.log(`# chain: ${EVENTS} events in ${BLOCKS} blocks (${TXS_PER_BLOCK} txs x ${EVENTS_PER_TX} events per block), head ${head}, generated in ${fmt(genSeconds)} s`);

    const policy = process.env.BENCH_INSTANCE_POLICY;
    const warnings: string[] = [];
    const log: Logger = (level, message) => {
      if (level === 'critical' || level === 'error' || level === 'warning') warnings.push(`${level}: ${message}`);
    };
    console.log(`# load average before indexing: ${load()}${policy ? `; instancePolicy ${policy}` : ''}`);
    profile?.reset();
    const stopCpuProfile = process.env.BENCH_CPU_PROF ? await startCpuProfile(process.env.BENCH_CPU_PROF) : null;
    const cpu0 = process.cpuUsage();
    t = performance.now();
    const options: Parameters<typeof startDevnode>[0] & Record<string, unknown> = { subgraph: buildDir, rpc: anvil.url, port: 0, host: '127.0.0.1', name: 'bench', log };
    if (policy) (options as Record<string, unknown>).instancePolicy = policy;
    node = await startDevnode(options);
    await node.waitForBlock(head, 170_000);
    const indexMs = performance.now() - t;
    const cpu = process.cpuUsage(cpu0);
    const cpuSummary = stopCpuProfile ? await stopCpuProfile() : [];
    const progress = node.progress();
    const status = node.status();
    if (status.fatalError) throw new Error(`subgraph failed: ${status.fatalError.message}`);
    const store = node.store() as VersionedStore;
    const transfers = store.countAt('Transfer', head);
    const accounts = store.countAt('Account', head);
    if (progress.events !== EVENTS || transfers !== EVENTS) {
      throw new Error(`indexed ${progress.events} events into ${transfers} Transfer entities, expected ${EVENTS}`);
    }
    const stats = await post(node.url!, '{ stats(id: "global") { transfers } _meta { block { number } } }', {});
    if ((stats.stats as { transfers: string }).transfers !== String(EVENTS)) throw new Error(`Stats.transfers = ${JSON.stringify(stats.stats)}, expected ${EVENTS}`);

    const seconds = indexMs / 1000;
    const blocksIndexed = head; // blocks 1..head, every one of them committed or skipped past as empty
    console.log(`# indexed: ${progress.events} events, ${blocksIndexed} blocks (${progress.blocks} committed), ${transfers} Transfer + ${accounts} Account + 1 Stats entities in ${fmt(seconds, 2)} s`);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    console.log(`# indexing CPU (this process, all threads): user ${fmt(cpu.user / 1e6, 2)} s, system ${fmt(cpu.system / 1e6, 2)} s = ${fmt((cpuSeconds * 1e5) / indexMs, 0)}% of wall; ${Math.round(progress.events / cpuSeconds)} events per CPU-second (what an idle machine would approach, anvil's share excluded)`);
    if (warnings.length) console.log(`# devnode warnings during indexing: ${warnings.length} (first: ${warnings[0]})`);
    if (profile) for (const line of profile.report(indexMs, progress.events)) console.log(`# profile: ${line}`);
    for (const line of cpuSummary) console.log(`# cpu: ${line}`);
    console.log(`# load average after indexing: ${load()}`);

    // queries over the indexed store, as real HTTP POSTs, one at a time
    const shapes = queryShapes(head);
    for (let i = 0; i < WARMUP; i++) {
      const shape = shapes[i % shapes.length]!;
      await post(node.url!, shape.query, shape.vars());
    }
    const queryProfileFile = process.env.BENCH_CPU_PROF?.replace(/(\.cpuprofile)?$/, '.query.cpuprofile');
    const stopQueryProfile = queryProfileFile ? await startCpuProfile(queryProfileFile) : null;
    const qcpu0 = process.cpuUsage();
    const qt0 = performance.now();
    const all: number[] = [];
    const byShape = shapes.map(() => [] as number[]);
    const cpuByShape = shapes.map(() => [] as number[]);
    let rows = 0;
    for (let i = 0; i < QUERIES; i++) {
      const k = i % shapes.length;
      const shape = shapes[k]!;
      const vars = shape.vars();
      const c = process.cpuUsage();
      const s = performance.now();
      const data = await post(node.url!, shape.query, vars);
      const ms = performance.now() - s;
      const used = process.cpuUsage(c);
      cpuByShape[k]!.push((used.user + used.system) / 1e3);
      all.push(ms);
      byShape[k]!.push(ms);
      const first = Object.values(data)[0];
      rows += Array.isArray(first) ? first.length : first ? 1 : 0;
    }
    const queryWallMs = performance.now() - qt0;
    const qcpu = process.cpuUsage(qcpu0);
    const querySummary = stopQueryProfile ? await stopQueryProfile() : [];
    all.sort((a, b) => a - b);
    shapes.forEach((shape, k) => {
      const xs = byShape[k]!.sort((a, b) => a - b);
      const cs = cpuByShape[k]!.sort((a, b) => a - b);
      console.log(
        `# query ${shape.name.padEnd(34)} n=${String(xs.length).padStart(3)}  wall p50 ${fmt(pct(xs, 50), 2).padStart(6)} p95 ${fmt(pct(xs, 95), 2).padStart(6)} max ${fmt(xs[xs.length - 1]!, 2).padStart(6)} ms` +
          `  CPU p50 ${fmt(pct(cs, 50), 2).padStart(5)} p95 ${fmt(pct(cs, 95), 2).padStart(5)} ms`,
      );
    });
    console.log(`# queries: ${QUERIES} after ${WARMUP} warm-up, ${rows} top-level rows returned, over ${transfers + accounts} entities; ${fmt(queryWallMs / QUERIES, 2)} ms wall and ${fmt((qcpu.user + qcpu.system) / 1e3 / QUERIES, 2)} ms CPU (client + server, one process) per query`);
    for (const line of querySummary) console.log(`# cpu: ${line}`);
    console.log(`# load average after queries: ${load()}`);

    const metrics = [
      `devnode.index_events_per_s: ${Math.round(progress.events / seconds)}`,
      `devnode.index_blocks_per_s: ${Math.round(blocksIndexed / seconds)}`,
      `devnode.query_p50_ms: ${fmt(pct(all, 50), 2)}`,
      `devnode.query_p95_ms: ${fmt(pct(all, 95), 2)}`,
    ];

    await node.close();
    node = null;
    if (process.env.BENCH_PONDER !== '0') {
      try {
        // Ponder backfills up to its finality depth only: bury the last event block under empty blocks
        await anvil.rpc('anvil_mine', [hex(PONDER_FINALITY_BLOCKS + 2)]);
        console.log(`# load average before ponder: ${load()}`);
        const p = await runPonder(anvil.url, artifact, EVENTS);
        console.log(
          `# ponder 0.16.4 (PGlite): ${p.events} events backfilled in ${fmt(p.indexMs / 1000, 2)} s after a ${fmt(p.startupMs / 1000, 1)} s start-up (build, database)` +
            `${p.installMs !== null ? `; npm install took ${fmt(p.installMs / 1000, 1)} s` : ''}; load average after: ${load()}`,
        );
        metrics.push(`ponder.index_events_per_s: ${Math.round(p.events / (p.indexMs / 1000))}`);
      } catch (error) {
        console.log(`# ponder: skipped (${(error as Error).message.replace(/\s+/g, ' ').slice(0, 400)})`);
      }
    }
    console.log(`# total bench wall time ${fmt((performance.now() - wall) / 1000)} s`);
    for (const line of metrics) console.log(line);
  } finally {
    await node?.close();
    await anvil.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`bench failed: ${(error as Error).stack ?? String(error)}`);
    process.exit(1);
  },
);
