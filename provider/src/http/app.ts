// The agent's own HTTP endpoint: health, and a job's live logs for its buyer or this provider (EIP-712 LogRequest
// in the X-Necto-* headers). While the container exists the log streams from the runtime (follow=1 keeps it open
// until the container exits); afterwards it is served from the stored log the result manifest names.
import { checkExpiry, nectoDomain, readSignedHeaders, SignatureError, SIGNATURE_HEADERS, verifySigned } from '@necto/keeper/domain';
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { stream } from 'hono/streaming';
import type { Address, Hex } from 'viem';
import { z } from 'zod';
import type { Market } from '../chain/market.js';
import type { ContentStore } from '../content/store.js';
import { readResultManifest } from '../manifest/build.js';
import type { ContainerRuntime } from '../runtime/types.js';
import type { DaemonStatus } from '../daemon/daemon.js';
import type { JobRecord } from '../daemon/state.js';

export interface AgentHttpDeps {
  address: Address;
  chainId: number;
  jobMarket: Address;
  corsOrigins: string[];
  market: Pick<Market, 'getJob'>;
  runtime: Pick<ContainerRuntime, 'logs' | 'inspect'>;
  content: ContentStore;
  status(): DaemonStatus;
  recordOf(jobId: bigint): { record: JobRecord } | null;
  nowSec?: () => number;
}

const jobIdParam = z.object({ id: z.string().regex(/^[1-9]\d{0,77}$/).transform((s) => BigInt(s)) });
const logsQuery = z.object({ follow: z.enum(['0', '1', 'true', 'false']).optional() });

const fail = (status: 400 | 401 | 403 | 404, code: string, message: string) =>
  new HTTPException(status, { res: new Response(JSON.stringify({ error: { code, message } }), { status, headers: { 'content-type': 'application/json' } }) });

export function createAgentApp(deps: AgentHttpDeps) {
  const domain = nectoDomain(deps.chainId, deps.jobMarket);
  const nowSec = deps.nowSec ?? (() => Math.floor(Date.now() / 1000));
  const app = new Hono()
    .use(
      '*',
      cors({
        origin: deps.corsOrigins,
        allowMethods: ['GET', 'OPTIONS'],
        allowHeaders: [SIGNATURE_HEADERS.signature, SIGNATURE_HEADERS.expires, SIGNATURE_HEADERS.requester],
        maxAge: 600,
      }),
    )
    .get('/health', (c) => {
      const s = deps.status();
      return c.json({ status: s.lastError ? 'degraded' : 'ok', provider: s.address, running: s.running, cursor: s.cursor, lastError: s.lastError }, 200);
    })
    .get('/jobs/:id/logs', async (c) => {
      const param = jobIdParam.safeParse(c.req.param());
      if (!param.success) throw fail(400, 'invalid_request', 'job id must be a positive integer');
      const query = logsQuery.safeParse(c.req.query());
      if (!query.success) throw fail(400, 'invalid_request', 'follow must be 0 or 1');
      const jobId = param.data.id;
      const follow = query.data.follow === '1' || query.data.follow === 'true';

      const auth = readSignedHeaders((n) => c.req.header(n));
      if (!auth) throw fail(401, 'signature_missing', 'a LogRequest signature is required (X-Necto-Signature, X-Necto-Expires, X-Necto-Requester)');
      try {
        checkExpiry(auth.expires, nowSec());
        await verifySigned({ domain, primaryType: 'LogRequest', message: { jobId, requester: auth.requester, expires: auth.expires }, signature: auth.signature, claimed: auth.requester });
      } catch (err) {
        if (err instanceof SignatureError) throw fail(401, `signature_${err.reason}`, err.message);
        throw err;
      }
      const job = await deps.market.getJob(jobId);
      const requester = auth.requester.toLowerCase();
      if (requester !== job.buyer.toLowerCase() && requester !== deps.address.toLowerCase()) {
        throw fail(403, 'forbidden', 'only the job’s buyer and its provider may read its logs');
      }
      const hit = deps.recordOf(jobId);
      if (!hit) throw fail(404, 'unknown_job', `no run of job ${jobId} on this provider`);
      const { record } = hit;

      c.header('Content-Type', 'text/plain; charset=utf-8');
      c.header('Cache-Control', 'no-store');
      c.header('X-Content-Type-Options', 'nosniff');
      c.header('X-Necto-Round', String(record.round));
      const live = record.containerId ? await deps.runtime.inspect(record.containerId).then(() => true, () => false) : false;
      if (live) {
        return stream(c, async (s) => {
          for await (const chunk of deps.runtime.logs(record.containerId!, { follow })) {
            if (s.aborted) break;
            await s.write(chunk);
          }
        });
      }
      if (record.manifestRoot) {
        const { manifest } = await readResultManifest(deps.content, record.manifestRoot as Hex);
        const bytes = manifest.log.root ? await deps.content.get(manifest.log.root as Hex) : new Uint8Array(0);
        return c.body(new Uint8Array(bytes ?? new Uint8Array(0)), 200);
      }
      throw fail(404, 'no_log', `job ${jobId} has no log yet`);
    });
  app.onError((err, c) => {
    if (err instanceof HTTPException) return err.getResponse();
    return c.json({ error: { code: 'internal', message: 'internal error' } }, 500);
  });
  return app;
}
