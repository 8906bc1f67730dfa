#!/usr/bin/env node
// The whole local stack: anvil → contracts → generated package → subgraph build → devnode → keeper → podman, the
// demo image and a provider agent per demo provider → demo data → dApp. `pnpm start` (or `npm run up`, which also
// installs) runs it until Ctrl-C; tests import `startStack()`.
import { createWriteStream, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startProviderAgents } from './stack-providers.mjs';
import { ANVIL_ACCOUNTS, foundryBin, freePort, portInUse, root, rpc, run, startProcess, waitFor } from './lib.mjs';
import { serveStatic } from './static-server.mjs';

const CHAIN_ID = 31337;
const tsx = join(root, 'node_modules/.bin/tsx');

/** Build steps shared by the stack and the tests; each is skipped by the caller when not wanted. */
export function buildContracts({ quiet = false } = {}) {
  run(process.execPath, [join(root, 'tools/forge.mjs'), 'build'], { quiet, label: 'forge build' });
}

export function deployContracts(rpcUrl, { quiet = false } = {}) {
  run(
    process.execPath,
    [join(root, 'tools/forge.mjs'), 'script', 'contracts/script/Deploy.s.sol', '--rpc-url', rpcUrl,
      '--private-key', ANVIL_ACCOUNTS[0].privateKey, '--broadcast'],
    { quiet: true, label: 'contract deployment', env: { KEEPER: ANVIL_ACCOUNTS[1].address, AKASH_SETTLEMENT: ANVIL_ACCOUNTS[2].address } },
  );
  run(process.execPath, [join(root, 'tools/gen-contracts-package.mjs')], { quiet, label: 'gen' });
}

export function buildSubgraph({ quiet = false, network = 'local' } = {}) {
  run(process.execPath, [join(root, 'subgraph/scripts/manifest.mjs')], { quiet, env: { NETWORK: network }, label: 'subgraph manifest' });
  const graph = join(root, 'subgraph/node_modules/.bin/graph');
  run(graph, ['codegen'], { cwd: join(root, 'subgraph'), quiet: true, label: 'graph codegen' });
  run(graph, ['build'], { cwd: join(root, 'subgraph'), quiet: true, label: 'graph build' });
}

export function buildDapp({ quiet = false, env = {} } = {}) {
  run(join(root, 'dapp/node_modules/.bin/vite'), ['build'], { cwd: join(root, 'dapp'), quiet, env, label: 'dApp build' });
}

async function pickPort(preferred, fixed) {
  if (fixed) {
    if (await portInUse(preferred)) throw new Error(`port ${preferred} is already in use (another stack running?). Stop it or set another port.`);
    return preferred;
  }
  return freePort();
}

/**
 * Starts everything. With `fixedPorts` the well-known ports are used (8545, 8000, 8787, 5173); otherwise free ones.
 * Returns the URLs, the demo accounts and `stop()`, which stops every process it started.
 */
export async function startStack({
  fixedPorts = false,
  quiet = false,
  blockTime = 1,
  seed = true,
  build = true,
  dapp = true,
  agents = true,
  onStart,
  log = quiet ? () => {} : (m) => console.log(m),
} = {}) {
  const procs = [];
  const closers = [];
  onStart?.(() => stop());
  const stateDir = join(root, '.stack', fixedPorts ? 'dev' : `run-${process.pid}-${Date.now()}`);
  rmSync(stateDir, { recursive: true, force: true });
  mkdirSync(stateDir, { recursive: true });
  const logFile = createWriteStream(join(stateDir, 'stack.log'));
  const stop = async () => {
    for (const c of closers.reverse()) await c().catch(() => {});
    await Promise.all(procs.reverse().map((p) => p.stop()));
    logFile.end();
  };
  try {
    const anvilPort = await pickPort(8545, fixedPorts);
    const subgraphPort = await pickPort(8000, fixedPorts);
    const keeperPort = await pickPort(8787, fixedPorts);
    const dappPort = await pickPort(5173, fixedPorts);
    const rpcUrl = `http://127.0.0.1:${anvilPort}`;

    if (build) {
      log('• building contracts');
      buildContracts({ quiet: true });
    }
    const anvilArgs = ['--host', '127.0.0.1', '--port', String(anvilPort), '--chain-id', String(CHAIN_ID), '--silent'];
    if (blockTime > 0) anvilArgs.push('--block-time', String(blockTime));
    const anvil = startProcess('anvil', foundryBin('anvil'), anvilArgs, { quiet: true, logFile });
    procs.push(anvil);
    await waitFor('anvil', () => rpc(rpcUrl, 'eth_chainId'), { proc: anvil, timeoutMs: 20_000 });
    log(`• anvil         ${rpcUrl} (chain ${CHAIN_ID}, pid ${anvil.pid})`);

    log('• deploying contracts');
    deployContracts(rpcUrl, { quiet: true });
    if (build) {
      log('• building subgraph');
      buildSubgraph({ quiet: true });
    }

    const subgraphUrl = `http://127.0.0.1:${subgraphPort}/subgraphs/name/necto`;
    const devnode = startProcess(
      'devnode',
      process.execPath,
      [join(root, 'subgraph/devnode/bin/devnode.mjs'), '--subgraph', join(root, 'subgraph/build'), '--rpc', rpcUrl,
        '--port', String(subgraphPort), '--name', 'necto', '--poll-ms', '250'],
      { quiet: true, logFile },
    );
    procs.push(devnode);
    await waitFor('devnode GraphQL', async () => {
      const r = await fetch(subgraphUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ _meta { block { number } } }' }) });
      return r.ok;
    }, { proc: devnode, timeoutMs: 60_000 });
    log(`• devnode       ${subgraphUrl} (pid ${devnode.pid})`);

    const keeperUrl = `http://127.0.0.1:${keeperPort}`;
    const dappUrl = `http://127.0.0.1:${dappPort}`;
    const keeper = startProcess('keeper', tsx, [join(root, 'keeper/src/main.ts')], {
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
        CORS_ORIGINS: `${dappUrl},http://localhost:${dappPort}`,
        KEEPER_PRIVATE_KEY: ANVIL_ACCOUNTS[1].privateKey,
        CONFIRMATIONS: '0',
      },
    });
    procs.push(keeper);
    await waitFor('keeper /health', async () => (await fetch(`${keeperUrl}/health`)).status < 500, { proc: keeper, timeoutMs: 60_000 });
    log(`• keeper        ${keeperUrl} (pid ${keeper.pid})`);

    const accounts = {
      deployer: ANVIL_ACCOUNTS[0],
      keeper: ANVIL_ACCOUNTS[1],
      settlement: ANVIL_ACCOUNTS[2],
      buyer: ANVIL_ACCOUNTS[3],
      buyer2: ANVIL_ACCOUNTS[4],
      provider: ANVIL_ACCOUNTS[5],
      provider2: ANVIL_ACCOUNTS[6],
      provider3: ANVIL_ACCOUNTS[7],
    };

    // Jobs really run: podman, the demo image and one provider agent per demo provider (before the seed's jobs).
    let providerAgents = [];
    let providerRuntime = null;
    if (agents) {
      const started = await startProviderAgents({
        stateDir, rpcUrl, chainId: CHAIN_ID, keeperUrl, corsOrigins: [dappUrl, `http://localhost:${dappPort}`], logFile, log,
      });
      closers.push(started.stop);
      providerAgents = started.agents.map(({ name, address, url }) => ({ name, address, url }));
      providerRuntime = { dockerHost: started.dockerHost, dir: started.dir };
    }

    if (seed) {
      log('• seeding demo data (providers, offers, a team, jobs in several states)');
      const seeder = startProcess('seed', tsx, [join(root, 'tools/seed.ts')], {
        quiet,
        logFile,
        env: { RPC_URL: rpcUrl, KEEPER_URL: keeperUrl, SUBGRAPH_URL: subgraphUrl, SEED_AGENTS: agents ? '1' : '0' },
      });
      const { code } = await seeder.exitPromise;
      if (code !== 0) throw new Error(`demo seed failed (exit ${code})\n${seeder.output()}`);
    }

    if (dapp) {
      const dist = join(root, 'dapp/dist');
      if (build || !existsSync(join(dist, 'index.html'))) {
        log('• building dApp');
        buildDapp({ quiet: true });
      }
      const server = await serveStatic({
        dir: dist,
        port: dappPort,
        runtimeConfig: { chainId: CHAIN_ID, rpcUrl, subgraphUrl, keeperUrl },
      });
      closers.push(server.close);
      log(`• dApp          ${dappUrl}`);
    }

    return { rpcUrl, subgraphUrl, keeperUrl, dappUrl, chainId: CHAIN_ID, accounts, stateDir, processes: procs, providerAgents, providerRuntime, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  // Ctrl-C at any moment (even while building or seeding) stops every process started so far.
  let stopAll = async () => {};
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping…');
    await stopAll();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  process.on('SIGHUP', shutdown);
  startStack({ fixedPorts: true, build: !process.argv.includes('--no-build'), onStart: (stop) => { stopAll = stop; } })
    .then((s) => {
      console.log(`\nNecto is up in ${((Date.now() - started) / 1000).toFixed(1)} s — open ${s.dappUrl}`);
      console.log('Demo wallets (anvil test keys — import one into your browser wallet, network "Anvil" 127.0.0.1:8545, chain 31337):');
      for (const [role, a] of Object.entries(s.accounts)) console.log(`  ${role.padEnd(10)} ${a.address}  ${a.privateKey}`);
      console.log(`Logs: ${join(s.stateDir, 'stack.log')}. Ctrl-C stops everything.`);
      for (const p of s.processes) p.exitPromise.then(({ code }) => { if (!stopping) { console.error(`${p.name} exited (code ${code}); stopping the stack.\n${p.output()}`); shutdown(); } });
    })
    .catch((e) => {
      console.error(`\nThe stack did not start: ${e.message}`);
      process.exit(1);
    });
}
