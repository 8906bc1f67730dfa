// POST /quote — a ranked price comparison for a draft job (no log stored, nothing committed).
import { Hono } from 'hono';
import type { ApiDeps } from '../deps.js';
import { validate } from '../errors.js';
import { toJsonSafe } from '../json.js';
import { quoteBodySchema, quoteRequest } from '../../domain/api.js';

export function quoteRoutes(deps: ApiDeps) {
  return new Hono().post('/', validate('json', quoteBodySchema), async (c) => {
    const quote = await deps.quote(quoteRequest(c.req.valid('json')));
    return c.json(toJsonSafe(quote), 200);
  });
}
