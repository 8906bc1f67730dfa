/**
 * From a bound Akash route to the workload running (startJob reported), on the local Akash stand-ins: create the
 * deployment (signed, simulated, broadcast, included), the routed provider's bid, the lease, the manifest to the
 * gateway with a JWT, the lease status until ready. The stand-in provider runs an in-memory runtime, so the
 * number is the deployer's and the Akash protocol's path, not a container start.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createChainClient } from '../src/akash/chain-client.js';
import { createGatewayClient } from '../src/akash/gateway-client.js';
import { buildSdl } from '../src/akash/sdl.js';
import { akashWalletFrom } from '../src/akash/wallet.js';
import { createCatalog } from '../src/catalog/index.js';
import type { JobRequest } from '../src/domain/types.js';
import { zgRootOf } from '../src/log/root.js';
import { silentLogger } from '../src/logger.js';
import { createAkashDeployer } from '../src/services/akash-deployer/deployer.js';
import { DeployerStore } from '../src/services/akash-deployer/store.js';
import { startStandinGateway } from '../standins/akash/gateway.js';
import { memoryRuntime } from '../standins/akash/memory-runtime.js';
import { startStandinNode } from '../standins/akash/node.js';

export async function benchAkashRouteToRunning(opts: { jobs: number }): Promise<number[]> {
  const dir = mkdtempSync(join(tmpdir(), 'necto-bench-akash-'));
  const wallet = await akashWalletFrom(`0x${'51'.repeat(32)}`);
  const provider = await akashWalletFrom(`0x${'52'.repeat(32)}`);
  const node = await startStandinNode({ accounts: [{ address: wallet.address, balances: [{ denom: 'uakt', amount: '10000000000' }, { denom: 'uact', amount: '10000000000' }] }], bidDelayMs: 10 });
  const gateway = await startStandinGateway({ node, provider: provider.address, runtime: memoryRuntime({ lines: 1_000_000, stepMs: 1_000 }).runtime });
  node.addProvider({ address: provider.address, hostUri: gateway.url, gpuModels: [], priceFraction: 0.7, bids: true });
  const status = new Map<string, number>();
  const deployer = createAkashDeployer({
    chain: createChainClient({ rest: node.url, chainId: node.chainId, pollMs: 10 }),
    wallet,
    gateway: createGatewayClient(),
    market: {
      job: async (id) => ({ status: status.get(id.toString()) ?? 3, round: 1 }),
      startJob: async (id) => void status.set(id.toString(), 4),
      completeJob: async (id) => void status.set(id.toString(), 5),
    },
    content: { put: async (bytes) => ({ root: await zgRootOf(bytes) }) },
    store: new DeployerStore(dir, 31337, '0x00000000000000000000000000000000000000aa'),
    logger: silentLogger,
    chainId: 31337,
    jobMarket: '0x00000000000000000000000000000000000000aa',
    operator: '0x00000000000000000000000000000000000000bb',
    runtimeKind: 'akash-standin',
  });
  const view = await createCatalog({ subgraphUrl: '', live: false, ttlMs: 1, timeoutMs: 1 }).lookup();
  const candidate = view.candidates.find((c) => c.market === 'akash')!;
  const times: number[] = [];
  try {
    for (let i = 1; i <= opts.jobs; i++) {
      const req: JobRequest = {
        jobId: BigInt(i), buyer: '0x00000000000000000000000000000000000000b0', teamId: 0, gpuModels: [], gpuCount: 1, minVramGb: 0, minVcpu: 1, minRamGb: 1, regions: [],
        maxPricePerGpuHour: 1_000_000n, durationSec: 3600, allowExternal: true, teamRemainingCap: null, budget: null, specHash: `0x${'cd'.repeat(32)}`,
        trust: { auditedOnly: false, allowList: [] }, excludeProviderRefs: [], workload: { image: 'necto/demo:1', command: ['sh', '-c', 'sleep 3600'] },
      };
      const sdl = await buildSdl(req, candidate);
      const t0 = performance.now();
      await deployer.track({ jobId: BigInt(i), round: 1, sdl: sdl.yaml, sdlHash: sdl.hash, provider: provider.address, durationSec: 3600 });
      while (deployer.get(BigInt(i), 1)?.state !== 'running') {
        await deployer.tick();
        await new Promise((r) => setTimeout(r, 5));
      }
      times.push(performance.now() - t0);
    }
  } finally {
    await gateway.close();
    await node.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return times;
}

export function printAkashBench(times: number[]): void {
  const sorted = [...times].sort((a, b) => a - b);
  const p50 = sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
  console.log(`keeper.akash_route_to_running_p50_ms: ${p50.toFixed(1)}`);
}
