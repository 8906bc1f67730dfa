import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keccak256 } from 'viem';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parsePick } from '../../src/agent/index.js';
import { createCatalog } from '../../src/catalog/index.js';
import { OLDEST_RECORDED_AT, SNAPSHOT_DEPLOYMENT, SNAPSHOT_RECORDED_AT } from '../catalog/snapshot-deployment.js';
import { DEFAULT_WEIGHTS, route } from '../../src/engine/index.js';
import { syntheticRequest } from '../../src/engine/synthetic.js';
import { canonicalBytes, createLogStore, decodeLog, zgRootOf } from '../../src/log/index.js';
import { createRouter, replay } from '../../src/routing/index.js';
import { ZERO_BYTES32, type AgentStep, type JobRequest } from '../../src/domain/types.js';
import { json, startServer, type TestServer } from '../catalog/http.js';

const catalog = createCatalog({ subgraphUrl: '', live: false, ttlMs: 60_000, timeoutMs: 500, ...SNAPSHOT_DEPLOYMENT });

const h100Job: JobRequest = {
  jobId: 42n,
  buyer: '0x00000000000000000000000000000000000000b0',
  teamId: 0,
  gpuModels: ['H100'],
  gpuCount: 2,
  minVramGb: 80,
  minVcpu: 8,
  minRamGb: 32,
  regions: [],
  maxPricePerGpuHour: 2_500_000n,
  durationSec: 7200,
  allowExternal: true,
  teamRemainingCap: null,
  budget: 20_000_000n,
  specHash: `0x${'ab'.repeat(32)}`,
  trust: { auditedOnly: false, allowList: [] },
  excludeProviderRefs: [],
  description: 'Fine-tune a 7B model; our users are in the US.',
  // The SDL deploys the document's image: a job routed to Akash needs one.
  workload: { image: 'ghcr.io/acme/llama-finetune:0.3', command: ['python', 'train.py'] },
};

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'necto-agent-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function enginePick(req: JobRequest): Promise<string | null> {
  return route(req, (await catalog.lookup()).candidates).ranked[0]?.candidate.id ?? null;
}

describe('agent loop on the local model', { timeout: 60_000 }, () => {
  it('streams every step as it happens, picks the engine pick, stores the log before returning', async () => {
    const logStore = createLogStore({ kind: 'local', dir });
    const streamed: AgentStep[] = [];
    let returned = false;
    const router = createRouter({ catalog, model: 'local', logStore });
    const decision = await router.decide(h100Job, {
      onStep: (step) => {
        expect(returned).toBe(false);
        streamed.push(step);
      },
    });
    returned = true;

    expect(decision.chosen?.id).toBe(await enginePick(h100Job));
    expect(decision.log.agent).toMatchObject({ proposedId: decision.chosen!.id, acceptedId: decision.chosen!.id, overridden: false });
    expect(decision.log.model).toEqual({ kind: 'local', name: 'offline-necto-router-1' });

    // Steps: streamed in order to this decision's listener, and identical to those in the log.
    expect(decision.log.jobKey).toBe('job:42');
    expect(streamed).toEqual(decision.steps);
    expect(decision.log.steps).toEqual(decision.steps);
    expect(decision.steps.map((s) => s.seq)).toEqual(decision.steps.map((_, i) => i));
    const calls = decision.steps.filter((s) => s.kind === 'tool_call').map((s) => s.title);
    expect(calls).toEqual(['lookup_catalog', 'check_constraints', 'rank_candidates', 'build_akash_sdl']);
    expect(decision.steps.filter((s) => s.kind === 'tool_result').map((s) => s.title)).toEqual(calls);
    expect(decision.steps.at(-1)!.kind).toBe('decision');
    expect(decision.steps.some((s) => s.kind === 'thought' && /Best: /.test(s.title))).toBe(true);

    // Log: canonical bytes, 0G root, keccak, stored and replayable.
    expect(decision.logRoot).toBe(await zgRootOf(decision.logBytes));
    expect(decision.decisionHash).toBe(keccak256(decision.logBytes));
    expect(await logStore.get(decision.logRoot)).toEqual(decision.logBytes);
    const parsed = decodeLog(decision.logBytes);
    expect(replay(parsed)).toBe(decision.chosen!.id);
    // Parsing loses nothing: the parsed log re-encodes to the very same bytes.
    expect(canonicalBytes(parsed)).toEqual(decision.logBytes);
    expect(parsed.weights).toEqual(decision.log.weights);
    expect(parsed.versions.engine).toMatch(/^necto-engine\//);
    expect(parsed.sources.map((s) => s.source)).toEqual(['subgraph', 'akash', 'lambda', 'aws-spot', 'vast', 'runpod', 'ionet']);

    // Akash choice: SDL and its manifest hash travel with the decision and the log.
    expect(decision.chosen!.market).toBe('akash');
    expect(decision.sdlHash).not.toBe(ZERO_BYTES32);
    expect(parsed.sdl?.hash).toBe(decision.sdlHash);
    expect(decision.pricePerGpuHour).toBe(decision.ranked[0]!.pricePerGpuHour);
  });

  it('agrees with the engine on seeded random jobs', async () => {
    const router = createRouter({ catalog, model: 'local', logStore: createLogStore({ kind: 'local', dir }) });
    const candidates = (await catalog.lookup()).candidates;
    let chosen = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const req = { ...syntheticRequest(seed, candidates), gpuModels: seed % 3 === 0 ? [] : ['a100', 'h100', 'rtx4090'] };
      const d = await router.decide(req);
      expect(d.chosen?.id ?? null).toBe(await enginePick(req));
      expect(d.log.agent.overridden).toBe(false);
      if (d.chosen) chosen++;
      if (d.chosen && d.chosen.market !== 'akash') expect(d.sdlHash).toBe(ZERO_BYTES32);
    }
    expect(chosen).toBeGreaterThan(0);
  });

  it('says which constraints excluded what when nothing fits', async () => {
    const router = createRouter({ catalog, model: 'local', logStore: createLogStore({ kind: 'local', dir }) });
    const d = await router.decide({ ...h100Job, maxPricePerGpuHour: 100_000n });
    expect(d.chosen).toBeNull();
    expect(d.log.choice).toBeNull();
    expect(d.log.agent).toMatchObject({ proposedId: null, overridden: false });
    expect(d.sdlHash).toBe(ZERO_BYTES32);
    const last = d.steps.at(-1)!;
    expect(last).toMatchObject({ kind: 'decision', title: 'No candidate fits' });
    expect(JSON.stringify(last.detail, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))).toContain('maxPrice');
    expect(d.excluded.length).toBeGreaterThan(0);
  });

  it('quotes with every source age and exclusion reasons', async () => {
    const router = createRouter({ catalog, model: 'local', logStore: createLogStore({ kind: 'local', dir }) });
    const q = await router.quote({ ...h100Job, jobId: null });
    expect(q.best?.candidateId).toBe(await enginePick(h100Job));
    expect(q.sources).toHaveLength(7);
    for (const row of q.rows) expect(row.sourceAgeSec).toBeGreaterThanOrEqual(0);
    expect(q.exclusions.map((e) => e.constraint)).toContain('gpuModel');
    const none = await router.quote({ ...h100Job, jobId: null, gpuModels: ['mi300x'] });
    expect(none.best).toBeNull();
    expect(none.exclusions[0]).toMatchObject({ constraint: 'gpuModel' });
  });

  it('routes only where a launcher is configured and never to a stale quote; both reasons in the quote and the log', async () => {
    // Just after the oldest snapshot was recorded: all within their TTL.
    let now = (OLDEST_RECORDED_AT + 60) * 1000;
    const honest = createCatalog({ subgraphUrl: '', live: false, ttlMs: 60_000, timeoutMs: 500, now: () => now, launchers: { onchain: 'provider-agent', akash: 'akash-deployer' } });
    const router = createRouter({ catalog: honest, model: 'local', logStore: createLogStore({ kind: 'local', dir }) });
    const job = { ...h100Job, maxPricePerGpuHour: 100_000_000n, budget: null };
    const q = await router.quote({ ...job, jobId: null });
    expect(q.rows.length).toBeGreaterThan(0);
    for (const row of q.rows) expect(['onchain', 'akash']).toContain(row.market);
    const quoteOnly = q.unroutable.filter((r) => r.launcher === null);
    expect(quoteOnly.length).toBeGreaterThan(0);
    for (const r of quoteOnly) expect(r.notRoutable).toBe(`no launcher configured for ${r.market} (quote only)`);
    // A 2-GPU job on a bigger machine billed whole (AWS, Vast.ai): the whole machine is rented.
    const whole = quoteOnly.find((r) => r.billing === 'per-instance' && r.gpuCount > 2)!;
    expect(whole).toMatchObject({ rentedGpus: whole.gpuCount, usedGpus: 2 });

    const d = await router.decide(job);
    const excludedMarkets = new Set(d.log.exclusions.filter((e) => e.reasons.some((r) => r.constraint === 'launcher')).map((e) => e.market));
    expect([...excludedMarkets].sort()).toEqual(['aws-spot', 'ionet', 'lambda', 'runpod', 'vast']);
    const chosen = d.log.candidates.find((c) => c.id === d.log.agent.acceptedId)!;
    expect(chosen.launcher).not.toBeNull();
    expect(chosen.reliabilityInputs?.basis).toBeDefined();
    expect(d.log.weights).toEqual(DEFAULT_WEIGHTS);

    // Two days after the newest recording, every snapshot is past its TTL: shown as stale, nothing routes silently.
    now = (SNAPSHOT_RECORDED_AT + 2 * 86_400) * 1000;
    const later = await router.quote({ ...job, jobId: null });
    expect(later.best).toBeNull();
    expect(later.sources.every((s) => s.stale === true)).toBe(true);
    expect(later.unroutable.some((r) => r.stale && r.market === 'akash' && r.notRoutable?.startsWith('stale quote: akash data older than its 3600 s TTL'))).toBe(true);
    // Naming the market in the allow-list is an explicit choice: the stale Akash quote may be picked.
    const named = await router.quote({ ...job, jobId: null, trust: { auditedOnly: false, allowList: ['akash'] } });
    expect(named.best).toMatchObject({ market: 'akash', stale: true });
  });

  it('keeps a job whose document names no image off Akash; the reason in the quote and the log', async () => {
    const now = (OLDEST_RECORDED_AT + 60) * 1000;
    const honest = createCatalog({ subgraphUrl: '', live: false, ttlMs: 60_000, timeoutMs: 500, now: () => now, launchers: { onchain: 'provider-agent', akash: 'akash-deployer' } });
    const router = createRouter({ catalog: honest, model: 'local', logStore: createLogStore({ kind: 'local', dir }) });
    const job = { ...h100Job, maxPricePerGpuHour: 100_000_000n, budget: null, allowExternal: true };
    const withImage = await router.quote({ ...job, jobId: null, workload: { image: 'necto/demo:1' } });
    expect(withImage.rows.some((r) => r.market === 'akash')).toBe(true);

    const q = await router.quote({ ...job, jobId: null, workload: null });
    expect(q.rows.length).toBeGreaterThan(0);
    for (const row of q.rows) expect(row.market).toBe('onchain');
    const akashRows = q.unroutable.filter((r) => r.market === 'akash');
    expect(akashRows.length).toBeGreaterThan(0);
    for (const r of akashRows) expect(r.notRoutable).toBe("no container image to deploy: the job document names none, and akash runs only the document's image");

    const d = await router.decide({ ...job, workload: null });
    expect(d.chosen?.market).toBe('onchain');
    const akashExcluded = d.log.exclusions.filter((e) => e.market === 'akash');
    expect(akashExcluded.length).toBeGreaterThan(0);
    for (const e of akashExcluded) expect(e.reasons.map((r) => r.constraint)).toContain('image');
    expect(d.log.request.workload).toBeNull();
    expect(d.sdlHash).toBe(ZERO_BYTES32);
  });
});

interface Fixture<T> {
  model: string;
  turns: T[];
}
const fixture = <T>(name: string): Fixture<T> =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as Fixture<T>;

interface GeminiRequestBody {
  contents: Array<{ role: string; parts: Array<{ text?: string; functionCall?: unknown; functionResponse?: { name: string; response: Record<string, unknown> } }> }>;
  tools?: Array<{ functionDeclarations: Array<{ name: string }> }>;
}

const functionResponses = (body: GeminiRequestBody) =>
  body.contents.flatMap((c) => c.parts).filter((p) => p.functionResponse !== undefined);

/** A stand-in for generativelanguage.googleapis.com answering recorded responses turn by turn. */
async function geminiServer(mode: 'generate' | 'stream' | 'error', overrideLastText?: string) {
  const requests: Array<{ path: string; apiKey: string | undefined; body: GeminiRequestBody }> = [];
  const server = await startServer({
    '/v1beta/models/*': (req, raw, res) => {
      const body = JSON.parse(raw) as GeminiRequestBody;
      requests.push({ path: (req.url ?? '').split('?')[0]!, apiKey: req.headers['x-goog-api-key'] as string | undefined, body });
      const turn = functionResponses(body).length;
      if (mode === 'error') {
        json(res, { error: { code: 500, message: 'Internal error encountered.', status: 'INTERNAL' } }, 500);
        return;
      }
      if (mode === 'generate') {
        const turns = fixture<Record<string, any>>('gemini-generate.json').turns;
        const response = structuredClone(turns[turn]!);
        if (overrideLastText && turn === turns.length - 1) response.candidates[0].content.parts = [{ text: overrideLastText }];
        json(res, response);
        return;
      }
      const chunks = fixture<unknown[]>('gemini-stream.json').turns[turn]!;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const c of chunks) res.write(`data: ${JSON.stringify(c)}\r\n\r\n`);
      res.end();
    },
  });
  return { server, requests };
}

describe('agent loop on Gemini (recorded responses from a local server)', { timeout: 60_000 }, () => {
  let server: TestServer | null = null;
  afterEach(async () => {
    await server?.close();
    server = null;
  });
  const apiKey = 'AIzaSy-test-key-not-real';

  it('runs the tools Gemini calls and overrides a pick that is not the engine top pick', async () => {
    const g = await geminiServer('generate');
    server = g.server;
    const steps: AgentStep[] = [];
    const router = createRouter({
      catalog,
      model: { gemini: { apiKey, model: 'gemini-2.5-flash', baseUrl: g.server.url } },
      logStore: createLogStore({ kind: 'local', dir }),
    });
    const d = await router.decide(h100Job, { onStep: (s) => steps.push(s) });

    expect(g.requests).toHaveLength(4);
    expect(g.requests.every((r) => r.path === '/v1beta/models/gemini-2.5-flash:generateContent')).toBe(true);
    expect(g.requests.every((r) => r.apiKey === apiKey)).toBe(true);
    const declared = g.requests[0]!.body.tools!.flatMap((t) => t.functionDeclarations.map((f) => f.name));
    expect(declared.sort()).toEqual(['build_akash_sdl', 'check_constraints', 'lookup_catalog', 'rank_candidates']);
    expect(g.requests[0]!.body.contents[0]!.parts[0]!.text).toContain('our users are in the US');
    // Gemini saw the engine's ranking through the tool.
    const rankResult = functionResponses(g.requests[3]!.body).find((p) => p.functionResponse!.name === 'rank_candidates')!;
    const top = (rankResult.functionResponse!.response.top as Array<{ candidateId: string }>)[0]!.candidateId;
    expect(top).toBe(await enginePick(h100Job));

    expect(d.chosen!.id).toBe(top);
    expect(d.log.model).toEqual({ kind: 'gemini', name: 'gemini-2.5-flash' });
    expect(d.log.agent.proposedId).toBe('akash:akash18ga02jzaq8cw52anyhzkwta5wygufgu6zsz6xc:h100-80gi-sxm5');
    expect(d.log.agent.overridden).toBe(true);
    expect(d.log.agent.overrideReason).toMatch(/feasible but ranked 2, not 1; overridden by the engine's pick/);
    expect(d.log.agent.explanation).toContain('Hurricane');
    expect(steps.map((s) => s.kind)).toContain('tool_result');
    expect(steps.filter((s) => s.kind === 'tool_call').map((s) => s.title)).toEqual(['lookup_catalog', 'check_constraints', 'rank_candidates']);
    expect(steps.some((s) => s.title === 'Model pick overridden')).toBe(true);
    expect(new TextDecoder().decode(d.logBytes)).not.toContain(apiKey);
    expect(replay(decodeLog(d.logBytes))).toBe(d.chosen!.id);
  });

  it('overrides an infeasible pick and says why', async () => {
    const g = await geminiServer('generate', 'The RTX 4090 is cheapest.\nPICK: onchain:5');
    server = g.server;
    const router = createRouter({ catalog, model: { gemini: { apiKey, model: 'gemini-2.5-flash', baseUrl: g.server.url } }, logStore: createLogStore({ kind: 'local', dir }) });
    const d = await router.decide(h100Job);
    expect(d.chosen!.id).toBe(await enginePick(h100Job));
    expect(d.log.agent.overrideReason).toMatch(/^model pick onchain:5 is infeasible \(gpuModel: wrong GPU model \(rtx4090, wanted h100\)/);
  });

  it('accepts the engine top pick from a streamed (SSE) conversation', async () => {
    const g = await geminiServer('stream');
    server = g.server;
    const steps: AgentStep[] = [];
    const router = createRouter({
      catalog,
      model: { gemini: { apiKey, model: 'gemini-2.5-flash', baseUrl: g.server.url, stream: true } },
      logStore: createLogStore({ kind: 'local', dir }),
    });
    const d = await router.decide(h100Job, { onStep: (s) => steps.push(s) });
    expect(g.requests.every((r) => r.path === '/v1beta/models/gemini-2.5-flash:streamGenerateContent')).toBe(true);
    expect(g.requests).toHaveLength(5);
    expect(d.log.agent).toMatchObject({ proposedId: d.chosen!.id, overridden: false, overrideReason: null });
    expect(d.log.agent.explanation).toContain('Europlots runs the job');
    expect(steps.filter((s) => s.kind === 'tool_call').map((s) => s.title)).toEqual(['lookup_catalog', 'check_constraints', 'rank_candidates', 'build_akash_sdl']);
    // Streamed chunks are not duplicated as steps: one thought per model message.
    expect(steps.filter((s) => s.kind === 'thought' && /^Europlots runs/.test(s.title))).toHaveLength(1);
    expect(d.sdlHash).toBe(d.log.sdl!.hash);
  });

  it('falls back to the engine when Gemini fails, with an error step and no key in the log', async () => {
    const g = await geminiServer('error');
    server = g.server;
    const steps: AgentStep[] = [];
    const router = createRouter({
      catalog,
      model: { gemini: { apiKey, model: 'gemini-2.5-flash', baseUrl: g.server.url } },
      logStore: createLogStore({ kind: 'local', dir }),
    });
    const d = await router.decide(h100Job, { onStep: (s) => steps.push(s) });
    expect(d.chosen!.id).toBe(await enginePick(h100Job));
    expect(d.log.agent.overridden).toBe(true);
    expect(d.log.agent.overrideReason).toMatch(/^model failed/);
    expect(steps.some((s) => s.kind === 'error')).toBe(true);
    expect(new TextDecoder().decode(d.logBytes)).not.toContain(apiKey);
  });
});

describe('parsePick', () => {
  it('takes the last PICK line, and none as no pick', () => {
    expect(parsePick('a\nPICK: x:1\nPICK: `y:2`')).toBe('y:2');
    expect(parsePick('PICK: none')).toBeNull();
    expect(parsePick('no pick here')).toBeNull();
  });
});
