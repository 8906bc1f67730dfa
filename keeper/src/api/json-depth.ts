// JSON request bodies may nest at most MAX_JSON_DEPTH levels: a deeper document is refused at the boundary with
// a 400, before any handler walks it. Malformed JSON is left to the route's validator (its own 400).
import type { MiddlewareHandler } from 'hono';
import { MAX_JSON_DEPTH, deeperThan } from '../domain/canonical.js';
import { ApiError } from './errors.js';

export const jsonDepthLimit: MiddlewareHandler = async (c, next) => {
  const type = c.req.header('content-type') ?? '';
  if (c.req.method === 'GET' || c.req.method === 'HEAD' || !/^application\/([\w.+-]*\+)?json\b/i.test(type)) return next();
  let body: unknown;
  try {
    body = await c.req.json(); // cached by Hono: the validator reads the same parsed value
  } catch {
    return next();
  }
  if (deeperThan(body, MAX_JSON_DEPTH)) {
    throw new ApiError(400, 'too_deep', `JSON body nests deeper than ${MAX_JSON_DEPTH} levels`);
  }
  return next();
};
