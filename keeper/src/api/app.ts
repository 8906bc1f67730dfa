// The keeper's HTTP API: one sub-app per domain, shared middleware, one error shape.
// Tests call `createApp(deps).request(…)`; the dApp's client speaks the wire contract in domain/api.ts.
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { requestId } from 'hono/request-id';
import { routePath } from 'hono/route';
import { secureHeaders } from 'hono/secure-headers';
import type { ApiDeps } from './deps.js';
import { ApiError, createErrorHandler, notFoundHandler } from './errors.js';
import { jsonDepthLimit } from './json-depth.js';
import { rateLimit } from './rate-limit.js';
import { adminRoutes } from './routes/admin.js';
import { contentRoutes } from './routes/content.js';
import { healthRoutes } from './routes/health.js';
import { jobDocumentRoutes } from './routes/job-document.js';
import { jobsRoutes } from './routes/jobs.js';
import { akashSelfSignRoutes } from './routes/akash-self-sign.js';
import { logsRoutes } from './routes/logs.js';
import { providersRoutes } from './routes/providers.js';
import { quoteRoutes } from './routes/quote.js';
import { akashRoutes } from './routes/akash.js';

/** Paths the rate limiter never counts (probes and scrapers). */
const UNLIMITED = new Set(['/health', '/metrics']);

export function createApp(deps: ApiDeps) {
  const { settings } = deps;
  const clientIp = deps.clientIp ?? defaultClientIp(settings.trustProxy);
  const limiter = rateLimit({
    ...settings.rateLimit,
    keyOf: (c) => clientIp({ header: (n) => c.req.header(n), remoteAddress: remoteAddressOf(c) }),
    onLimited: () => deps.metrics.rateLimited.inc(),
  });

  const globalBodyLimit = bodyLimit({
    maxSize: settings.bodyLimitBytes,
    onError: () => {
      throw new ApiError(413, 'payload_too_large', `request body is larger than ${settings.bodyLimitBytes} bytes`);
    },
  });

  const app = new Hono()
    .use('*', requestId())
    .use('*', secureHeaders({ crossOriginResourcePolicy: 'cross-origin' }))
    .use(
      '*',
      cors({
        origin: settings.corsOrigins,
        allowMethods: ['GET', 'POST', 'OPTIONS'],
        allowHeaders: ['Content-Type', 'Authorization', 'Last-Event-ID', 'X-Necto-Signature', 'X-Necto-Expires', 'X-Necto-Requester', 'X-Content-Root', 'X-Akash-Token'],
        exposeHeaders: ['X-Request-Id', 'Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining', 'Content-Disposition', 'X-Sdl-Hash'],
        maxAge: 600,
      }),
    )
    .use('*', async (c, next) => {
      await next();
      deps.metrics.httpRequests.inc({ route: routeLabel(c), status: `${Math.floor(c.res.status / 100)}xx` });
    })
    .use('*', async (c, next) => {
      if (c.req.method === 'OPTIONS' || UNLIMITED.has(c.req.path)) return next();
      return limiter(c, next);
    })
    .use('*', async (c, next) => {
      // Content uploads have their own, larger limit (routes/content.ts).
      if (c.req.path === '/content' && c.req.method === 'POST') return next();
      return globalBodyLimit(c, next);
    })
    .use('*', jsonDepthLimit)
    .route('/', healthRoutes(deps))
    .route('/quote', quoteRoutes(deps))
    .route('/jobs', jobsRoutes(deps))
    .route('/jobs', jobDocumentRoutes(deps))
    .route('/jobs', akashSelfSignRoutes(deps))
    .route('/providers', providersRoutes(deps))
    .route('/content', contentRoutes(deps))
    .route('/logs', logsRoutes(deps))
    .route('/admin', adminRoutes(deps))
    .route('/akash', akashRoutes(deps));

  app.onError(createErrorHandler(deps.logger));
  app.notFound(notFoundHandler);
  return app;
}

export type AppType = ReturnType<typeof createApp>;

function defaultClientIp(trustProxy: boolean) {
  return (req: { header(name: string): string | undefined; remoteAddress: string | undefined }) => {
    if (trustProxy) {
      const forwarded = req.header('X-Forwarded-For')?.split(',')[0]?.trim();
      if (forwarded) return forwarded;
    }
    return req.remoteAddress ?? 'unknown';
  };
}

/** The socket's address under @hono/node-server; undefined in-process (app.request). */
function remoteAddressOf(c: Context): string | undefined {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress;
}

/** A low-cardinality label for the request counter. */
function routeLabel(c: Context): string {
  const p = routePath(c, -1);
  return p && p !== '*' && p !== '/*' ? p : 'unmatched';
}
