import { act, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigProvider } from '../config/context';
import { testConfig } from '../test/render';
import { useAgentSteps } from './useAgentSteps';

class FakeEventSource {
  static last: FakeEventSource | null = null;
  listeners = new Map<string, ((e: MessageEvent) => void)[]>();
  onerror: (() => void) | null = null;
  closed = false;
  constructor(readonly url: string) {
    FakeEventSource.last = this;
  }
  addEventListener(type: string, fn: (e: MessageEvent) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }
  emit(type: string, data: unknown) {
    for (const fn of this.listeners.get(type) ?? []) fn(new MessageEvent(type, { data: JSON.stringify(data) }));
  }
  close() {
    this.closed = true;
  }
}

const wrapper = ({ children }: { children: ReactNode }) => <ConfigProvider config={testConfig}>{children}</ConfigProvider>;
const step = (seq: number, kind = 'thought') => ({ round: 1, seq, at: 1_700_000_000_000 + seq, kind, title: `Step ${seq}`, detail: { n: seq } });
const decision = {
  jobId: '1', round: 1, status: 'committed', chosen: null, totalCost: null, alternatives: [], logRoot: `0x${'01'.repeat(32)}`, decisionHash: `0x${'02'.repeat(32)}`, sdlHash: `0x${'00'.repeat(32)}`,
  hasSdl: false, model: null, explanation: null, tx: null, error: null, decidedAt: 1, source: 'memory',
};

beforeEach(() => {
  vi.useFakeTimers();
  vi.stubGlobal('EventSource', FakeEventSource);
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('useAgentSteps', () => {
  it('subscribes to the job’s step stream and reveals the steps one by one, then the decision', () => {
    const { result } = renderHook(() => useAgentSteps('7', true, 100), { wrapper });
    const source = FakeEventSource.last!;
    expect(source.url).toBe('http://keeper.test/jobs/7/steps');
    expect(result.current.state).toBe('connecting');

    act(() => {
      source.emit('hello', { jobId: '7', round: 1 });
      source.emit('step', step(1));
      source.emit('step', step(2, 'tool_call'));
      source.emit('step', step(3, 'tool_result'));
      source.emit('step', step(2, 'tool_call')); // a replay duplicate is ignored
    });
    expect(result.current.state).toBe('streaming');
    expect(result.current.steps).toHaveLength(3);

    act(() => void vi.advanceTimersByTime(0));
    expect(result.current.revealed.map((s) => s.seq)).toEqual([1]);
    act(() => void vi.advanceTimersByTime(100));
    expect(result.current.revealed.map((s) => s.seq)).toEqual([1, 2]);
    act(() => void vi.advanceTimersByTime(100));
    expect(result.current.allRevealed).toBe(true);

    act(() => source.emit('decision', decision));
    expect(result.current.state).toBe('decided');
    expect(result.current.decision?.status).toBe('committed');
    expect(source.closed).toBe(true);
  });

  it('reports an unreachable keeper', () => {
    const { result } = renderHook(() => useAgentSteps('7', true), { wrapper });
    act(() => FakeEventSource.last!.onerror?.());
    expect(result.current.state).toBe('error');
    expect(result.current.error).toMatch(/keeper/);
  });

  it('does not connect when disabled', () => {
    FakeEventSource.last = null;
    const { result } = renderHook(() => useAgentSteps('7', false), { wrapper });
    expect(FakeEventSource.last).toBeNull();
    expect(result.current.state).toBe('off');
  });
});
