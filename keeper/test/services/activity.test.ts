// The activity hub: what the SSE stream replays and follows.
import { describe, expect, it } from 'vitest';
import { decisionView } from '../../src/domain/api.js';
import type { AgentStep } from '../../src/domain/types.js';
import { ActivityHub } from '../../src/services/activity.js';
import type { ActivityEvent } from '../../src/domain/api.js';

const step = (seq: number): AgentStep => ({ seq, at: seq, kind: 'thought', title: `s${seq}`, detail: null });
const label = (ev: ActivityEvent) => (ev.type === 'step' ? `step:${ev.step.seq}` : `decision:${ev.decision.status}`);

describe('ActivityHub.subscribe', () => {
  it('replays the round so far, then follows it live until the decision', async () => {
    const hub = new ActivityHub();
    hub.begin(1n, 1);
    hub.step(1n, 1, step(0));
    const sub = hub.subscribe(1n, null);
    expect(sub.round).toBe(1);
    const seen: string[] = [];
    const reading = (async () => {
      for await (const ev of sub) {
        seen.push(label(ev));
        if (ev.type === 'decision') break;
      }
    })();
    hub.step(1n, 1, step(1));
    hub.step(2n, 1, step(9)); // another job: not this stream
    hub.finish(1n, 1, decisionView({ jobId: 1n, round: 1, status: 'no_candidate', decision: null, decidedAt: 0 }), null);
    await reading;
    expect(seen).toEqual(['step:0', 'step:1', 'decision:no_candidate']);
  });

  it('a stream opened before any round follows the first round that starts', async () => {
    const hub = new ActivityHub();
    const sub = hub.subscribe(3n, null);
    expect(sub.round).toBeNull();
    const it = sub[Symbol.asyncIterator]();
    const first = it.next();
    hub.begin(3n, 2);
    hub.step(3n, 2, step(0));
    expect(await first).toEqual({ done: false, value: { type: 'step', round: 2, step: step(0) } });
  });

  it('close() ends a pending next() and stops following', async () => {
    const hub = new ActivityHub();
    const sub = hub.subscribe(4n, null);
    const pending = sub[Symbol.asyncIterator]().next();
    sub.close();
    expect(await pending).toEqual({ done: true, value: undefined });
    hub.begin(4n, 1);
    hub.step(4n, 1, step(0));
    expect(await sub[Symbol.asyncIterator]().next()).toEqual({ done: true, value: undefined });
  });

  it('ignores steps of a round that was not begun', () => {
    const hub = new ActivityHub();
    hub.step(5n, 1, step(0));
    expect(hub.latest(5n)).toBeNull();
  });
});
