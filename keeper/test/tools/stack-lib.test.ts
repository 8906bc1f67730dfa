// The local stack's tools/lib.mjs: the ports it hands its services, and the timings it reports for a start.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createTimings, formatTimings, freePort, groupCpuSeconds } from '../../../tools/lib.mjs';

describe('freePort', () => {
  it('never hands out the same port twice (services given ports start later, so a repeat would collide)', async () => {
    const ports: number[] = [];
    for (let i = 0; i < 300; i++) ports.push(await freePort());
    expect(new Set(ports).size).toBe(ports.length);
  });
});

describe('stack timings', () => {
  it('records each phase from the origin, in wall seconds and CPU seconds, and prints them in start order with the whole last', async () => {
    const origin = Date.now() - 2_000;
    const t = createTimings(origin);
    await t.time('build', async (meter) => {
      await new Promise((r) => setTimeout(r, 120));
      meter.cpuS += 1.26;
    });
    t.add('up', origin);
    t.add('install', origin, 0.41);
    const build = t.phases.find((p) => p.name === 'build')!;
    expect(build.startS).toBeGreaterThanOrEqual(2);
    expect(build.wallS).toBeGreaterThanOrEqual(0.1);
    expect(build.cpuS).toBe(1.3);
    expect(formatTimings(t.phases)).toMatch(/^install 2\.\d s \(cpu 0\.4 s\) · build 0\.\d s \(cpu 1\.3 s\) · up 2\.\d s$/);
  });

  it("counts a process group's CPU seconds while it runs", async () => {
    const child = spawn('sh', ['-c', 'i=0; while [ $i -lt 100000000 ]; do i=$((i+1)); done'], { detached: true, stdio: 'ignore' });
    const exited = new Promise((r) => child.on('exit', r));
    // A busy loop: its CPU seconds grow (on a loaded machine slower than the wall clock).
    let busy = 0;
    for (const deadline = Date.now() + 20_000; busy < 0.3 && Date.now() < deadline; ) {
      await new Promise((r) => setTimeout(r, 100));
      busy = groupCpuSeconds(child.pid!);
    }
    process.kill(-child.pid!, 'SIGKILL');
    await exited;
    expect(busy).toBeGreaterThanOrEqual(0.3);
  }, 30_000);
});
