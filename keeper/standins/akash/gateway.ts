/**
 * LOCAL AKASH STAND-IN — not an Akash provider. A loopback (127.0.0.1, plain HTTP where real providers serve
 * self-signed TLS) imitation of one Akash provider's gateway, shaped after akash-network/provider `gateway/rest`:
 *  - auth: `Authorization: Bearer <JWT>` (ES256KADR36, verified against the issuer's on-chain public key; the
 *    claims must grant the action for this provider and deployment) → 401 without or with a bad token, 403
 *    when the token does not grant the action;
 *  - `PUT /deployment/{dseq}/manifest` → 404 until the owner holds an active lease with this provider, 422 when
 *    the manifest's version hash is not the deployment's on-chain hash, 200 when accepted;
 *  - `GET /lease/{dseq}/{gseq}/{oseq}/status` → the services' replica counts (ready while the container runs);
 *  - `GET /lease/{dseq}/{gseq}/{oseq}/logs` → the service's log lines as NDJSON `{name, message}` (the real
 *    gateway streams the same objects over a WebSocket).
 * It runs the manifest's service with a `ContainerRuntime` (the provider agent's), and stops it when the lease
 * closes on the (stand-in) chain.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import type { AddressInfo } from 'node:net';
import { JwtError, claimsAllow, verifyGatewayJwt, type GatewayClaims } from '../../src/akash/jwt.js';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from '../../src/domain/canonical.js';
import type { StandinNode } from './node.js';
import type { ContainerRuntime, RunHandle } from './runtime.js';

export interface StandinGatewayOptions {
  node: StandinNode;
  provider: string;
  runtime: ContainerRuntime;
  /** GPUs handed to containers (0 where the machine has none). */
  gpus?: number;
  port?: number;
  watchMs?: number;
}

interface Running { key: string; handle: RunHandle; service: string; hash: string; ready: boolean; exited: boolean }

export interface StandinGateway {
  url: string;
  provider: string;
  running(): Array<{ key: string; id: string; exited: boolean }>;
  close(): Promise<void>;
}

const quantity = z.object({ val: z.string().regex(/^\d+$/) });
/** The manifest JSON a client sends (the provider's manifest types; only what the stand-in reads is checked). */
const manifestSchema = z.array(
  z
    .object({
      name: z.string().min(1),
      services: z.array(
        z
          .object({
            name: z.string().min(1),
            image: z.string().min(1),
            command: z.array(z.string()).nullable().optional(),
            args: z.array(z.string()).nullable().optional(),
            env: z.array(z.string()).nullable().optional(),
            count: z.number().int().min(1),
            resources: z.object({ cpu: z.object({ units: quantity }).loose(), memory: z.object({ size: quantity }).loose(), gpu: z.object({ units: quantity }).loose().optional() }).loose(),
            expose: z.array(z.object({ port: z.number().int(), proto: z.string() }).loose()).nullable().optional(),
          })
          .loose(),
      ),
    })
    .loose(),
);
type Manifest = z.output<typeof manifestSchema>;

const GO_ESCAPES: Record<string, string> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029' };
/** Go's encoding/json HTML-safe escaping (these characters only occur inside JSON strings). */
function goJsonEscape(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (ch) => GO_ESCAPES[ch]!);
}
type Service = Manifest[number]['services'][number];

export async function startStandinGateway(opts: StandinGatewayOptions): Promise<StandinGateway> {
  const { node, provider, runtime } = opts;
  const runs = new Map<string, Running>();
  const app = new Hono();

  const auth = async (c: Context, dseq: bigint, action: 'send-manifest' | 'status' | 'logs'): Promise<GatewayClaims | Response> => {
    const h = c.req.header('authorization') ?? '';
    const token = /^Bearer\s+(.+)$/i.exec(h)?.[1];
    if (!token) return c.text('unauthorized', 401);
    let claims: GatewayClaims;
    try {
      claims = await verifyGatewayJwt(token, (a) => node.pubkeyOf(a), Math.floor(Date.now() / 1000));
    } catch (err) {
      return c.text(err instanceof JwtError ? err.message : 'unauthorized', 401);
    }
    if (!claimsAllow(claims, provider, dseq, action)) return c.text('forbidden', 403);
    return claims;
  };
  const activeLeases = (owner: string, dseq: bigint) => node.leasesOf(owner, dseq).filter((l) => l.provider === provider && l.state === 'active');
  const dseqOf = (c: Context) => {
    const s = c.req.param('dseq') ?? '';
    return /^\d{1,20}$/.test(s) ? BigInt(s) : null;
  };

  const startService = async (owner: string, dseq: bigint, gseq: number, oseq: number, svc: Service, hash: string) => {
    const key = `${owner}/${dseq}/${gseq}/${oseq}/${svc.name}`;
    const existing = runs.get(key);
    if (existing && existing.hash === hash) return;
    if (existing) {
      await runtime.stop(existing.handle.id, 5).catch(() => undefined);
      await runtime.remove(existing.handle.id).catch(() => undefined);
      runs.delete(key);
    }
    await runtime.ensureImage(svc.image);
    const labels = { 'akash.standin.owner': owner, 'akash.standin.dseq': dseq.toString(), 'akash.standin.gseq': String(gseq), 'akash.standin.oseq': String(oseq), 'akash.standin.service': svc.name };
    // A container an earlier stand-in left on the engine (the same lease id on a fresh stand-in chain) is not this
    // lease's workload: a provider starting a lease's workload removes what it does not run itself.
    for (const stale of await runtime.list(labels)) {
      if ([...runs.values()].some((r) => r.handle.id === stale.id)) continue;
      await runtime.stop(stale.id, 0).catch(() => undefined);
      await runtime.remove(stale.id).catch(() => undefined);
    }
    const env: Record<string, string> = {};
    for (const kv of svc.env ?? []) {
      const i = kv.indexOf('=');
      if (i > 0) env[kv.slice(0, i)] = kv.slice(i + 1);
    }
    const milli = Number(svc.resources.cpu.units.val);
    const memory = Number(svc.resources.memory.size.val);
    const command = [...(svc.command ?? []), ...(svc.args ?? [])];
    const handle = await runtime.start({
      // The owner is part of the lease id: two owners' leases with the same dseq are different workloads.
      name: `akash-standin-${dseq}-${gseq}-${oseq}-${svc.name}-${owner.slice(-10)}`,
      image: svc.image,
      ...(command.length > 0 ? { command } : {}),
      env,
      labels,
      outputsDir: mkdtempSync(join(tmpdir(), 'akash-standin-')),
      outputsPath: '/outputs',
      tmpfsPath: '/tmp',
      limits: { memoryBytes: memory, nanoCpus: milli * 1_000_000, pids: 512 },
      network: (svc.expose ?? []).length > 0 ? 'bridge' : 'none',
      gpus: opts.gpus ?? 0,
      ports: (svc.expose ?? []).map((e) => ({ port: e.port, protocol: String(e.proto).toLowerCase() === 'udp' ? ('udp' as const) : ('tcp' as const) })),
    });
    const run: Running = { key, handle, service: svc.name, hash, ready: true, exited: false };
    runs.set(key, run);
    void runtime.wait(handle.id).then(
      () => {
        run.ready = false;
        run.exited = true;
      },
      () => {
        run.ready = false;
        run.exited = true;
      },
    );
  };

  app.put('/deployment/:dseq/manifest', async (c) => {
    const dseq = dseqOf(c);
    if (dseq === null) return c.text('invalid dseq', 400);
    const claims = await auth(c, dseq, 'send-manifest');
    if (claims instanceof Response) return claims;
    const owner = claims.iss;
    const leases = activeLeases(owner, dseq);
    if (leases.length === 0) return c.text('no lease for deployment', 404);
    const deployment = node.deploymentsOf(owner).find((d) => d.dseq === dseq && d.state === 'active');
    if (!deployment) return c.text('deployment not found', 404);
    let value: unknown;
    try {
      value = JSON.parse(await c.req.text());
    } catch {
      return c.text('invalid manifest', 400);
    }
    const parsed = manifestSchema.safeParse(value);
    if (!parsed.success) return c.text('invalid manifest', 400);
    const manifest = parsed.data;
    // The provider's manifest version: sha256 over the manifest re-serialised with sorted keys by Go's
    // json.Marshal, which escapes <, >, & and U+2028/U+2029 inside strings.
    const version = `0x${createHash('sha256').update(goJsonEscape(canonicalJson(value))).digest('hex')}`;
    const onchain = `0x${Buffer.from(deployment.hash).toString('hex')}`;
    if (version !== onchain) return c.text('manifest version validation failed', 422);
    for (const lease of leases) {
      const group = manifest.find((g) => g.name === deployment.groups[lease.gseq - 1]?.name);
      if (!group) return c.text(`manifest has no group for lease gseq ${lease.gseq}`, 422);
      try {
        for (const svc of group.services) await startService(owner, dseq, lease.gseq, lease.oseq, svc, version);
      } catch (err) {
        return c.text(`deploy failed: ${err instanceof Error ? err.message.slice(0, 200) : 'error'}`, 500);
      }
    }
    return c.body(null, 200);
  });

  const leaseParams = (c: Context) => {
    const dseq = dseqOf(c);
    const gseq = Number(c.req.param('gseq'));
    const oseq = Number(c.req.param('oseq'));
    if (dseq === null || !Number.isInteger(gseq) || !Number.isInteger(oseq)) return null;
    return { dseq, gseq, oseq };
  };

  app.get('/lease/:dseq/:gseq/:oseq/status', async (c) => {
    const p = leaseParams(c);
    if (!p) return c.text('invalid lease id', 400);
    const claims = await auth(c, p.dseq, 'status');
    if (claims instanceof Response) return claims;
    const lease = node.leasesOf(claims.iss, p.dseq).find((l) => l.provider === provider && l.gseq === p.gseq && l.oseq === p.oseq && l.state === 'active');
    if (!lease) return c.text('lease not found', 404);
    const prefix = `${claims.iss}/${p.dseq}/${p.gseq}/${p.oseq}/`;
    const services: Record<string, unknown> = {};
    for (const r of runs.values()) {
      if (!r.key.startsWith(prefix)) continue;
      const ready = r.ready ? 1 : 0;
      services[r.service] = { name: r.service, available: ready, total: 1, uris: [], observed_generation: 1, replicas: 1, updated_replicas: 1, ready_replicas: ready, available_replicas: ready };
    }
    return c.json({ services, forwarded_ports: {}, ips: null });
  });

  app.get('/lease/:dseq/:gseq/:oseq/logs', async (c) => {
    const p = leaseParams(c);
    if (!p) return c.text('invalid lease id', 400);
    const claims = await auth(c, p.dseq, 'logs');
    if (claims instanceof Response) return claims;
    const prefix = `${claims.iss}/${p.dseq}/${p.gseq}/${p.oseq}/`;
    const run = [...runs.values()].find((r) => r.key.startsWith(prefix));
    if (!run) return c.text('lease not found', 404);
    const follow = c.req.query('follow') === 'true' || c.req.query('follow') === '1';
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        let pending = '';
        try {
          for await (const chunk of runtime.logs(run.handle.id, { follow })) {
            pending += new TextDecoder().decode(chunk);
            let i: number;
            while ((i = pending.indexOf('\n')) >= 0) {
              controller.enqueue(encoder.encode(`${JSON.stringify({ name: `${run.service}-0`, message: pending.slice(0, i) })}\n`));
              pending = pending.slice(i + 1);
            }
          }
          if (pending) controller.enqueue(encoder.encode(`${JSON.stringify({ name: `${run.service}-0`, message: pending })}\n`));
        } catch {
          // the container went away
        }
        controller.close();
      },
    });
    return c.body(body, 200, { 'content-type': 'application/x-ndjson' });
  });

  // A provider tears the workload down when its lease closes on chain.
  const watch = setInterval(() => {
    for (const [key, r] of runs) {
      const [owner, dseq, gseq, oseq] = key.split('/');
      const lease = node.leasesOf(owner!, BigInt(dseq!)).find((l) => l.provider === provider && l.gseq === Number(gseq) && l.oseq === Number(oseq));
      if (lease && lease.state === 'active') continue;
      runs.delete(key);
      void runtime
        .stop(r.handle.id, 5)
        .catch(() => undefined)
        .then(() => runtime.remove(r.handle.id))
        .catch(() => undefined);
    }
  }, opts.watchMs ?? 250);

  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: opts.port ?? 0 }, () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    provider,
    running: () => [...runs.values()].map((r) => ({ key: r.key, id: r.handle.id, exited: r.exited })),
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(watch);
        server.close(() => resolve());
      }),
  };
}
