// /jobs/:id/akash/self-sign/… — an Akash round the buyer signs with their own wallet (Keplr): the grant and
// deployment view, and the provider calls the browser cannot make itself (providers serve self-signed TLS),
// relayed for this job's own deployment only. Provider-bound calls need the buyer's gateway JWT (X-Akash-Token).
import { Hono } from 'hono';
import { z } from 'zod';
import type { ApiDeps } from '../deps.js';
import { ApiError, notFound, validate } from '../errors.js';
import { jobIdParam } from '../../domain/api.js';
import type { SelfSignPort } from '../../services/types.js';
import { SelfSignError } from '../../services/akash-deployer/self-sign.js';

export const AKASH_TOKEN_HEADER = 'X-Akash-Token';
const tokenSchema = z.string().regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'expected a JWT').max(8_192);
const deploymentBody = z.object({ dseq: z.string().regex(/^\d{1,20}$/, 'dseq must be a positive integer').transform((s) => BigInt(s)) });
const MAX_LOG_BYTES = 256 * 1024;

export function akashSelfSignRoutes(deps: ApiDeps) {
  const port = async (): Promise<SelfSignPort> => {
    const p = (await deps.akash?.selfSign?.()) ?? null;
    if (!p) throw new ApiError(503, 'akash_unavailable', 'this keeper runs no Akash deployer');
    return p;
  };
  const token = (header: string | undefined) => {
    const t = tokenSchema.safeParse(header);
    if (!t.success) throw new ApiError(401, 'missing_token', `send the buyer's gateway JWT in ${AKASH_TOKEN_HEADER}`);
    return t.data;
  };
  const run = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (err) {
      if (err instanceof SelfSignError) throw new ApiError(err.status, err.reason, err.message);
      throw err;
    }
  };
  return new Hono()
    .get('/:id/akash/self-sign', validate('param', jobIdParam), async (c) => {
      const { id } = c.req.valid('param');
      const view = (await port()).view(id);
      if (!view) throw notFound('not_self_signed', `job ${id} has no self-signed Akash round`);
      return c.json(view);
    })
    .post('/:id/akash/self-sign/deployment', validate('param', jobIdParam), validate('json', deploymentBody), async (c) => {
      const { id } = c.req.valid('param');
      const p = await port();
      return c.json(await run(() => p.deploymentCreated(id, c.req.valid('json').dseq)));
    })
    .get('/:id/akash/self-sign/bids', validate('param', jobIdParam), async (c) => {
      const { id } = c.req.valid('param');
      const p = await port();
      return c.json({ bids: await run(() => p.bids(id)) });
    })
    .post('/:id/akash/self-sign/manifest', validate('param', jobIdParam), async (c) => {
      const { id } = c.req.valid('param');
      const t = token(c.req.header(AKASH_TOKEN_HEADER));
      const p = await port();
      return c.json(await run(() => p.sendManifest(id, t)));
    })
    .get('/:id/akash/self-sign/lease/status', validate('param', jobIdParam), async (c) => {
      const { id } = c.req.valid('param');
      const t = token(c.req.header(AKASH_TOKEN_HEADER));
      const p = await port();
      const status = await run(() => p.leaseStatus(id, t));
      if (!status) throw notFound('no_lease_status', 'the provider does not know the lease (yet)');
      return c.json(status);
    })
    .get('/:id/akash/self-sign/lease/logs', validate('param', jobIdParam), async (c) => {
      const { id } = c.req.valid('param');
      const t = token(c.req.header(AKASH_TOKEN_HEADER));
      const p = await port();
      const logs = await run(() => p.logs(id, t, MAX_LOG_BYTES));
      if (!logs) throw notFound('no_lease_logs', 'the provider has no logs for the lease (yet)');
      return c.json(logs);
    });
}
