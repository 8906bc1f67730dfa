// /logs/:root — reasoning logs by their 0G root, and their verification against the on-chain commit.
import { Hono } from 'hono';
import type { ApiDeps } from '../deps.js';
import { notFound, validate } from '../errors.js';
import { rootParam } from '../../domain/api.js';

export function logsRoutes(deps: ApiDeps) {
  return new Hono()
    .get('/:root', validate('param', rootParam), async (c) => {
      const { root } = c.req.valid('param');
      const bytes = await deps.logs.get(root);
      if (!bytes) throw notFound('unknown_log', `no reasoning log with root ${root}`);
      // Logs are content-addressed: the same root always names the same bytes.
      c.header('Cache-Control', 'public, max-age=31536000, immutable');
      c.header('ETag', `"${root}"`);
      return c.body(new Uint8Array(bytes), 200, { 'Content-Type': 'application/json; charset=utf-8' });
    })
    .get('/:root/verify', validate('param', rootParam), async (c) => {
      const { root } = c.req.valid('param');
      const result = await deps.logs.verify(root);
      if (!result) throw notFound('unknown_log', `no reasoning log with root ${root}`);
      return c.json(result, 200);
    });
}
