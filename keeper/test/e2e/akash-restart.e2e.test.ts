// The Akash deployer survives a real `kill -9` of the keeper in every state. The keeper runs as its own process
// (`tsx src/main.ts`, as tools/stack.mjs starts it) against anvil with the Necto contracts and the local Akash
// stand-ins (node REST + one provider gateway, an in-memory container runtime). Loopback proxies in front of the
// stand-ins hold one answer (a broadcast tx whose effect already happened, the manifest the provider already ran,
// the lease status) so the deployer sits in a chosen state; the test reads the state the keeper persisted, sends
// SIGKILL to its process group and starts a new keeper on the same data directory. After every restart the
// stand-in node holds exactly one deployment and at most one lease for the job round; when the job ends the
// deployment is closed and the job completed once.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { akashWalletFrom } from '../../src/akash/wallet.js';
import { canonicalJson } from '../../src/domain/canonical.js';
import { specHashOfText } from '../../src/domain/job-document.js';
import { createCatalog } from '../../src/catalog/index.js';
import { DeployerStore, type DeployerState, type DeploymentRecord } from '../../src/services/akash-deployer/store.js';
import { startStandinGateway, type StandinGateway } from '../../standins/akash/gateway.js';
import { memoryRuntime } from '../../standins/akash/memory-runtime.js';
import { startStandinNode, type StandinNode } from '../../standins/akash/node.js';
import { freePort, repoRoot, startDeployedAnvil, ANVIL_KEYS, type DeployedAnvil } from '../chain/anvil.js';
import { tempDir, waitFor } from '../chain/harness.js';
import { buyer } from '../chain/market.js';
import { startHoldingProxy, type HoldingProxy } from '../akash/holding-proxy.js';
import { startProcess, type StartedProcess } from '../../../tools/lib.mjs';

const AKASH_KEY = `0x${'71'.repeat(32)}`;
const TX = /^\/cosmos\/tx\/v1beta1\/txs$/;

type KeeperProcess = StartedProcess;

describe('Akash deployer across kill -9 of the keeper process, in every state', () => {
  let anvil: DeployedAnvil;
  let node: StandinNode;
  let gateway: StandinGateway;
  let nodeProxy: HoldingProxy;
  let gatewayProxy: HoldingProxy;
  let keeper: KeeperProcess | null = null;
  let env: Record<string, string>;
  let dataDir: string;
  let owner: string;
  let keeperUrl: string;
  const rt = memoryRuntime({ lines: 100_000, stepMs: 200 });
  const b = () => buyer(anvil.url, anvil.deployment);

  const startKeeper = async () => {
    const proc = startProcess('keeper', join(repoRoot, 'node_modules/.bin/tsx'), [join(repoRoot, 'keeper/src/main.ts')], { cwd: join(repoRoot, 'keeper'), env, quiet: true });
    keeper = proc;
    let exited = false;
    void proc.exitPromise.then(() => (exited = true));
    for (const deadline = Date.now() + 90_000; ; ) {
      if (exited) throw new Error(`the keeper exited:\n${proc.output()}`);
      // Any answer: the HTTP server is up (health may say "degraded" without a subgraph).
      if (await fetch(`${keeperUrl}/health`).then(() => true, () => false)) return;
      if (Date.now() > deadline) throw new Error(`the keeper did not answer within 90 s:\n${proc.output()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  /** SIGKILL to the keeper's process group (tsx and the node it runs): no handler runs, nothing is flushed. */
  const kill9 = async () => {
    const proc = keeper!;
    process.kill(-proc.pid, 'SIGKILL');
    const { signal } = await proc.exitPromise;
    expect(signal).toBe('SIGKILL');
    keeper = null;
  };
  const record = (jobId: bigint): DeploymentRecord | null => new DeployerStore(dataDir, anvil.deployment.chainId, anvil.deployment.contracts.JobMarket).get(jobId.toString(), 1);
  const untilState = (jobId: bigint, state: DeployerState, ms = 60_000) => waitFor(() => record(jobId)?.state === state, `the persisted state ${state}`, ms);
  const deployments = () => node.deploymentsOf(owner);
  const leases = (dseq: string) => node.leasesOf(owner, BigInt(dseq));
  /** Exactly one deployment for the job round, at most one lease (one once leased). */
  const expectOne = (r: DeploymentRecord, leased: boolean) => {
    expect(deployments().map((d) => d.dseq.toString())).toEqual([r.dseq]);
    expect(leases(r.dseq)).toHaveLength(leased ? 1 : 0);
  };

  beforeAll(async () => {
    anvil = await startDeployedAnvil();
    await b().fund();
    const wallet = await akashWalletFrom(AKASH_KEY);
    owner = wallet.address;
    node = await startStandinNode({ accounts: [{ address: owner, balances: [{ denom: 'uakt', amount: '1000000000' }, { denom: 'uact', amount: '1000000000' }] }], bidDelayMs: 50 });
    // The catalog snapshot's cheapest A100 provider on Akash, played by the stand-in (as in akash.e2e.test.ts).
    const provider = (await createCatalog({ subgraphUrl: '', live: false, ttlMs: 1, timeoutMs: 1 }).lookup()).candidates
      .filter((c) => c.market === 'akash' && c.gpuModel === 'a100')
      .sort((x, y) => Number(x.pricePerGpuHour - y.pricePerGpuHour))[0]!.externalId;
    gateway = await startStandinGateway({ node, provider, runtime: rt.runtime, watchMs: 50 });
    nodeProxy = await startHoldingProxy(node.url);
    gatewayProxy = await startHoldingProxy(gateway.url);
    node.addProvider({ address: provider, hostUri: gatewayProxy.url, gpuModels: ['a100'], priceFraction: 0.8, bids: true });

    dataDir = tempDir();
    const deploymentFile = join(dataDir, 'deployment.json');
    writeFileSync(deploymentFile, JSON.stringify({ chainId: anvil.deployment.chainId, startBlock: anvil.deployment.startBlock, contracts: anvil.deployment.contracts }));
    const port = await freePort();
    keeperUrl = `http://127.0.0.1:${port}`;
    env = {
      RPC_URL: anvil.url, CHAIN_ID: String(anvil.deployment.chainId), DEPLOYMENT_FILE: deploymentFile, PORT: String(port), HOST: '127.0.0.1',
      DATA_DIR: join(dataDir, 'keeper'), KEEPER_PRIVATE_KEY: ANVIL_KEYS[1], CONFIRMATIONS: '0', POLL_INTERVAL_MS: '200',
      SUBGRAPH_URL: 'http://127.0.0.1:9/subgraphs/name/necto', CATALOG_MAX_AGE_SEC: '3153600000', LOG_LEVEL: 'warn',
      AKASH_NODE_URL: nodeProxy.url, AKASH_CHAIN_ID: node.chainId, AKASH_MNEMONIC: AKASH_KEY, AKASH_STANDIN: '1',
      // Longer than any kill and restart here: the round must not end for want of a bid while the keeper is down.
      AKASH_BID_WINDOW_MS: '300000',
    };
    dataDir = join(dataDir, 'keeper');
  }, 180_000);
  afterAll(async () => {
    await keeper?.stop();
    await nodeProxy?.close();
    await gatewayProxy?.close();
    await gateway?.close();
    await node?.close();
    await anvil?.stop();
  });

  it('resumes with one deployment and one lease per job round after kill -9 in created, bidding, leased, manifest-sent and running; closes it when the job ends', async () => {
    // created: the create-deployment tx is applied on the node; its answer never reaches the keeper.
    const createTx = nodeProxy.hold({ method: 'POST', path: TX, phase: 'after' });
    await startKeeper();
    const document = { gpuModels: ['a100'], image: 'necto/demo:1', command: ['sh', '-c', 'while true; do echo tick; sleep 1; done'] };
    const { jobId } = await b().submit({ tracked: false, specHash: specHashOfText(canonicalJson(document)), gpuModels: ['a100'] });
    await waitFor(async () => (await fetch(`${keeperUrl}/jobs/${jobId}/spec`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ document }) })).status === 202, 'the spec hand-off', 30_000);
    await waitFor(async () => (await b().commits(jobId)).length === 1, 'the route commit', 60_000);
    expect((await b().commits(jobId))[0]!.market).toBe('akash');
    await createTx.reached;
    expect(record(jobId)!.state).toBe('created');
    expect(deployments()).toHaveLength(1);
    await kill9();
    createTx.release();

    // bidding: the restarted keeper adopts the deployment it created; the lease tx is applied, its answer held.
    const leaseTx = nodeProxy.hold({ method: 'POST', path: TX, phase: 'after' });
    await startKeeper();
    await leaseTx.reached;
    let r = record(jobId)!;
    expect(r.state, `${JSON.stringify(r)}\n${nodeProxy.seen().slice(-30).join('\n')}`).toBe('bidding');
    expectOne(r, true);
    await kill9();
    leaseTx.release();

    // leased: the restarted keeper adopts the active lease; the provider runs the manifest, its answer held.
    const manifest = gatewayProxy.hold({ method: 'PUT', path: /^\/deployment\/\d+\/manifest$/, phase: 'after' });
    await startKeeper();
    await manifest.reached;
    r = record(jobId)!;
    expect(r.state).toBe('leased');
    expectOne(r, true);
    expect(gateway.running()).toHaveLength(1);
    await kill9();
    manifest.release();

    // manifest-sent: the manifest is sent again (the provider keeps the same workload); lease status is held.
    const status = gatewayProxy.hold({ method: 'GET', path: /^\/lease\/\d+\/\d+\/\d+\/status$/, phase: 'before' });
    await startKeeper();
    await status.reached;
    r = record(jobId)!;
    expect(r.state).toBe('manifest-sent');
    expect(r.startReported).toBe(false);
    expectOne(r, true);
    expect(gateway.running()).toHaveLength(1);
    await kill9();
    status.release();

    // running: the service is ready, startJob reported (the job Running on chain); then kill -9 again.
    await startKeeper();
    await untilState(jobId, 'running');
    await waitFor(async () => Number((await b().getJob(jobId)).status) === 4, 'startJob (Running)', 30_000);
    expectOne(record(jobId)!, true);
    await kill9();

    // The last keeper follows the lease; the workload stops: log collected, deployment closed, job completed once.
    await startKeeper();
    const [container] = [...rt.containers.values()].filter((c) => c.state === 'running');
    expect(rt.containers.size).toBe(1);
    await rt.runtime.stop(container!.id, 1);
    await untilState(jobId, 'closed');
    await waitFor(async () => Number((await b().getJob(jobId)).status) === 5, 'completeJob (Completed)', 30_000);
    r = record(jobId)!;
    expect(r).toMatchObject({ state: 'closed', closedOnChain: true, completeReported: true, startReported: true, end: { reason: 'ok' } });
    expect(deployments().map((d) => [d.dseq.toString(), d.state])).toEqual([[r.dseq, 'closed']]);
    expect(leases(r.dseq).map((l) => l.state)).toEqual(['closed']);
    const completed = await b().publicClient.getContractEvents({ address: anvil.deployment.contracts.JobMarket, abi: (await import('@necto/contracts')).jobMarketAbi, eventName: 'JobCompleted', args: { jobId }, fromBlock: 0n });
    expect(completed.map((e) => e.args.resultHash)).toEqual([r.resultRoot]);
    expect((await b().commits(jobId)).length).toBe(1);
  }, 300_000);
});
