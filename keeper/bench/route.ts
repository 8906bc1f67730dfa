/**
 * Routing benchmark: the deterministic engine over a catalog of 5,000 offers.
 * `pnpm --filter @necto/keeper bench` prints `keeper.route_p50_ms: N` and `keeper.route_p95_ms: N`.
 */
import { fileURLToPath } from 'node:url';
import { DEFAULT_WEIGHTS, route } from '../src/engine/index.js';
import { syntheticCandidates, syntheticRequest } from '../src/engine/synthetic.js';

export interface RouteBench {
  offers: number;
  runs: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** Process CPU time per route (all threads, GC included): the figure that does not depend on machine load. */
  cpuP50Ms: number;
  cpuP95Ms: number;
}

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function benchRoute(opts: { offers?: number; runs?: number; warmup?: number; seed?: number } = {}): RouteBench {
  const offers = opts.offers ?? 5_000;
  const runs = opts.runs ?? 200;
  const warmup = opts.warmup ?? 30;
  const candidates = syntheticCandidates(offers, opts.seed ?? 42);
  const requests = Array.from({ length: 16 }, (_, i) => {
    const r = syntheticRequest(1000 + i, candidates);
    // Broad requests are the slow path (most candidates feasible, big sort): use them for half the runs.
    return i % 2 === 0 ? { ...r, gpuModels: [], regions: [], minVramGb: 0, minVcpu: 0, minRamGb: 0, gpuCount: 1, allowExternal: true, budget: null, teamRemainingCap: null, maxPricePerGpuHour: 10_000_000n, trust: { auditedOnly: false, allowList: [] } } : r;
  });
  for (let i = 0; i < warmup; i++) route(requests[i % requests.length]!, candidates, DEFAULT_WEIGHTS);
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const req = requests[i % requests.length]!;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    route(req, candidates, DEFAULT_WEIGHTS);
    times.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    offers,
    runs,
    p50Ms: round(percentile(times, 50)),
    p95Ms: round(percentile(times, 95)),
    maxMs: round(times[times.length - 1]!),
    cpuP50Ms: round(percentile(cpu, 50)),
    cpuP95Ms: round(percentile(cpu, 95)),
  };
}

export function printRouteBench(r: RouteBench): void {
  console.log(`keeper.route_offers: ${r.offers}`);
  console.log(`keeper.route_p50_ms: ${r.p50Ms}`);
  console.log(`keeper.route_p95_ms: ${r.p95Ms}`);
  console.log(`keeper.route_cpu_p50_ms: ${r.cpuP50Ms}`);
  console.log(`keeper.route_cpu_p95_ms: ${r.cpuP95Ms}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  printRouteBench(benchRoute());
}
