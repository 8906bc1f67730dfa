// GET /health (chain, subgraph, intake cursor lag) and GET /metrics (Prometheus text format).
import { Hono } from 'hono';
import type { ApiDeps } from '../deps.js';

export function healthRoutes(deps: ApiDeps) {
  return new Hono()
    .get('/health', async (c) => {
      const report = await deps.health();
      c.header('Cache-Control', 'no-store');
      return c.json(report, report.status === 'down' ? 503 : 200);
    })
    .get('/metrics', (c) => {
      c.header('Cache-Control', 'no-store');
      return c.text(deps.metrics.render(), 200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
    });
}
