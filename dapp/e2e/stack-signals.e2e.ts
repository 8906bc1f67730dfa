// The local stack stops as a whole: a stop signal sent to `npm run up` alone (not a terminal's Ctrl-C to the process
// group), or any of its services ending, stops every process it started and frees every port.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from './until';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

interface Started {
  child: ChildProcess;
  output: () => string;
  pids: Record<string, number>;
  ports: number[];
  exited: Promise<number | null>;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const portFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });

const running: Started[] = [];

/** Starts a stack command on free ports (no demo seed) and waits for "Necto is up", collecting service pids and ports. */
async function start(script: string): Promise<Started> {
  // Its own process group, so the test can clean up after a failure without touching anything else.
  const child = spawn(process.execPath, [join(root, script), '--free-ports', '--no-seed'], { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const started: Started = { child, output: () => out, pids: {}, ports: [], exited };
  running.push(started);
  await until(async () => out, (o) => /Necto is up/.test(o) || /did not start/.test(o), `${script} to be up`, 8 * 60_000);
  expect(out, out.slice(-3000)).toMatch(/Necto is up/);
  for (const m of out.matchAll(/• (anvil|devnode|keeper)\s+http:\/\/127\.0\.0\.1:(\d+)\S* .*pid (\d+)\)/g)) {
    started.pids[m[1]!] = Number(m[3]);
    started.ports.push(Number(m[2]));
  }
  const dapp = /• dApp\s+http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
  if (dapp) started.ports.push(Number(dapp[1]));
  expect(Object.keys(started.pids).sort()).toEqual(['anvil', 'devnode', 'keeper']);
  expect(started.ports).toHaveLength(4);
  expect(new Set(started.ports).size).toBe(4); // with --free-ports too, each service its own port
  for (const port of started.ports) expect(await portFree(port)).toBe(false);
  return started;
}

async function expectAllStopped(s: Started) {
  await until(() => Promise.resolve(Object.values(s.pids).filter(alive)), (left) => left.length === 0, 'every service to exit', 30_000);
  for (const port of s.ports) expect(await until(() => portFree(port), Boolean, `port ${port} to be free`, 15_000)).toBe(true);
}

afterEach(async () => {
  for (const s of running.splice(0)) {
    if (s.child.exitCode === null) {
      try { process.kill(-s.child.pid!, 'SIGKILL'); } catch { /* gone */ }
    }
    for (const pid of Object.values(s.pids)) {
      try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ }
    }
  }
});

describe.sequential('the local stack stops as a whole', () => {
  it('stops every service and frees the ports on SIGTERM to `npm run up` alone', async () => {
    const s = await start('tools/up.mjs');
    // How long each phase took, counted from the command's start (the install first, the whole last), and the log
    // says when each of the stack's steps happened.
    const timings = /^Timings: (.*)$/m.exec(s.output())?.[1] ?? '';
    expect(timings, s.output().slice(-3000)).toMatch(/^install [\d.]+ s( \(cpu [\d.]+ s\))? · contracts [\d.]+ s/);
    expect(timings).toMatch(/\(cpu [\d.]+ s\)/);
    for (const phase of ['anvil', 'deploy', 'subgraph', 'devnode', 'keeper', 'dapp']) expect(timings).toMatch(new RegExp(`(^| · )${phase} [\\d.]+ s`));
    expect(timings).toMatch(/ · up [\d.]+ s$/);
    const up = Number(/Necto is up in ([\d.]+) s/.exec(s.output())![1]);
    expect(Number(/ · up ([\d.]+) s$/.exec(timings)![1])).toBeCloseTo(up, 0);
    const logPath = /^Logs: (\S+stack\.log)\./m.exec(s.output())![1]!;
    expect(readFileSync(logPath, 'utf8')).toMatch(/^\[stack \+[\d.]+ s\] • keeper {8}http:\/\/127\.0\.0\.1:\d+/m);
    process.kill(s.child.pid!, 'SIGTERM'); // the process only, not its group
    expect(await s.exited).toBe(0);
    expect(s.output()).toMatch(/stopped; the ports are free/);
    await expectAllStopped(s);
  }, 10 * 60_000);

  it('stops the whole stack when one of its services is stopped', async () => {
    const s = await start('tools/stack.mjs');
    process.kill(s.pids.keeper!, 'SIGTERM');
    expect(await s.exited).not.toBeNull();
    expect(s.output()).toMatch(/keeper exited .*stopping the stack/);
    await expectAllStopped(s);
  }, 10 * 60_000);
});
