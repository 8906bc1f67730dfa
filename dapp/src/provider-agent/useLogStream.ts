// Streams a job's live logs from the provider agent into a bounded tail; pausing freezes what is shown while the
// stream keeps being read, resuming shows everything received meanwhile.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Address, Hex } from 'viem';
import { AgentLogError, streamLogs } from './logRequest';
import { appendToTail, EMPTY_TAIL, type LogTail } from './logStream';

export type LogPhase = 'idle' | 'signing' | 'connecting' | 'streaming' | 'ended' | 'error';

export interface LogStreamState {
  phase: LogPhase;
  tail: LogTail;
  paused: boolean;
  exit: { exitCode: number | null; reason: string | null } | null;
  error: { message: string; code: string } | null;
}

export interface LogAuth {
  requester: Address;
  expires: bigint;
  signature: Hex;
}

export function useLogStream(options: { maxLines?: number; fetchImpl?: typeof fetch } = {}) {
  const [state, setState] = useState<LogStreamState>({ phase: 'idle', tail: EMPTY_TAIL, paused: false, exit: null, error: null });
  const tailRef = useRef<LogTail>(EMPTY_TAIL);
  const pausedRef = useRef(false);
  const abortRef = useRef<AbortController | null>(null);
  const { maxLines, fetchImpl } = options;

  useEffect(() => () => abortRef.current?.abort(), []);

  const stop = useCallback(() => {
    abortRef.current?.abort();
    abortRef.current = null;
  }, []);

  const setPhase = useCallback((phase: LogPhase, error: LogStreamState['error'] = null) => setState((s) => ({ ...s, phase, error })), []);

  const start = useCallback(
    async (endpoint: string, jobId: string, sign: () => Promise<LogAuth>) => {
      stop();
      const controller = new AbortController();
      abortRef.current = controller;
      tailRef.current = EMPTY_TAIL;
      setState((s) => ({ ...s, phase: 'signing', tail: EMPTY_TAIL, exit: null, error: null }));
      let auth: LogAuth;
      try {
        auth = await sign();
      } catch (error) {
        setPhase('error', { message: (error as Error).message.split('\n')[0] ?? 'The wallet did not sign', code: 'signature_rejected' });
        return;
      }
      if (controller.signal.aborted) return;
      setPhase('connecting');
      try {
        let first = true;
        for await (const event of streamLogs({ endpoint, jobId, ...auth, signal: controller.signal, fetchImpl })) {
          if (first) {
            first = false;
            setPhase('streaming');
          }
          if (event.type === 'end') {
            setState((s) => ({ ...s, exit: { exitCode: event.exitCode, reason: event.reason } }));
            continue;
          }
          tailRef.current = appendToTail(tailRef.current, event.text, maxLines);
          if (!pausedRef.current) {
            const tail = tailRef.current;
            setState((s) => ({ ...s, tail }));
          }
        }
        if (controller.signal.aborted) return;
        setState((s) => ({ ...s, phase: 'ended', tail: tailRef.current }));
      } catch (error) {
        if (controller.signal.aborted) return;
        const code = error instanceof AgentLogError ? error.code : 'network';
        setState((s) => ({ ...s, phase: 'error', tail: tailRef.current, error: { message: (error as Error).message, code } }));
      }
    },
    [stop, setPhase, maxLines, fetchImpl],
  );

  const setPaused = useCallback((paused: boolean) => {
    pausedRef.current = paused;
    setState((s) => ({ ...s, paused, tail: paused ? s.tail : tailRef.current }));
  }, []);

  return { ...state, start, stop, setPaused };
}
