import { createRouter, createCatalog, createLogStore, replay, decodeLog } from './src/routing/index.js';
const router = createRouter({
  catalog: createCatalog({ subgraphUrl: '', live: false, ttlMs: 60000, timeoutMs: 1000 }),
  model: 'local',
  logStore: createLogStore({ kind: 'local', dir: '/tmp/necto-logs' }),
  onStep: (k, s) => console.log(k, s.seq, s.kind, s.title),
});
const req = { jobId: 7n, buyer: '0x0000000000000000000000000000000000000001' as const, teamId: 0, gpuModels: ['H100'], gpuCount: 2, minVramGb: 80, minVcpu: 8, minRamGb: 32, regions: [], maxPricePerGpuHour: 2_500_000n, durationSec: 7200, allowExternal: true, teamRemainingCap: null, budget: 20_000_000n, specHash: `0x${'ab'.repeat(32)}` as const, trust: { auditedOnly: false, allowList: [] }, excludeProviderRefs: [] };
const t = Date.now();
const d = await router.decide(req);
console.log(Date.now() - t, 'ms', d.chosen?.id, d.logRoot, d.decisionHash, d.sdlHash, d.logBytes.length);
console.log(d.log.agent);
console.log('replay', replay(decodeLog(d.logBytes)));
const q = await router.quote({ ...req, jobId: null, gpuModels: ['B200'] });
console.log(q.best, q.exclusions.map(e=>[e.constraint,e.count]));
