/**
 * Optional comparison: the same chain indexed by Ponder (npm `ponder` 0.16.4, the last line that runs on
 * Node 20; 0.17 needs Node 22) with handlers equivalent to the bench subgraph's, storing into PGlite (embedded,
 * no server). The app in bench/fixture/ponder/ is copied to the git-ignored bench/fixture/.build-ponder/, whose
 * dependencies are installed from npm with `npm install` the first time (about 25 s, 200 MB).
 *
 * Timing: from Ponder's first `/health` 200 (HTTP server up: build, PGlite and tables done, backfill about to
 * start) to its first `/ready` 200 (backfill complete), both polled every 25 ms. Ponder backfills only up to
 * its finality depth (30 blocks on an unknown chain id such as anvil's), so the caller mines that many empty
 * blocks first.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixtureDir, freePort, type Artifact } from './fixture.js';

const appDir = join(fixtureDir, 'ponder');
const workDir = join(fixtureDir, '.build-ponder');
export const PONDER_FINALITY_BLOCKS = 30;

export interface PonderResult {
  events: number;
  /** backfill: first /health 200 → first /ready 200 */
  indexMs: number;
  /** process start → first /health 200 (build, PGlite, tables) */
  startupMs: number;
  installMs: number | null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Copies the app and installs its dependencies when missing. Returns the install time, or null when cached. */
function prepare(artifact: Artifact): number | null {
  const wanted = readFileSync(join(appDir, 'ponder.package.json'), 'utf8');
  const packageFile = join(workDir, 'package.json');
  let installMs: number | null = null;
  const installed = existsSync(packageFile) && readFileSync(packageFile, 'utf8') === wanted && existsSync(join(workDir, 'node_modules/ponder/package.json'));
  if (!installed) {
    rmSync(workDir, { recursive: true, force: true });
    mkdirSync(workDir, { recursive: true });
    writeFileSync(packageFile, wanted);
    const t = performance.now();
    try {
      // --ignore-scripts: nothing in this tree needs a build step (esbuild ships its binary as a package)
      execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], { cwd: workDir, stdio: 'pipe', timeout: 240_000 });
    } catch (error) {
      rmSync(packageFile, { force: true });
      const e = error as { stderr?: Buffer; message: string };
      throw new Error(`npm install of ponder failed: ${(e.stderr?.toString() || e.message).trim().split('\n').slice(-3).join(' ')}`);
    }
    installMs = performance.now() - t;
  }
  // sources are always refreshed (cheap), the database always starts empty
  for (const file of ['ponder.config.ts', 'ponder.schema.ts']) copyFileSync(join(appDir, file), join(workDir, file));
  rmSync(join(workDir, 'src'), { recursive: true, force: true });
  cpSync(join(appDir, 'src'), join(workDir, 'src'), { recursive: true });
  mkdirSync(join(workDir, 'abis'), { recursive: true });
  writeFileSync(join(workDir, 'abis/BenchToken.ts'), `export const BenchTokenAbi = ${JSON.stringify(artifact.abi)} as const;\n`);
  rmSync(join(workDir, '.ponder'), { recursive: true, force: true });
  return installMs;
}

async function status(url: string): Promise<number> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}

export async function runPonder(rpcUrl: string, artifact: Artifact, expectedEvents: number, timeoutMs = 120_000): Promise<PonderResult> {
  const installMs = prepare(artifact);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const output: string[] = [];
  const child: ChildProcess = spawn(
    process.execPath,
    [join(workDir, 'node_modules/ponder/dist/esm/bin/ponder.js'), 'start', '--schema', 'bench', '--port', String(port), '--hostname', '127.0.0.1'],
    {
      cwd: workDir,
      env: { ...process.env, BENCH_RPC_URL: rpcUrl, PONDER_TELEMETRY_DISABLED: 'true', PONDER_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 200) output.shift();
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const t0 = performance.now();
    let healthAt: number | null = null;
    let readyAt: number | null = null;
    while (readyAt === null) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`ponder exited (${child.exitCode ?? child.signalCode}): ${output.join('').trim().slice(-600)}`);
      if (performance.now() - t0 > timeoutMs) throw new Error(`ponder not ready after ${timeoutMs / 1000} s: ${output.join('').trim().slice(-600)}`);
      await sleep(25);
      if (healthAt === null) {
        if ((await status(`${base}/health`)) === 200) healthAt = performance.now();
      } else if ((await status(`${base}/ready`)) === 200) readyAt = performance.now();
    }
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ stats(id: "global") { transfers } }' }),
    });
    const body = (await response.json()) as { data?: { stats?: { transfers: string } | null } };
    const indexed = Number(body.data?.stats?.transfers ?? 0);
    if (indexed !== expectedEvents) throw new Error(`ponder indexed ${indexed} events at /ready, expected ${expectedEvents}`);
    return { events: indexed, indexMs: readyAt - healthAt!, startupMs: healthAt! - t0, installMs };
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      process.kill(child.pid!, 'SIGTERM');
      const killer = setTimeout(() => child.exitCode === null && process.kill(child.pid!, 'SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
    }
  }
}
