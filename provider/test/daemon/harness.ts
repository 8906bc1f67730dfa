// The world a provider agent lives in, for tests: a real deployment on anvil (1 s blocks), podman through its
// Docker-compatible socket with the offline demo image, and a keeper HTTP server on 127.0.0.1 with the real
// provider endpoints (document hand-off, heartbeats, content store). Buyers and the keeper act through viem.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { jobMarketAbi, type Deployment } from '@necto/contracts';
import { canonicalJson } from '@necto/keeper/canonical';
import { createPublicClient, createWalletClient, http, keccak256, stringToHex, type Address, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { foundry } from 'viem/chains';
import { createApp } from '../../../keeper/src/api/app.js';
import { SpecStore } from '../../../keeper/src/chain/spec-document.js';
import { createLogStore } from '../../../keeper/src/log/index.js';
import { createProviderServices } from '../../../keeper/src/services/providers.js';
import { fakeDeps } from '../../../keeper/test/api/fakes.js';
import { ANVIL_KEYS, freePort, startDeployedAnvil, type DeployedAnvil } from '../../../keeper/test/chain/anvil.js';
import { buyer as buyerOf } from '../../../keeper/test/chain/market.js';
import { commitRouteToProvider } from '../../../keeper/test/chain/onchain-provider.js';
import { createChainClients } from '../../src/chain/clients.js';
import { readOffers, syncRegistry } from '../../src/chain/registry.js';
import { resolveConfig, type ProviderConfig } from '../../src/config/load.js';
import type { ProviderConfigInput } from '../../src/config/schema.js';
import { startTestRuntime, TEST_ULIMITS, type TestRuntime } from '../runtime/podman-harness.js';

export { ANVIL_KEYS };

export const OFFER = { gpuModel: 'a100', gpuCount: 1, vramGb: 80, vcpu: 2, ramGb: 1, region: 'us-east', pricePerGpuHour: 1_000_000, units: 4 };

export interface World {
  anvil: DeployedAnvil;
  deployment: Deployment;
  podman: TestRuntime;
  keeperUrl: string;
  dir: string;
  specs: SpecStore;
  stop(): Promise<void>;
}

export async function startWorld(): Promise<World> {
  const anvil = await startDeployedAnvil({ blockTime: 1 });
  const dir = mkdtempSync(join(tmpdir(), 'necto-provider-world-'));
  let podman: TestRuntime | undefined;
  let server: ServerType | undefined;
  try {
    podman = await startTestRuntime();
    const { deployment } = anvil;
    const specs = new SpecStore(join(dir, 'keeper'), deployment.chainId, deployment.contracts.JobMarket);
    const providers = createProviderServices({
      publicClient: createPublicClient({ chain: foundry, transport: http(anvil.url) }),
      chainId: deployment.chainId,
      jobMarket: deployment.contracts.JobMarket,
      providerRegistry: deployment.contracts.ProviderRegistry,
      startBlock: 0n,
      keeper: privateKeyToAccount(ANVIL_KEYS[1]).address,
      specs,
      contentStore: createLogStore({ kind: 'local', dir: join(dir, 'keeper', 'content') }),
    });
    const app = createApp(fakeDeps({ bodyLimitBytes: 64 * 1024 }, { providers }));
    const port = await freePort();
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => resolve(s));
    });
    const keeperServer = server;
    const runtime = podman;
    await buyerOf(anvil.url, deployment).fund();
    return {
      anvil,
      deployment,
      podman: runtime,
      keeperUrl: `http://127.0.0.1:${port}`,
      dir,
      specs,
      async stop() {
        await new Promise<void>((r) => keeperServer.close(() => r()));
        await runtime.stop();
        await anvil.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    server?.close();
    await podman?.stop();
    await anvil.stop();
    throw err;
  }
}

/** A provider config for `key` in this world (the agent's HTTP port is free-picked). */
export async function providerConfig(world: World, key: Hex, patch: Partial<ProviderConfigInput> = {}): Promise<{ cfg: ProviderConfig; raw: ProviderConfigInput }> {
  const raw: ProviderConfigInput = {
    chain: { rpcUrl: world.anvil.url, chainId: world.deployment.chainId, confirmations: 1, pollIntervalMs: 250 },
    keeperUrl: world.keeperUrl,
    profile: { name: `Test host ${key.slice(2, 6)}`, region: 'us-east' },
    offers: [OFFER],
    // Podman's Docker API drops DeviceRequests, and this machine has no GPU: every job asks for one, so a device node
    // that exists everywhere stands in for /dev/nvidia0 (the agent checks the engine kept it).
    runtime: { socket: world.podman.service.dockerHost, ulimits: TEST_ULIMITS, stopGraceSeconds: 2, gpu: { mode: 'devices', paths: ['/dev/null'] } },
    policy: { denyImages: ['evil/*'], maxMemory: '256m', maxVcpu: 1 },
    stateDir: join(world.dir, `provider-${key.slice(2, 10)}`),
    http: { host: '127.0.0.1', port: await freePort(), corsOrigins: ['http://localhost:5173'] },
    heartbeatIntervalMs: 1_000,
    ...patch,
  };
  return { cfg: resolveConfig(raw, { env: { PROVIDER_PRIVATE_KEY: key }, deployment: world.deployment }), raw };
}

/** Registers the provider and its offer (the agent's own `sync`); returns the on-chain offer id. */
export async function syncProvider(cfg: ProviderConfig): Promise<bigint> {
  const clients = createChainClients({ rpcUrl: cfg.chain.rpcUrl, chainId: cfg.chain.chainId, privateKey: cfg.privateKey, pollingIntervalMs: 100 });
  await syncRegistry(clients, cfg);
  const offers = await readOffers(clients, cfg.deployment.contracts.ProviderRegistry, cfg.address, 0n);
  return offers[0]!.offerId;
}

const buyerAccount = privateKeyToAccount(ANVIL_KEYS[0]);
export const BUYER: Address = buyerAccount.address;

/**
 * A buyer submits an untracked job for `document`, hands the document to the keeper, and the keeper routes it to
 * the provider's offer (auto-accepted).
 */
export async function submitRoutedJob(
  world: World,
  provider: { address: Address; offerId: bigint },
  document: Record<string, unknown>,
  opts: { duration?: number; onStep?: (step: 'submit_mined' | 'commit_sent' | 'commit_mined', jobId: bigint) => void } = {},
): Promise<bigint> {
  const text = canonicalJson(document);
  const { jobId } = await buyerOf(world.anvil.url, world.deployment).submit({ tracked: false, autoAccept: true, specHash: keccak256(stringToHex(text)), duration: opts.duration ?? 600 });
  opts.onStep?.('submit_mined', jobId);
  world.specs.put(jobId, text, { gpuModels: [], regions: [], minVramGb: 0, minVcpu: 0, minRamGb: 0 });
  opts.onStep?.('commit_sent', jobId);
  await commitRouteToProvider(world.anvil.url, world.deployment, jobId, { address: provider.address, offerId: provider.offerId, pricePerGpuHour: OFFER.pricePerGpuHour });
  opts.onStep?.('commit_mined', jobId);
  return jobId;
}

/**
 * A buyer submits a tracked job whose document is published on-chain with its spec (JobSpecPublished), and the
 * keeper routes it to the provider's offer (auto-accepted). The keeper's spec store is not told anything.
 */
export async function submitTrackedJob(world: World, provider: { address: Address; offerId: bigint }, document: Record<string, unknown>, opts: { duration?: number } = {}): Promise<bigint> {
  const { jobId } = await buyerOf(world.anvil.url, world.deployment).submit({ tracked: true, autoAccept: true, document: canonicalJson(document), gpuModels: [], duration: opts.duration ?? 600 });
  await commitRouteToProvider(world.anvil.url, world.deployment, jobId, { address: provider.address, offerId: provider.offerId, pricePerGpuHour: OFFER.pricePerGpuHour });
  return jobId;
}

export function chain(world: World) {
  const publicClient = createPublicClient({ chain: foundry, transport: http(world.anvil.url), pollingInterval: 100 });
  const wallet = createWalletClient({ chain: foundry, transport: http(world.anvil.url), account: buyerAccount, pollingInterval: 100 });
  const market = world.deployment.contracts.JobMarket;
  return {
    publicClient,
    getJob: (jobId: bigint) => publicClient.readContract({ address: market, abi: jobMarketAbi, functionName: 'getJob', args: [jobId] }),
    async cancel(jobId: bigint) {
      // Headroom over the estimate: estimated in the start's second nothing is owed yet, so the provider's payout
      // transfer (paid once a second has passed) is not in the estimate.
      const estimate = await publicClient.estimateContractGas({ account: buyerAccount, address: market, abi: jobMarketAbi, functionName: 'cancelJob', args: [jobId] });
      const hash = await wallet.writeContract({ address: market, abi: jobMarketAbi, functionName: 'cancelJob', args: [jobId], gas: (estimate * 3n) / 2n });
      const receipt = await publicClient.waitForTransactionReceipt({ hash });
      if (receipt.status !== 'success') {
        // Replay it at its block for the revert reason.
        const tx = await publicClient.getTransaction({ hash });
        const why = await publicClient.call({ account: tx.from, to: tx.to!, data: tx.input, gas: tx.gas, blockNumber: receipt.blockNumber - 1n }).then(() => `ran out of its ${tx.gas} gas (used ${receipt.gasUsed})`, (e: Error) => e.message.split('\n')[0]);
        throw new Error(`cancel reverted: ${why}`);
      }
      return receipt;
    },
    async topUp(jobId: bigint, amount: bigint, extraDuration: number) {
      const receipt = await publicClient.waitForTransactionReceipt({ hash: await wallet.writeContract({ address: market, abi: jobMarketAbi, functionName: 'topUp', args: [jobId, amount, extraDuration] }) });
      if (receipt.status !== 'success') throw new Error('top-up reverted');
    },
    started: (jobId: bigint) => publicClient.getContractEvents({ address: market, abi: jobMarketAbi, eventName: 'JobStarted', args: { jobId }, fromBlock: 0n }),
    completed: (jobId: bigint) => publicClient.getContractEvents({ address: market, abi: jobMarketAbi, eventName: 'JobCompleted', args: { jobId }, fromBlock: 0n }),
  };
}

export async function waitFor<T>(what: string, check: () => Promise<T | null | undefined | false>, timeoutMs = 60_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
