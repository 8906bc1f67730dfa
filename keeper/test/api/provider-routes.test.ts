// The provider-facing endpoints against a real deployment: the untracked document for the routed operator only,
// signed heartbeats and liveness, and content-addressed uploads whose root is recomputed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPublicClient, http, keccak256, stringToHex, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { foundry } from 'viem/chains';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.js';
import { SpecStore } from '../../src/chain/spec-document.js';
import { DISPUTE_EVIDENCE_KIND, evidenceText, type DisputeEvidence } from '../../src/domain/dispute-evidence.js';
import { nectoDomain, signedHeaders, typedDataFor, type Heartbeat } from '../../src/domain/eip712.js';
import { canonicalJson, createLogStore } from '../../src/log/index.js';
import { zgRootOf } from '../../src/log/root.js';
import { createProviderServices, ONLINE_SEC } from '../../src/services/providers.js';
import { ANVIL_KEYS, startDeployedAnvil, type DeployedAnvil } from '../chain/anvil.js';
import { buyer } from '../chain/market.js';
import { commitRouteToProvider, registerProvider } from '../chain/onchain-provider.js';
import { fakeDeps } from './fakes.js';

const document = { image: 'necto/demo:1', command: ['sh', '-c', 'echo hi'], gpuModels: ['a100'] };
const documentText = canonicalJson(document);

describe('provider endpoints', () => {
  let anvil: DeployedAnvil;
  let dir: string;
  let app: ReturnType<typeof createApp>;
  let clock = Math.floor(Date.now() / 1000);
  let provider: Awaited<ReturnType<typeof registerProvider>>;
  let untrackedJob: bigint;
  let trackedJob: bigint;
  const providerAccount = privateKeyToAccount(ANVIL_KEYS[2]);
  const stranger = privateKeyToAccount(ANVIL_KEYS[3]);
  let domain: ReturnType<typeof nectoDomain>;

  beforeAll(async () => {
    anvil = await startDeployedAnvil();
    dir = mkdtempSync(join(tmpdir(), 'necto-provider-routes-'));
    const { deployment } = anvil;
    domain = nectoDomain(deployment.chainId, deployment.contracts.JobMarket);
    provider = await registerProvider(anvil.url, deployment);
    const b = buyer(anvil.url, deployment);
    await b.fund();
    untrackedJob = (await b.submit({ tracked: false, specHash: keccak256(stringToHex(documentText)) })).jobId;
    trackedJob = (await b.submit({ tracked: true })).jobId;
    await commitRouteToProvider(anvil.url, deployment, untrackedJob, provider);
    const specs = new SpecStore(dir, deployment.chainId, deployment.contracts.JobMarket);
    specs.put(untrackedJob, documentText, { gpuModels: ['a100'], regions: [], minVramGb: 0, minVcpu: 0, minRamGb: 0 });
    const providers = createProviderServices({
      publicClient: createPublicClient({ chain: foundry, transport: http(anvil.url) }),
      chainId: deployment.chainId,
      jobMarket: deployment.contracts.JobMarket,
      providerRegistry: deployment.contracts.ProviderRegistry,
      startBlock: 0n,
      keeper: privateKeyToAccount(ANVIL_KEYS[1]).address,
      specs,
      contentStore: createLogStore({ kind: 'local', dir: join(dir, 'content') }),
      contentLimitBytes: 64 * 1024,
      nowSec: () => clock,
    });
    app = createApp(fakeDeps({}, { providers }));
  }, 120_000);

  afterAll(async () => {
    await anvil?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const documentRequest = async (jobId: bigint, signer = providerAccount, expires = BigInt(clock + 60)) => {
    const signature = await signer.signTypedData(typedDataFor(domain, 'DocumentRequest', { jobId, requester: signer.address, expires }));
    return app.request(`/jobs/${jobId}/document`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ requester: signer.address, expires: expires.toString(), signature }),
    });
  };

  describe('POST /jobs/:id/document', () => {
    it('gives the routed operator the exact text whose keccak256 is the specHash', async () => {
      const res = await documentRequest(untrackedJob);
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).toBe(documentText);
      expect(res.headers.get('X-Spec-Hash')).toBe(keccak256(stringToHex(text)));
    });

    it('refuses a stranger with 403', async () => {
      const res = await documentRequest(untrackedJob, stranger);
      expect(res.status).toBe(403);
      expect(await res.text()).not.toContain('necto/demo');
    });

    it('refuses an expired request and one that lives too long with 401', async () => {
      expect((await documentRequest(untrackedJob, providerAccount, BigInt(clock - 1))).status).toBe(401);
      expect((await documentRequest(untrackedJob, providerAccount, BigInt(clock + 301))).status).toBe(401);
    });

    it('refuses a signature by someone else than the claimed requester with 401', async () => {
      const expires = BigInt(clock + 60);
      const signature = await stranger.signTypedData(typedDataFor(domain, 'DocumentRequest', { jobId: untrackedJob, requester: providerAccount.address, expires }));
      const res = await app.request(`/jobs/${untrackedJob}/document`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ requester: providerAccount.address, expires: expires.toString(), signature }),
      });
      expect(res.status).toBe(401);
    });

    it('answers 409 for a tracked job and 404 for an unknown one', async () => {
      expect((await documentRequest(trackedJob)).status).toBe(409);
      expect((await documentRequest(999n)).status).toBe(404);
    });
  });

  describe('heartbeats and liveness', () => {
    const heartbeat = async (signer = providerAccount, message: Partial<Heartbeat> = {}) => {
      const msg: Heartbeat = { provider: signer.address, endpoint: 'http://127.0.0.1:8790', running: 1, timestamp: BigInt(clock), ...message };
      const signature = await signer.signTypedData(typedDataFor(domain, 'Heartbeat', msg));
      return { msg, signature };
    };
    const post = (body: unknown) => app.request('/providers/heartbeat', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const liveness = async (address: string) => (await app.request(`/providers/${address}/liveness`)).json();

    it('a registered provider is online after a signed heartbeat and offline 45 s after the last one', async () => {
      expect(await liveness(providerAccount.address)).toEqual({ online: false, lastSeen: null, endpoint: null, running: 0 });
      const { msg, signature } = await heartbeat();
      const res = await post({ message: { ...msg, timestamp: msg.timestamp.toString() }, signature });
      expect(res.status).toBe(202);
      expect(await liveness(providerAccount.address)).toEqual({ online: true, lastSeen: clock, endpoint: 'http://127.0.0.1:8790', running: 1 });
      clock += ONLINE_SEC + 1;
      expect(await liveness(providerAccount.address.toLowerCase())).toMatchObject({ online: false, lastSeen: clock - ONLINE_SEC - 1 });
    });

    it('refuses a tampered heartbeat (401), a replayed one (401) and an unregistered wallet (403)', async () => {
      const { msg, signature } = await heartbeat();
      expect((await post({ message: { ...msg, running: 9, timestamp: msg.timestamp.toString() }, signature })).status).toBe(401);
      expect((await post({ message: { ...msg, timestamp: msg.timestamp.toString() }, signature })).status).toBe(202);
      expect((await post({ message: { ...msg, timestamp: msg.timestamp.toString() }, signature })).status).toBe(401);
      const foreign = await heartbeat(stranger);
      expect((await post({ message: { ...foreign.msg, timestamp: foreign.msg.timestamp.toString() }, signature: foreign.signature })).status).toBe(403);
      const old = await heartbeat(providerAccount, { timestamp: BigInt(clock - 400) });
      expect((await post({ message: { ...old.msg, timestamp: old.msg.timestamp.toString() }, signature: old.signature })).status).toBe(401);
    });
  });

  describe('content', () => {
    const upload = async (bytes: Uint8Array<ArrayBuffer>, root: Hex, signer = providerAccount, signedRoot: Hex = root) => {
      const expires = BigInt(clock + 60);
      const signature = await signer.signTypedData(typedDataFor(domain, 'ContentUpload', { root: signedRoot, uploader: signer.address, expires }));
      return app.request('/content', { method: 'POST', headers: { 'X-Content-Root': root, ...signedHeaders(signer.address, expires, signature) }, body: bytes });
    };

    it('stores bytes under their 0G root and serves them back', async () => {
      const bytes = new TextEncoder().encode('{"kind":"necto.result/1"}');
      const root = await zgRootOf(bytes);
      const res = await upload(bytes, root);
      expect(res.status).toBe(201);
      expect(await res.json()).toMatchObject({ root, bytes: bytes.length });
      const got = await app.request(`/content/${root}`);
      expect(got.status).toBe(200);
      expect(new Uint8Array(await got.arrayBuffer())).toEqual(bytes);
    });

    it('refuses a root that is not the bytes’ root (422)', async () => {
      const bytes = new TextEncoder().encode('tampered');
      const other = await zgRootOf(new TextEncoder().encode('original'));
      const res = await upload(bytes, other);
      expect(res.status).toBe(422);
      expect((await app.request(`/content/${other}`)).status).toBe(404);
    });

    it('refuses an unregistered uploader (403), a missing signature (401) and content over the limit (413)', async () => {
      const bytes = new TextEncoder().encode('from a stranger');
      const root = await zgRootOf(bytes);
      expect((await upload(bytes, root, stranger)).status).toBe(403);
      expect((await app.request('/content', { method: 'POST', headers: { 'X-Content-Root': root }, body: bytes })).status).toBe(401);
      const big = new Uint8Array(64 * 1024 + 1).fill(7);
      expect((await upload(big, await zgRootOf(big))).status).toBe(413);
    });

    it('takes a job’s dispute evidence from its buyer only, and nothing else from a buyer (403)', async () => {
      const buyerAccount = privateKeyToAccount(ANVIL_KEYS[0]);
      const evidence = (over: Partial<DisputeEvidence> = {}) =>
        evidenceText({
          kind: DISPUTE_EVIDENCE_KIND, chainId: anvil.deployment.chainId, jobMarket: anvil.deployment.contracts.JobMarket.toLowerCase(),
          jobId: trackedJob.toString(), round: 1, manifestRoot: `0x${'ab'.repeat(32)}`, reason: 'The run exited with code 3.', ...over,
        });
      const bytes = new TextEncoder().encode(evidence());
      const root = await zgRootOf(bytes);
      expect((await upload(bytes, root, stranger)).status).toBe(403);
      const res = await upload(bytes, root, buyerAccount);
      expect(res.status).toBe(201);
      expect(new Uint8Array(await (await app.request(`/content/${root}`)).arrayBuffer())).toEqual(bytes);
      // Not evidence, evidence of an unknown job or of another market, or not in canonical form: refused.
      const refused = [
        new TextEncoder().encode('{"kind":"necto.result/1"}'),
        new TextEncoder().encode(evidence({ jobId: '999' })),
        new TextEncoder().encode(evidence({ jobMarket: `0x${'12'.repeat(20)}` })),
        new TextEncoder().encode(JSON.stringify(JSON.parse(evidence()), null, 2)),
      ];
      for (const body of refused) expect((await upload(body, await zgRootOf(body), buyerAccount)).status).toBe(403);
    });

    it('keeps the ordinary body limit for every other route', async () => {
      const res = await app.request('/quote', { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(5000) });
      expect(res.status).toBe(413);
    });
  });
});
