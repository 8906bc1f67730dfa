#!/usr/bin/env node
// The whole local stack: contracts → anvil → deployment and generated package → side by side: subgraph build →
// devnode; dApp build; podman with the demo image → Akash stand-ins → keeper, and a provider agent per demo
// provider; the demo seed (its jobs once routing and running can begin) → dApp served. `pnpm start` (or
// `npm run up`, which also installs) runs it until Ctrl-C; tests import `startStack()`. Each phase's wall and CPU
// seconds go to the log and to one summary line (`--timings[=file.json]`: the table, or the JSON to a file).
import { createWriteStream, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ANVIL_ACCOUNTS, cachedStep, createTimings, formatTimings, foundryBin, freePort, portInUse, root, rpc, run, runAsync, startProcess, stopRunningSteps, waitFor, withProgress } from './lib.mjs';
import { serveStatic } from './static-server.mjs';

const CHAIN_ID = 31337;
/**
 * The keeper's Akash key in the local stack: the well-known development mnemonic (the same words anvil's test
 * accounts come from). It signs only on the local Akash stand-in node; never fund it anywhere real.
 */
export const AKASH_DEV_MNEMONIC = 'test test test test test test test test test test test junk';
const tsx = join(root, 'node_modules/.bin/tsx');

/**
 * Build steps shared by the stack and the tests. Each takes a runner: `run` (blocking, the default, for scripts
 * that do one thing at a time) or `runAsync` (the stack: signals stay handled and steps can run side by side).
 */
function sequence(runner, steps) {
  if (runner === run) {
    for (const [cmd, args, opts] of steps) run(cmd, args, opts);
    return undefined;
  }
  return steps.reduce((done, [cmd, args, opts]) => done.then(() => runner(cmd, args, opts)), Promise.resolve());
}

/** `skipTests`: the stack compiles only the contracts and the deploy script (the tests compile with the suite). */
export function buildContracts({ quiet = false, runner = run, skipTests = false, onLine, meter } = {}) {
  const skip = skipTests ? ['--skip', 'test', '--skip', 'selfcheck'] : [];
  return sequence(runner, [[process.execPath, [join(root, 'tools/forge.mjs'), 'build', ...skip], { quiet, label: 'forge build', onLine, meter }]]);
}

export function deployContracts(rpcUrl, { quiet = false, runner = run, skipTests = false, meter } = {}) {
  const skip = skipTests ? ['--skip', 'test', '--skip', 'selfcheck'] : [];
  return sequence(runner, [
    [
      process.execPath,
      [join(root, 'tools/forge.mjs'), 'script', 'contracts/script/Deploy.s.sol', '--rpc-url', rpcUrl,
        '--private-key', ANVIL_ACCOUNTS[0].privateKey, '--broadcast', ...skip],
      { quiet: true, label: 'contract deployment', meter, env: { KEEPER: ANVIL_ACCOUNTS[1].address, AKASH_SETTLEMENT: ANVIL_ACCOUNTS[2].address } },
    ],
    [process.execPath, [join(root, 'tools/gen-contracts-package.mjs')], { quiet, label: 'gen', meter }],
  ]);
}

export function buildSubgraph({ quiet = false, network = 'local', runner = run, meter } = {}) {
  const graph = join(root, 'subgraph/node_modules/.bin/graph');
  return sequence(runner, [
    [process.execPath, [join(root, 'subgraph/scripts/manifest.mjs')], { quiet, env: { NETWORK: network }, label: 'subgraph manifest', meter }],
    [graph, ['codegen'], { cwd: join(root, 'subgraph'), quiet: true, label: 'graph codegen', meter }],
    [graph, ['build'], { cwd: join(root, 'subgraph'), quiet: true, label: 'graph build', meter }],
  ]);
}

export function buildDapp({ quiet = false, env = {}, runner = run, meter } = {}) {
  return sequence(runner, [[join(root, 'dapp/node_modules/.bin/vite'), ['build'], { cwd: join(root, 'dapp'), quiet, env, label: 'dApp build', meter }]]);
}

// What each cached build reads and writes: an unchanged fingerprint with the outputs present skips the step.
const SUBGRAPH_CACHE = {
  inputs: ['subgraph/src', 'subgraph/schema.graphql', 'subgraph/subgraph.template.yaml', 'subgraph/scripts', 'subgraph/package.json', 'contracts/generated', 'contracts/deployments'],
  outputs: ['subgraph/build/subgraph.yaml'],
};
const DAPP_CACHE = {
  inputs: ['dapp/src', 'dapp/index.html', 'dapp/vite.config.ts', 'dapp/package.json', 'dapp/tsconfig.json', 'contracts/generated', 'keeper/src', 'keeper/package.json', 'pnpm-lock.yaml'],
  outputs: ['dapp/dist/index.html'],
};

/**
 * How far in the past the chain starts when seeded: the seed's history happens at its start, then the seed brings
 * the chain to the wall clock (tools/seed.ts catchUp), so its jobs have run for up to two hours.
 */
export const SEED_HEADSTART_SEC = 110 * 60;

async function pickPort(preferred, fixed) {
  if (fixed) {
    if (await portInUse(preferred)) throw new Error(`port ${preferred} is already in use (another stack running?). Stop it or set another port.`);
    return preferred;
  }
  return freePort();
}

/** The demo wallets and what each one is for (printed by `npm run up`, used by the seed and the tests). */
export const ROLES = {
  deployer: { account: ANVIL_ACCOUNTS[0], role: 'deployer, treasury and dispute arbiter' },
  keeper: { account: ANVIL_ACCOUNTS[1], role: 'keeper (commits routes; the stack\'s keeper signs with it)' },
  settlement: { account: ANVIL_ACCOUNTS[2], role: 'settlement account of the external markets (Akash)' },
  buyer: { account: ANVIL_ACCOUNTS[3], role: 'buyer, owner of the team "Research Lab"' },
  buyer2: { account: ANVIL_ACCOUNTS[4], role: 'buyer, member of "Research Lab"' },
  provider: { account: ANVIL_ACCOUNTS[5], role: 'provider "Lattice Compute" (us-east)' },
  provider2: { account: ANVIL_ACCOUNTS[6], role: 'provider "Fjord GPU" (eu-north)' },
  provider3: { account: ANVIL_ACCOUNTS[7], role: 'provider "Sakura Cloud" (ap-northeast)' },
  spare: { account: ANVIL_ACCOUNTS[8], role: 'spare: unused by the demo, register it as a new provider or buyer' },
};

/**
 * Starts everything. With `fixedPorts` the well-known ports are used (8545, 8000, 8787, 5173); otherwise free ones.
 * Returns the URLs, the demo accounts and `stop()`, which stops every process it started (and any build step
 * still running).
 */
export async function startStack({
  fixedPorts = false,
  quiet = false,
  blockTime = 1,
  seed = true,
  build = true,
  dapp = true,
  akash = true,
  agents = true,
  onStart,
  startedMs = Date.now(),
  log: print = quiet ? () => {} : (m) => console.log(m),
} = {}) {
  const procs = [];
  const closers = [];
  const lateClosers = [];
  let stopped = false;
  const track = (proc) => {
    procs.push(proc);
    if (stopped) void proc.stop();
    return proc;
  };
  const stop = async () => {
    stopped = true;
    stopRunningSteps();
    for (const c of closers.reverse()) await c().catch(() => {});
    await Promise.all(procs.reverse().map((p) => p.stop()));
    for (const c of lateClosers.reverse()) await c().catch(() => {});
    logFile.end();
  };
  onStart?.(() => stop());
  const stateDir = join(root, '.stack', fixedPorts ? 'dev' : `run-${process.pid}-${Date.now()}`);
  rmSync(stateDir, { recursive: true, force: true });
  mkdirSync(stateDir, { recursive: true });
  const logFile = createWriteStream(join(stateDir, 'stack.log'));
  const timings = createTimings(startedMs);
  // The stack's own lines go to the log too, with the seconds since the start: the log shows when each phase ran.
  const stamp = (m) => { if (!logFile.writableEnded) logFile.write(`[stack +${((Date.now() - startedMs) / 1000).toFixed(1)} s] ${m}\n`); };
  const log = (m) => {
    print(m);
    stamp(m);
  };
  const step = (label, promise, status) => withProgress(label, promise, { log, status });
  const cached = async (name, spec, label, buildIt) => {
    if (!(await cachedStep(name, spec, () => step(label, buildIt())))) log(`  ✓ ${label}: unchanged since the last build (cached)`);
  };
  /** A service is a phase from its start until it is ready (CPU: its processes' until then). */
  const ready = async (name, proc, until) => {
    const startMs = Date.now();
    await until;
    timings.add(name, startMs, proc.cpuSeconds());
  };
  try {
    const anvilPort = await pickPort(8545, fixedPorts);
    const subgraphPort = await pickPort(8000, fixedPorts);
    const keeperPort = await pickPort(8787, fixedPorts);
    const dappPort = await pickPort(5173, fixedPorts);
    const rpcUrl = `http://127.0.0.1:${anvilPort}`;
    const subgraphUrl = `http://127.0.0.1:${subgraphPort}/subgraphs/name/necto`;
    const keeperUrl = `http://127.0.0.1:${keeperPort}`;
    const dappUrl = `http://127.0.0.1:${dappPort}`;
    const corsOrigins = [dappUrl, `http://localhost:${dappPort}`];

    if (build) {
      log('• building contracts (forge; the first build compiles every contract, later ones only what changed)');
      let compiling = '';
      await timings.time('contracts', (meter) => step('contracts', buildContracts({
        quiet: true, runner: runAsync, skipTests: true, meter, onLine: (l) => { if (/compil/i.test(l)) compiling = l; },
      }), () => compiling));
    }
    // With the demo seed the chain starts in the past: the seed's simulated hours then end at the wall clock.
    const anvilArgs = ['--host', '127.0.0.1', '--port', String(anvilPort), '--chain-id', String(CHAIN_ID), '--silent'];
    if (seed) anvilArgs.push('--timestamp', String(Math.floor(Date.now() / 1000) - SEED_HEADSTART_SEC));
    if (blockTime > 0) anvilArgs.push('--block-time', String(blockTime));
    const anvil = track(startProcess('anvil', foundryBin('anvil'), anvilArgs, { quiet: true, logFile }));
    await ready('anvil', anvil, waitFor('anvil', () => rpc(rpcUrl, 'eth_chainId'), { proc: anvil, timeoutMs: 20_000, intervalMs: 50 }));
    log(`• anvil         ${rpcUrl} (chain ${CHAIN_ID}, pid ${anvil.pid})`);

    log('• deploying contracts');
    await timings.time('deploy', (meter) => step('deployment and @necto/contracts', deployContracts(rpcUrl, { quiet: true, runner: runAsync, skipTests: true, meter })));

    // Side by side from here, each as soon as what it needs is there:
    //   subgraph build → devnode │ dApp build │ container engine → Akash stand-ins → keeper
    //                                         │                  → provider agents
    //   seed: its accounts, providers and team at once; its jobs once devnode, keeper and agents are ready.
    const devnodeReady = (async () => {
      if (build) {
        log('• building subgraph');
        await timings.time('subgraph', (meter) => cached('subgraph', SUBGRAPH_CACHE, 'subgraph', () => buildSubgraph({ quiet: true, runner: runAsync, meter })));
      }
      const devnode = track(startProcess(
        'devnode',
        process.execPath,
        [join(root, 'subgraph/devnode/bin/devnode.mjs'), '--subgraph', join(root, 'subgraph/build'), '--rpc', rpcUrl,
          '--port', String(subgraphPort), '--name', 'necto', '--poll-ms', '250'],
        { quiet: true, logFile },
      ));
      await ready('devnode', devnode, waitFor('devnode GraphQL', async () => {
        const r = await fetch(subgraphUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ _meta { block { number } } }' }) });
        return r.ok;
      }, { proc: devnode, timeoutMs: 60_000, intervalMs: 100 }));
      log(`• devnode       ${subgraphUrl} (pid ${devnode.pid})`);
    })();

    // One container engine (podman with the demo image) for the provider agents and the Akash stand-ins. Without
    // podman the stack runs with Akash off and without agents.
    const engineReady = (async () => {
      if (!akash && !agents) return null;
      const startMs = Date.now();
      try {
        const { startContainerEngine } = await import('./stack-providers.mjs');
        const engine = await startContainerEngine();
        if (stopped) {
          await engine.stop();
          return null;
        }
        lateClosers.push(() => engine.stop());
        timings.add('engine', startMs);
        log(`• podman        ${engine.dockerHost} (demo image ${engine.image} ${engine.imageBuilt ? 'built' : 'present'})`);
        return engine;
      } catch (e) {
        if (e?.name !== 'PodmanMissingError') throw e;
        log(`• podman        missing (${e.message}): Akash off, no provider agents`);
        return null;
      }
    })();

    // Local Akash stand-ins (node + one provider gateway per Akash provider the keeper knows), running containers
    // through the provider agent's runtime on the engine.
    let akashInfo = null;
    const akashEnv = async () => {
      if (!akash) return {};
      const engine = await engineReady;
      if (!engine) return {};
      const standins = track(startProcess('akash-standins', tsx, [join(root, 'tools/akash-standins.ts')], {
        quiet: true,
        logFile,
        env: { DOCKER_HOST: engine.dockerHost, AKASH_MNEMONIC: AKASH_DEV_MNEMONIC },
      }));
      let ready = null;
      await (async () => {
        const startMs = Date.now();
        ready = await waitFor('Akash stand-ins', () => {
          const line = standins.output().split('\n').find((l) => l.startsWith('{"event":"ready"'));
          return line ? JSON.parse(line) : null;
        }, { proc: standins, timeoutMs: 60_000, intervalMs: 100 });
        timings.add('akash', startMs, standins.cpuSeconds());
      })();
      akashInfo = { nodeUrl: ready.nodeUrl, chainId: ready.chainId, address: ready.keeperAddress, providers: ready.providers };
      log(`• Akash         local stand-ins: node ${ready.nodeUrl} (${ready.chainId}), ${ready.providers.length} provider gateways`);
      return { AKASH_NODE_URL: ready.nodeUrl, AKASH_CHAIN_ID: ready.chainId, AKASH_MNEMONIC: AKASH_DEV_MNEMONIC, AKASH_STANDIN: '1', AKASH_BID_WINDOW_MS: '20000' };
    };

    const keeperReady = (async () => {
      const akashVars = await akashEnv();
      const keeper = track(startProcess('keeper', tsx, [join(root, 'keeper/src/main.ts')], {
        cwd: join(root, 'keeper'),
        quiet: true,
        logFile,
        env: {
          RPC_URL: rpcUrl,
          CHAIN_ID: String(CHAIN_ID),
          SUBGRAPH_URL: subgraphUrl,
          PORT: String(keeperPort),
          HOST: '127.0.0.1',
          DATA_DIR: join(stateDir, 'keeper'),
          CORS_ORIGINS: corsOrigins.join(','),
          KEEPER_PRIVATE_KEY: ANVIL_ACCOUNTS[1].privateKey,
          CONFIRMATIONS: '0',
          // Locally the on-chain offers are one subgraph query away: a new offer reaches quotes within seconds.
          CATALOG_TTL_MS: '3000',
          // Only what routes locally is fresh: the on-chain offers (read live from the devnode) and the Akash offers,
          // which the local Akash stand-ins serve (one gateway per provider of the Akash snapshot). Every other
          // recorded snapshot (Lambda, AWS Spot, Vast.ai, RunPod, io.net) keeps its own TTL, so it is shown stale, with
          // when it was recorded, and never wins "best".
          CATALOG_MAX_AGE_SEC_AKASH: '3153600000',
          ...akashVars,
        },
      }));
      await ready('keeper', keeper, waitFor('keeper /health', async () => (await fetch(`${keeperUrl}/health`)).status < 500, { proc: keeper, timeoutMs: 90_000, intervalMs: 100 }));
      log(`• keeper        ${keeperUrl} (pid ${keeper.pid})`);
    })();

    // Jobs really run: one provider agent per demo provider on the engine (they reach the keeper by its URL, so
    // they start alongside it).
    let providerAgents = [];
    let providerRuntime = null;
    const agentsReady = (async () => {
      if (!agents) return;
      const engine = await engineReady;
      if (!engine) return;
      // Imported here: the test runner imports this file before the workspace is installed (viem, provider scripts).
      const { startProviderAgents } = await import('./stack-providers.mjs');
      const startMs = Date.now();
      const started = await startProviderAgents({ engine, stateDir, rpcUrl, chainId: CHAIN_ID, keeperUrl, corsOrigins, logFile, log });
      if (stopped) await started.stop();
      else closers.push(started.stop);
      timings.add('agents', startMs, started.agents.reduce((sum, a) => sum + a.proc.cpuSeconds(), 0));
      providerAgents = started.agents.map(({ name, address, url }) => ({ name, address, url }));
      providerRuntime = { dockerHost: engine.dockerHost, dir: started.dir };
    })();

    const dist = join(root, 'dapp/dist');
    const dappBuilt = (async () => {
      if (!dapp) return;
      if (build) {
        log('• building dApp');
        await timings.time('dapp', (meter) => cached('dapp', DAPP_CACHE, 'dApp', () => buildDapp({ quiet: true, runner: runAsync, meter })));
      } else if (!existsSync(join(dist, 'index.html'))) {
        log('• building dApp');
        await timings.time('dapp', (meter) => step('dApp', buildDapp({ quiet: true, runner: runAsync, meter })));
      }
    })();

    // The seed starts now; it submits its jobs when told that routing and running can begin (a line on its stdin).
    const seeded = (async () => {
      if (!seed) return;
      log('• seeding demo data (providers, offers, a team, jobs in several states)');
      const startMs = Date.now();
      const seeder = track(startProcess('seed', tsx, [join(root, 'tools/seed.ts')], {
        quiet,
        logFile,
        stdin: true,
        env: {
          RPC_URL: rpcUrl, KEEPER_URL: keeperUrl, SUBGRAPH_URL: subgraphUrl, SEED_AGENTS: agents ? '1' : '0',
          SEED_GATE: 'stdin', SEED_BLOCK_TIME: String(blockTime),
        },
      }));
      Promise.all([devnodeReady, keeperReady, agentsReady]).then(
        () => seeder.child.stdin.end('jobs\n'),
        () => {}, // the failure stops the stack (and the seed with it)
      );
      const { code } = await seeder.exitPromise;
      if (stopped) throw new Error('stopped');
      if (code !== 0) throw new Error(`demo seed failed (exit ${code})\n${seeder.output()}`);
      timings.add('seed', startMs, seeder.cpuSeconds());
    })();

    const accounts = Object.fromEntries(Object.entries(ROLES).map(([name, r]) => [name, r.account]));

    // Surface the first failure at once (the others are stopped by stop()), not after the slowest step.
    await Promise.all([devnodeReady, keeperReady, agentsReady, dappBuilt, seeded]);

    if (dapp) {
      const server = await serveStatic({
        dir: dist,
        port: dappPort,
        runtimeConfig: { chainId: CHAIN_ID, rpcUrl, subgraphUrl, keeperUrl },
      });
      closers.push(server.close);
      log(`• dApp          ${dappUrl}`);
    }
    timings.add('up', startedMs);
    writeFileSync(join(stateDir, 'timings.json'), `${JSON.stringify({ phases: timings.phases }, null, 2)}\n`);
    stamp(`Timings: ${formatTimings(timings.phases)}`);

    const processes = procs.filter((p) => p.name !== 'seed');
    return { rpcUrl, subgraphUrl, keeperUrl, dappUrl, chainId: CHAIN_ID, accounts, roles: ROLES, akash: akashInfo, stateDir, processes, providerAgents, providerRuntime, timings: timings.phases, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Prints what a newcomer needs once the stack is up: the URL, each wallet with its role, where the logs are. */
function printReady(s, seconds) {
  console.log(`\nNecto is up in ${seconds.toFixed(1)} s — open ${s.dappUrl}`);
  console.log('Demo wallets (anvil test keys; import one into your browser wallet, network "Anvil" 127.0.0.1:8545, chain 31337):');
  for (const [name, { account, role }] of Object.entries(s.roles)) {
    console.log(`  ${name.padEnd(10)} ${account.address}  ${account.privateKey}\n             ${role}`);
  }
  console.log('Chain time follows the wall clock: the demo history was seeded into the last two hours.');
  console.log(`Timings: ${formatTimings(s.timings)}`);
  console.log(`Logs: ${join(s.stateDir, 'stack.log')}. Ctrl-C (or any stop signal to this process or one of its services) stops everything.`);
}

/** `npm run up` passes when it started and what its install took, so the figures count from the command. */
function upInstallPhase() {
  const startedMs = Number(process.env.NECTO_UP_STARTED_MS);
  const install = /^([\d.]+),([\d.]+)$/.exec(process.env.NECTO_UP_INSTALL ?? '');
  if (!Number.isFinite(startedMs) || startedMs <= 0 || startedMs > Date.now()) return { startedMs: Date.now(), install: null };
  return { startedMs, install: install ? { name: 'install', startS: 0, wallS: Number(install[1]), cpuS: Number(install[2]) } : null };
}

function printTimingsTable(phases) {
  console.log('phase        start s   wall s   cpu s');
  for (const p of [...phases].sort((a, b) => a.startS - b.startS)) {
    console.log(`${p.name.padEnd(12)} ${p.startS.toFixed(1).padStart(7)} ${p.wallS.toFixed(1).padStart(8)} ${p.cpuS === undefined ? '      –' : p.cpuS.toFixed(1).padStart(7)}`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { startedMs: started, install } = upInstallPhase();
  const argv = process.argv.slice(2);
  const timingsArg = argv.find((a) => a === '--timings' || a.startsWith('--timings='));
  // Any stop signal at any moment (even while building or seeding) stops every process started so far.
  let stopAll = async () => {};
  let stopping = false;
  const shutdown = async (code = 0) => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping…');
    await stopAll();
    console.log('stopped; the ports are free.');
    process.exit(code);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => void shutdown(0));
  startStack({
    fixedPorts: !argv.includes('--free-ports'),
    build: !argv.includes('--no-build'),
    seed: !argv.includes('--no-seed'),
    onStart: (stop) => { stopAll = stop; },
    startedMs: started,
  })
    .then((s) => {
      if (stopping) return;
      if (install) s.timings.unshift(install);
      printReady(s, (Date.now() - started) / 1000);
      if (timingsArg === '--timings') printTimingsTable(s.timings);
      else if (timingsArg) writeFileSync(timingsArg.slice('--timings='.length), `${JSON.stringify({ phases: s.timings }, null, 2)}\n`);
      // One of our services ending (crash or a signal sent to it) ends the whole stack.
      for (const p of s.processes) {
        p.exitPromise.then(({ code, signal }) => {
          if (stopping) return;
          console.error(`${p.name} exited (${signal ?? `code ${code}`}); stopping the stack.\n${p.output()}`);
          void shutdown(1);
        });
      }
    })
    .catch((e) => {
      if (stopping) return;
      console.error(`\nThe stack did not start: ${e.message}`);
      process.exit(1);
    });
}
