import { testClient } from 'hono/testing';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.js';
import { parseSpecSubmission } from '../../src/chain/spec-document.js';
import { createLogger } from '../../src/logger.js';
import { ADMIN_TOKEN, LOG_BYTES, LOG_ROOT, decisionView, fakeDeps } from './fakes.js';

const json = (body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

const draft = { gpuModels: ['a100'], gpuCount: 2, maxPricePerGpuHour: '2000000', durationSec: 3600 };

describe('POST /quote', () => {
  it('returns a ranked comparison with bigint amounts as strings', async () => {
    const deps = fakeDeps();
    const res = await createApp(deps).request('/quote', json(draft));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { request: { maxPricePerGpuHour: string; jobId: null }; sources: Array<{ ageSec: number }> };
    expect(body.request.maxPricePerGpuHour).toBe('2000000');
    expect(body.request.jobId).toBeNull();
    expect(body.sources[0]!.ageSec).toBe(1000);
    expect(deps.quotes[0]!.maxPricePerGpuHour).toBe(2_000_000n);
    expect(deps.quotes[0]!.regions).toEqual([]);
  });

  it('takes the image the draft will run: null keeps it off Akash, absent says nothing', async () => {
    const deps = fakeDeps();
    const app = createApp(deps);
    expect((await app.request('/quote', json({ ...draft, image: null }))).status).toBe(200);
    expect((await app.request('/quote', json({ ...draft, image: 'necto/demo:1' }))).status).toBe(200);
    expect((await app.request('/quote', json(draft))).status).toBe(200);
    expect(deps.quotes.map((q) => q.workload)).toEqual([null, { image: 'necto/demo:1' }, undefined]);
    expect((await app.request('/quote', json({ ...draft, image: 'Not An Image' }))).status).toBe(400);
  });

  it('rejects bad input with 400 and the zod issues', async () => {
    const res = await createApp(fakeDeps()).request('/quote', json({ ...draft, gpuCount: 0, maxPricePerGpuHour: '1.5' }));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string; issues: Array<{ path: string }> } };
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.issues.map((i) => i.path).sort()).toEqual(['gpuCount', 'maxPricePerGpuHour']);
  });

  it('rejects unknown fields and malformed JSON', async () => {
    const app = createApp(fakeDeps());
    const extra = await app.request('/quote', json({ ...draft, surprise: 1 }));
    expect(extra.status).toBe(400);
    const bad = await app.request('/quote', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{nope' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('invalid_request');
  });

  it('refuses bodies over the limit with 413', async () => {
    const res = await createApp(fakeDeps()).request('/quote', json({ ...draft, description: 'x'.repeat(5000) }));
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
  });
});

describe('/logs', () => {
  it('serves log bytes as application/json', async () => {
    const res = await createApp(fakeDeps()).request(`/logs/${LOG_ROOT}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(LOG_BYTES);
  });

  it('answers 404 for an unknown root and 400 for a malformed one', async () => {
    const app = createApp(fakeDeps());
    const unknown = await app.request(`/logs/0x${'cd'.repeat(32)}`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: { code: 'unknown_log', message: expect.stringContaining('0xcdcd') } });
    expect((await app.request('/logs/0x1234')).status).toBe(400);
    expect((await app.request(`/logs/0x${'cd'.repeat(32)}/verify`)).status).toBe(404);
  });

  it('verifies a known root', async () => {
    const res = await createApp(fakeDeps()).request(`/logs/${LOG_ROOT}/verify`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { computed: { logRoot: string } }).computed.logRoot).toBe(LOG_ROOT);
  });
});

describe('/jobs/:id', () => {
  it('returns the decision, 404 before one exists, 400 for a bad id', async () => {
    const app = createApp(fakeDeps());
    const ok = await app.request('/jobs/1/decision');
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { logRoot: string }).logRoot).toBe(LOG_ROOT);
    expect((await app.request('/jobs/2/decision')).status).toBe(404);
    expect((await app.request('/jobs/abc/decision')).status).toBe(400);
    expect((await app.request('/jobs/0/decision')).status).toBe(400);
  });

  it('downloads the SDL as an attachment', async () => {
    const res = await createApp(fakeDeps()).request('/jobs/1/sdl');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="necto-job-1-round-1.yaml"');
    expect(res.headers.get('content-type')).toMatch(/^application\/yaml/);
    expect(await res.text()).toContain('version');
    expect((await createApp(fakeDeps()).request('/jobs/2/sdl')).status).toBe(404);
  });

  it('takes an untracked spec and maps each outcome to a status', async () => {
    const app = createApp(fakeDeps());
    const doc = { document: { gpuModels: ['a100'] } };
    expect((await app.request('/jobs/5/spec', json(doc))).status).toBe(202);
    expect((await app.request('/jobs/404/spec', json(doc))).status).toBe(404);
    expect((await app.request('/jobs/409/spec', json(doc))).status).toBe(409);
    const mismatch = await app.request('/jobs/5/spec', json({ raw: '{"bad":true}' }));
    expect(mismatch.status).toBe(422);
    expect(((await mismatch.json()) as { error: { code: string } }).error.code).toBe('spec_hash_mismatch');
    const invalid = await app.request('/jobs/5/spec', json({ document: 'nope' }));
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { error: { issues: unknown[] } }).error.issues.length).toBeGreaterThan(0);
  });

  it('refuses a spec nested 8,000 deep with a 400 at the boundary, and the parser never overflows', async () => {
    const app = createApp(fakeDeps({ bodyLimitBytes: 1_000_000 }));
    const depth = 8_000;
    const body = `{"document":{"gpuModels":["a100"],"x":${'['.repeat(depth)}${']'.repeat(depth)}}}`;
    const res = await app.request('/jobs/5/spec', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('too_deep');
    // Within the limit the same route still answers as before.
    const shallow = `{"document":{"gpuModels":["a100"],"x":${'['.repeat(60)}${']'.repeat(60)}}}`;
    expect((await app.request('/jobs/5/spec', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: shallow })).status).toBe(202);
    // A document nested inside `raw` text (or handed over in-process) is refused as invalid, not thrown.
    const raw = parseSpecSubmission({ raw: `{"x":${'['.repeat(depth)}${']'.repeat(depth)}}` });
    expect(raw.ok).toBe(false);
    expect(raw.ok ? [] : raw.issues.map((i) => i.message)).toEqual([expect.stringMatching(/deeper than 64/)]);
    let deep: unknown = 1;
    for (let i = 0; i < depth; i++) deep = { k: deep };
    expect(parseSpecSubmission({ document: { x: deep } }).ok).toBe(false);
  });

  it('answers an upload the client aborted without logging an error', async () => {
    const lines: string[] = [];
    const logger = createLogger('debug', {}, (l) => lines.push(l));
    const app = createApp(fakeDeps({ bodyLimitBytes: 1_000_000 }, { logger }));
    const body = new ReadableStream<Uint8Array>({
      start(ctl) {
        ctl.enqueue(new TextEncoder().encode('{"document":{"gpuModels":'));
        ctl.error(new Error('aborted'));
      },
    });
    const res = await app.request('/jobs/5/spec', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('request_aborted');
    const levels = lines.map((l) => (JSON.parse(l) as { level: string; msg: string }).level);
    expect(levels).not.toContain('error');
    expect(lines.some((l) => l.includes('request aborted by the client'))).toBe(true);
  });

  it('streams replayed and live steps over SSE and ends with the decision', async () => {
    const deps = fakeDeps();
    deps.emit(7n, { type: 'step', round: 1, step: { seq: 0, at: 1, kind: 'thought', title: 'reading the job', detail: null } });
    const res = await createApp(deps).request('/jobs/7/steps');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    setTimeout(() => {
      deps.emit(7n, { type: 'step', round: 1, step: { seq: 1, at: 2, kind: 'tool_call', title: 'catalog', detail: { n: 1n } } });
      deps.emit(7n, { type: 'decision', round: 1, decision: decisionView(7n) });
    }, 20);
    const text = await res.text(); // ends because the stream closes after the decision
    const events = [...text.matchAll(/^event: (\w+)$/gm)].map((m) => m[1]);
    expect(events).toEqual(['hello', 'step', 'step', 'decision']);
    expect(text).toContain('id: 1:1');
    expect(text).toContain('"n":"1"');
  });

  it('skips steps the client already saw (Last-Event-ID)', async () => {
    const deps = fakeDeps();
    for (const seq of [0, 1, 2]) deps.emit(8n, { type: 'step', round: 1, step: { seq, at: seq, kind: 'thought', title: `s${seq}`, detail: null } });
    deps.emit(8n, { type: 'decision', round: 1, decision: decisionView(8n) });
    const res = await createApp(deps).request('/jobs/8/steps', { headers: { 'Last-Event-ID': '1:1' } });
    const text = await res.text();
    expect([...text.matchAll(/^id: (.+)$/gm)].map((m) => m[1])).toEqual(['1:2', '1:decision']);
  });
});

describe('/admin', () => {
  it('requires the bearer token', async () => {
    const app = createApp(fakeDeps());
    const none = await app.request('/admin/config');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/Bearer/);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    const wrong = await app.request('/admin/config', { headers: { Authorization: 'Bearer wrong-token-wrong-token' } });
    expect(wrong.status).toBe(401);
    const ok = await app.request('/admin/config', { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(JSON.stringify(await ok.json())).toContain('[redacted]');
  });

  it('re-routes on request', async () => {
    const app = createApp(fakeDeps());
    const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
    expect((await app.request('/admin/reroute/1', { method: 'POST', headers: auth })).status).toBe(202);
    expect((await app.request('/admin/reroute/2', { method: 'POST', headers: auth })).status).toBe(409);
    expect((await app.request('/admin/reroute/3', { method: 'POST', headers: auth })).status).toBe(404);
    expect((await app.request('/admin/reroute/1', { method: 'POST' })).status).toBe(401);
  });

  it('is disabled without ADMIN_TOKEN', async () => {
    const res = await createApp(fakeDeps({ adminToken: undefined })).request('/admin/config', {
      headers: { Authorization: 'Bearer anything-anything' },
    });
    expect(res.status).toBe(503);
  });
});

describe('middleware', () => {
  it('rate-limits per client with 429 and Retry-After', async () => {
    const app = createApp(fakeDeps({ rateLimit: { capacity: 3, refillPerSec: 0.5 } }));
    const hit = (ip: string) => app.request('/jobs/1/decision', { headers: { 'x-test-ip': ip } });
    for (let i = 0; i < 3; i++) expect((await hit('1.1.1.1')).status).toBe(200);
    const limited = await hit('1.1.1.1');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    expect((await hit('2.2.2.2')).status).toBe(200);
    expect((await app.request('/health', { headers: { 'x-test-ip': '1.1.1.1' } })).status).toBe(200);
  });

  it('answers CORS preflights for the dApp origin only', async () => {
    const app = createApp(fakeDeps());
    const pre = await app.request('/quote', {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(pre.headers.get('access-control-allow-methods')).toContain('POST');
    const get = await app.request('/jobs/1/decision', { headers: { Origin: 'http://localhost:5173' } });
    expect(get.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    const evil = await app.request('/jobs/1/decision', { headers: { Origin: 'https://evil.example' } });
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('sets secure headers and a request id, and answers unknown routes with JSON 404', async () => {
    const res = await createApp(fakeDeps()).request('/nope');
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-request-id')).toMatch(/^\S+$/);
  });

  it('serves health and Prometheus metrics', async () => {
    const app = createApp(fakeDeps());
    expect((await app.request('/health')).status).toBe(200);
    await app.request('/jobs/1/decision');
    const metrics = await app.request('/metrics');
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0.0.4/);
    const text = await metrics.text();
    expect(text).toContain('# TYPE necto_keeper_route_latency_seconds histogram');
    expect(text).toContain('necto_keeper_http_requests_total{route="/jobs/:id/decision",status="2xx"} 1');
  });

  it('gives a typed client (hc<AppType>)', async () => {
    const client = testClient(createApp(fakeDeps()));
    const res = await client.jobs[':id'].decision.$get({ param: { id: '1' } });
    expect(res.status).toBe(200);
    if (res.status === 200) {
      const body = await res.json();
      expect(body.round).toBe(1);
    }
  });
});
