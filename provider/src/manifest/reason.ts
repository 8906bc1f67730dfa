/**
 * Why a run ended, from what the runtime reported and what the agent itself did. The agent's own stop (paid
 * duration reached, job cancelled) decides first; then the kernel's OOM kill. Where the engine does not report
 * OOM (Podman on cgroup v1 leaves OOMKilled false), a SIGKILL exit (137) the agent did not cause is taken as the
 * OOM killer: with every capability dropped nothing outside the container can send it.
 */
import type { RunReason } from '@necto/keeper/domain';
import type { ExitInfo } from '../runtime/types.js';

/** A stop the agent made, and why. */
export type AgentStop = 'timeout' | 'cancelled';

export type RunOutcome =
  | { kind: 'pull-failed' }
  | { kind: 'exited'; exit: ExitInfo; agentStop: AgentStop | null };

export const SIGKILL_EXIT_CODE = 137;

export function classifyRun(outcome: RunOutcome): { reason: RunReason; exitCode: number | null } {
  if (outcome.kind === 'pull-failed') return { reason: 'pull-failed', exitCode: null };
  const { exit, agentStop } = outcome;
  const exitCode = exit.exitCode;
  if (agentStop !== null) return { reason: agentStop, exitCode };
  if (exit.oomKilled || exitCode === SIGKILL_EXIT_CODE) return { reason: 'oom', exitCode };
  if (exitCode === 0) return { reason: 'ok', exitCode };
  return { reason: 'nonzero', exitCode };
}
