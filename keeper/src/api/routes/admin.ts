// /admin/… — operator actions behind a bearer token (ADMIN_TOKEN). Without a token the routes are disabled.
import { Hono } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import type { ApiDeps } from '../deps.js';
import { ApiError, notFound, validate } from '../errors.js';
import { jobIdParam } from '../../domain/api.js';

export function adminRoutes(deps: ApiDeps) {
  const token = deps.settings.adminToken;
  return new Hono()
    .use('*', async (c, next) => {
      if (!token) throw new ApiError(503, 'admin_disabled', 'admin routes are disabled (set ADMIN_TOKEN)');
      await next();
    })
    .use('*', bearerAuth({ verifyToken: async (t) => (token ? timingSafeEqual(t, token) : false) }))
    .get('/config', (c) => c.json({ config: deps.admin.config() as Record<string, unknown> }, 200))
    .post('/reroute/:id', validate('param', jobIdParam), async (c) => {
      const { id } = c.req.valid('param');
      const outcome = await deps.admin.reroute(id);
      switch (outcome.status) {
        case 'unknown_job':
          throw notFound('unknown_job', `job ${id} is not known to the keeper`);
        case 'not_eligible':
          throw new ApiError(409, 'not_eligible', outcome.reason);
        case 'started':
          return c.json(outcome, 202);
      }
    });
}

function timingSafeEqual(a: string, b: string): boolean {
  const ea = new TextEncoder().encode(a);
  const eb = new TextEncoder().encode(b);
  let diff = ea.length ^ eb.length;
  for (let i = 0; i < Math.max(ea.length, eb.length); i++) diff |= (ea[i] ?? 0) ^ (eb[i] ?? 0);
  return diff === 0;
}
