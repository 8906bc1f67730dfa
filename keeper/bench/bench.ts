/**
 * `pnpm --filter @necto/keeper bench`: keeper benchmarks, one `name: value` line each.
 * - route.ts: the deterministic engine over 5,000 offers (in-process).
 * - submit-to-commit.ts: a local stack (anvil with 1 s blocks, deployed contracts, the keeper process with the
 *   local model) from a buyer's submitJob to the keeper's RouteCommitted. Set BENCH_JOBS to change N.
 * - akash-route-to-running.ts: the Akash deployer on the local Akash stand-ins, bound route → running.
 * - the same stack with a burst of 100 submissions sent at once (`keeper.burst100_commit_p95_ms`).
 */
import { benchAkashRouteToRunning, printAkashBench } from './akash-route-to-running.js';
import { benchRoute, printRouteBench } from './route.js';
import { benchSubmitToCommit, printBurstBench, printSubmitToCommitBench } from './submit-to-commit.js';

printRouteBench(benchRoute());
printSubmitToCommitBench(await benchSubmitToCommit({ jobs: Number(process.env.BENCH_JOBS ?? 20) }));
printAkashBench(await benchAkashRouteToRunning({ jobs: Number(process.env.BENCH_AKASH_JOBS ?? 10) }));
printBurstBench(await benchSubmitToCommit({ jobs: 100, burst: true }));
