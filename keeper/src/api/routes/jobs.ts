// /jobs/:id/… — the agent's steps (SSE), the decision, the Akash SDL and the untracked spec hand-off.
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { ApiDeps } from '../deps.js';
import { ApiError, notFound, validate } from '../errors.js';
import { toJsonSafe } from '../json.js';
import { jobIdParam, specBodySchema, stepsQuerySchema } from '../../domain/api.js';

const HEARTBEAT_MS = 15_000;

export function jobsRoutes(deps: ApiDeps) {
  const streamTimeoutMs = deps.streamTimeoutMs ?? 10 * 60_000;

  return new Hono()
    .get('/:id/steps', validate('param', jobIdParam), validate('query', stepsQuerySchema), (c) => {
      const { id } = c.req.valid('param');
      const { round } = c.req.valid('query');
      // Resume after the last event the browser saw (EventSource sends it on reconnect).
      const lastEventId = c.req.header('Last-Event-ID');
      return streamSSE(c, async (stream) => {
        const sub = deps.jobs.subscribe(id, round ?? null);
        const events = sub[Symbol.asyncIterator]();
        let closed = false;
        stream.onAbort(() => {
          closed = true;
          sub.close();
        });
        const deadline = Date.now() + streamTimeoutMs;
        try {
          await stream.writeSSE({ event: 'hello', data: JSON.stringify({ jobId: id.toString(), round: sub.round }) });
          let next = events.next();
          while (!closed) {
            const left = deadline - Date.now();
            if (left <= 0) {
              await stream.writeSSE({ event: 'timeout', data: JSON.stringify({ message: 'no decision yet; reconnect to keep waiting' }) });
              break;
            }
            const result = await nextOrTimeout(next, Math.min(HEARTBEAT_MS, left));
            if (result === null) {
              if (!closed && Date.now() < deadline) await stream.write(': keep-alive\n\n');
              continue;
            }
            if (result.done) break;
            next = events.next();
            const ev = result.value;
            const eventId = ev.type === 'step' ? `${ev.round}:${ev.step.seq}` : `${ev.round}:decision`;
            if (lastEventId && ev.type === 'step' && !isAfter(eventId, lastEventId)) continue;
            await stream.writeSSE({
              event: ev.type,
              id: eventId,
              data: JSON.stringify(ev.type === 'step' ? { round: ev.round, ...toJsonSafe(ev.step) } : ev.decision),
            });
            if (ev.type === 'decision') break;
          }
        } finally {
          sub.close();
        }
      });
    })
    .get('/:id/decision', validate('param', jobIdParam), async (c) => {
      const { id } = c.req.valid('param');
      const decision = await deps.jobs.decision(id);
      if (!decision) throw notFound('unknown_decision', `no routing decision for job ${id} yet`);
      return c.json(decision, 200);
    })
    .get('/:id/akash', validate('param', jobIdParam), async (c) => {
      const { id } = c.req.valid('param');
      const view = (await deps.akash?.deployment(id)) ?? null;
      if (!view) throw notFound('unknown_akash_deployment', `no Akash deployment for job ${id}`);
      return c.json(view);
    })
    .get('/:id/sdl', validate('param', jobIdParam), async (c) => {
      const { id } = c.req.valid('param');
      const sdl = await deps.jobs.sdl(id);
      if (!sdl) throw notFound('unknown_sdl', `no Akash SDL for job ${id} (not routed, or not routed to Akash)`);
      c.header('Content-Disposition', `attachment; filename="necto-job-${id}-round-${sdl.round}.yaml"`);
      c.header('X-Sdl-Hash', sdl.hash);
      return c.body(sdl.yaml, 200, { 'Content-Type': 'application/yaml; charset=utf-8' });
    })
    .post('/:id/spec', validate('param', jobIdParam), validate('json', specBodySchema), async (c) => {
      const { id } = c.req.valid('param');
      const outcome = await deps.jobs.submitSpec(id, c.req.valid('json'));
      switch (outcome.status) {
        case 'accepted':
          return c.json(outcome, 202);
        case 'unknown_job':
          throw notFound('unknown_job', `job ${id} has not been seen on-chain yet; retry once its transaction is mined`);
        case 'tracked':
          throw new ApiError(409, 'tracked_job', `job ${id} is tracked: its spec is already on-chain`);
        case 'hash_mismatch':
          throw new ApiError(422, 'spec_hash_mismatch', `keccak256 of the document is ${outcome.actual}, the job's specHash is ${outcome.expected}`);
        case 'invalid_document':
          throw new ApiError(400, 'invalid_request', 'the spec document is not valid', outcome.issues);
      }
    });
}

/** Event ids are `round:seq`; true when `a` comes after `b`. */
function isAfter(a: string, b: string): boolean {
  const [ra, sa] = a.split(':').map(Number);
  const [rb, sb] = b.split(':').map(Number);
  if (!Number.isFinite(rb) || !Number.isFinite(sb)) return true;
  return ra! > rb! || (ra === rb && sa! > sb!);
}

/** The iterator's next result, or null when `ms` pass first (the pending result stays usable). */
async function nextOrTimeout<T>(next: Promise<IteratorResult<T>>, ms: number): Promise<IteratorResult<T> | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([next, new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
