// /akash/jobs/:id/logs — the run log of a job deployed on Akash by the keeper's managed wallet, for its buyer:
// the same EIP-712 LogRequest headers a provider agent takes (so the dApp streams it the same way). While the
// lease runs, the provider gateway's log is relayed as it grows (the keeper holds the gateway JWT; providers serve
// self-signed TLS a browser would refuse); once the deployment is closed, the collected log.
import { Hono } from 'hono';
import { stream } from 'hono/streaming';
import { z } from 'zod';
import { jobIdParam } from '../../domain/api.js';
import { readSignedHeaders } from '../../domain/eip712.js';
import type { ApiDeps } from '../deps.js';
import { ApiError, notFound, validate } from '../errors.js';

const logsQuery = z.object({ follow: z.enum(['0', '1', 'true', 'false']).optional() });

export function akashRoutes(deps: ApiDeps, opts: { pollMs?: number; maxFollowMs?: number } = {}) {
  const pollMs = opts.pollMs ?? 1_000;
  const maxFollowMs = opts.maxFollowMs ?? 30 * 60_000;
  return new Hono().get('/jobs/:id/logs', validate('param', jobIdParam), validate('query', logsQuery), async (c) => {
    const { id } = c.req.valid('param');
    const follow = ['1', 'true'].includes(c.req.valid('query').follow ?? '0');
    const akash = deps.akash;
    if (!akash) throw new ApiError(503, 'akash_disabled', 'this keeper deploys nothing on Akash');
    const auth = readSignedHeaders((n) => c.req.header(n));
    if (!auth) throw new ApiError(401, 'signature_missing', 'a LogRequest signature is required (X-Necto-Signature, X-Necto-Expires, X-Necto-Requester)');
    const request = { requester: auth.requester, expires: auth.expires, signature: auth.signature };
    const first = await akash.logs(id, request);
    if (first.status === 'unauthorized') throw new ApiError(401, `signature_${first.reason}`, first.message);
    if (first.status === 'forbidden') throw new ApiError(403, 'forbidden', first.message);
    if (first.status === 'no_lease') throw notFound('no_lease', `job ${id} has no Akash lease yet`);
    c.header('Content-Type', 'text/plain; charset=utf-8');
    c.header('Cache-Control', 'no-store');
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('X-Necto-Round', String(first.round));
    if (!follow || !first.live) return c.body(first.text, 200);
    return stream(c, async (s) => {
      // The gateway answers the whole log so far: write what is new since the last read, until the lease ends.
      let sent = first.text;
      await s.write(sent);
      const deadline = Date.now() + maxFollowMs;
      while (!s.aborted && Date.now() < deadline) {
        await s.sleep(pollMs);
        const next = await akash.logs(id, request).catch(() => null);
        if (!next || next.status !== 'ok' || next.round !== first.round) break;
        if (next.text.startsWith(sent)) {
          if (next.text.length > sent.length) await s.write(next.text.slice(sent.length));
          sent = next.text;
        }
        if (!next.live) break;
      }
    });
  });
}
