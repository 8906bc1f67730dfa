// One error type for the HTTP layer and one JSON shape for every error response:
// `{ error: { code, message, issues? } }`, with an explicit status code.
import type { Context, ErrorHandler, NotFoundHandler, ValidationTargets } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { zValidator } from '@hono/zod-validator';
import type { z } from 'zod';
import type { ApiErrorBody } from '../domain/api.js';
import { errorSummary, type Logger } from '../logger.js';

export type ErrorBody = ApiErrorBody;
export type Issue = NonNullable<ApiErrorBody['error']['issues']>[number];

export class ApiError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly issues?: Issue[],
    readonly headers: Record<string, string> = {},
  ) {
    super(status, { message });
  }
}

export const badRequest = (message: string, issues?: Issue[]) => new ApiError(400, 'invalid_request', message, issues);
export const notFound = (code: string, message: string) => new ApiError(404, code, message);

/** zod issues without the input values (they may hold anything the client sent). */
export function formatIssues(error: z.core.$ZodError): Issue[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }));
}

/** `zValidator` whose failures become a 400 `invalid_request` with the zod issues. */
export function validate<T extends z.ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) {
  return zValidator(target, schema, (result) => {
    if (!result.success) throw badRequest(`invalid ${target === 'json' ? 'body' : target}`, formatIssues(result.error));
  });
}

const CODE_BY_STATUS: Record<number, string> = {
  400: 'invalid_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  408: 'timeout',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable',
  429: 'rate_limited',
  503: 'unavailable',
  504: 'timeout',
};

export function errorResponse(c: Context, status: ContentfulStatusCode, body: ErrorBody, headers: Record<string, string> = {}) {
  for (const [k, v] of Object.entries(headers)) c.header(k, v);
  return c.json(body, status);
}

export function createErrorHandler(logger: Logger): ErrorHandler {
  return (err, c) => {
    if (err instanceof ApiError) {
      return errorResponse(
        c,
        err.status as ContentfulStatusCode,
        { error: { code: err.code, message: err.message, ...(err.issues ? { issues: err.issues } : {}) } },
        err.headers,
      );
    }
    if (err instanceof HTTPException) {
      // Hono middleware (bearer auth, body limit, timeout): keep their headers (WWW-Authenticate …), our shape.
      const headers: Record<string, string> = {};
      err.getResponse().headers.forEach((v, k) => {
        if (k.toLowerCase() !== 'content-type' && k.toLowerCase() !== 'content-length') headers[k] = v;
      });
      const status = err.status as ContentfulStatusCode;
      return errorResponse(
        c,
        status,
        { error: { code: CODE_BY_STATUS[status] ?? 'error', message: err.message || defaultMessage(status) } },
        headers,
      );
    }
    if (isClientAbort(err, c)) {
      // The client went away mid-upload: nothing is wrong with the keeper, and nobody reads the answer.
      logger.info('request aborted by the client', { path: c.req.path, method: c.req.method, requestId: c.get('requestId') });
      return errorResponse(c, 400, { error: { code: 'request_aborted', message: 'the request body was not received in full' } });
    }
    logger.error('unhandled error', { path: c.req.path, method: c.req.method, requestId: c.get('requestId'), err: errorSummary(err) });
    return errorResponse(c, 500, { error: { code: 'internal', message: 'internal error' } });
  };
}

/** A request the client aborted (closed connection, reset stream) while its body was being read. */
function isClientAbort(err: Error, c: Context): boolean {
  if (c.req.raw.signal?.aborted) return true;
  const e = err as Error & { code?: unknown };
  if (e.name === 'AbortError') return true;
  if (e.code === 'ECONNRESET' || e.code === 'ERR_STREAM_PREMATURE_CLOSE' || e.code === 'UND_ERR_ABORTED') return true;
  return /^(aborted|terminated|request aborted)$/i.test(e.message);
}

export const notFoundHandler: NotFoundHandler = (c) =>
  errorResponse(c, 404, { error: { code: 'not_found', message: `no route for ${c.req.method} ${c.req.path}` } });

function defaultMessage(status: number): string {
  switch (status) {
    case 401:
      return 'missing or invalid bearer token';
    case 413:
      return 'request body too large';
    default:
      return 'request failed';
  }
}
