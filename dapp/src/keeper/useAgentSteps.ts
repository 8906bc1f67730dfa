// Follows the keeper's "agent thinking" stream (SSE) for a job: steps arrive one by one, then the decision.
import { useEffect, useState } from 'react';
import { decisionViewSchema, stepEventSchema, type DecisionView, type StepEvent } from '@necto/keeper/domain';
import { useKeeper } from './context';

export type StreamState = 'connecting' | 'streaming' | 'decided' | 'timeout' | 'error' | 'off';

export interface AgentStream {
  steps: StepEvent[];
  decision: DecisionView | null;
  state: StreamState;
  error: string | null;
}

/** Reveals buffered items one at a time so a replayed round still reads as the agent thinking. */
function useReveal<T>(items: T[], intervalMs: number): T[] {
  const [shown, setShown] = useState(0);
  useEffect(() => {
    if (shown >= items.length) {
      if (shown > items.length) setShown(items.length);
      return;
    }
    const id = setTimeout(() => setShown((n) => n + 1), shown === 0 ? 0 : intervalMs);
    return () => clearTimeout(id);
  }, [items.length, shown, intervalMs]);
  return items.slice(0, shown);
}

/**
 * `round` is the job's current round (from the subgraph): when a re-route commits a new round, the stream is opened
 * again so the new round's thinking replaces the old one.
 */
export function useAgentSteps(jobId: string, enabled: boolean, revealMs = 250, round = 0): AgentStream & { revealed: StepEvent[]; allRevealed: boolean } {
  const keeper = useKeeper();
  const [stream, setStream] = useState<AgentStream>({ steps: [], decision: null, state: enabled ? 'connecting' : 'off', error: null });

  useEffect(() => {
    if (!enabled || typeof EventSource === 'undefined') {
      setStream((s) => ({ ...s, state: 'off' }));
      return;
    }
    setStream({ steps: [], decision: null, state: 'connecting', error: null });
    const source = new EventSource(keeper.stepsUrl(jobId));
    source.addEventListener('hello', () => setStream((s) => ({ ...s, state: 'streaming', error: null })));
    source.addEventListener('step', (event) => {
      const parsed = stepEventSchema.safeParse(JSON.parse((event as MessageEvent<string>).data));
      if (!parsed.success) return;
      setStream((s) => (s.steps.some((x) => x.seq === parsed.data.seq && x.round === parsed.data.round) ? s : { ...s, state: 'streaming', steps: [...s.steps, parsed.data] }));
    });
    source.addEventListener('decision', (event) => {
      const parsed = decisionViewSchema.safeParse(JSON.parse((event as MessageEvent<string>).data));
      setStream((s) => ({ ...s, state: 'decided', decision: parsed.success ? parsed.data : s.decision }));
      source.close();
    });
    source.addEventListener('timeout', () => {
      setStream((s) => ({ ...s, state: 'timeout' }));
      source.close();
    });
    source.onerror = () => {
      // EventSource reconnects by itself (with Last-Event-ID); report it only while nothing has arrived.
      setStream((s) => (s.state === 'decided' ? s : { ...s, state: s.steps.length ? s.state : 'error', error: `Cannot reach the keeper's step stream at ${keeper.baseUrl}` }));
    };
    return () => source.close();
  }, [jobId, enabled, keeper, round]);

  const revealed = useReveal(stream.steps, revealMs);
  return { ...stream, revealed, allRevealed: revealed.length === stream.steps.length };
}
