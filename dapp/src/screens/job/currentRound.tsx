import type { ReactNode } from 'react';
import type { DecisionView as Decision } from '@necto/keeper/domain';
import type { AgentStep } from './narrate';
import type { AgentStream } from '../../keeper/useAgentSteps';
import type { ThinkingStatus } from './AgentThinking';

export interface CurrentRound {
  /** The steps of the round being decided now (none of a rejected round's). */
  revealed: AgentStep[];
  decision: Decision | null;
  status: ThinkingStatus;
  notice?: ReactNode;
}

/**
 * What an open job's page shows of the agent: only the round being decided now. `committedRounds` rounds are
 * history (after a rejection the stream may still replay the rejected round; it is not shown as current).
 */
export function currentRound(stream: AgentStream & { revealed: AgentStep[] }, committedRounds: number): CurrentRound {
  const staleDecision = Boolean(stream.decision && stream.decision.round <= committedRounds);
  const fresh = (s: AgentStep) => (s.round === undefined ? !staleDecision : s.round > committedRounds);
  const decision = stream.decision && !staleDecision ? stream.decision : null;
  // A decided round is shown whole at once; a round in progress appears step by step.
  const revealed = (decision ? stream.steps : stream.revealed).filter(fresh);

  let status: ThinkingStatus = { kind: 'working' };
  if (decision?.status === 'no_candidate') status = { kind: 'no-fit' };
  else if (decision?.status === 'committed' || decision?.status === 'already_routed') status = { kind: 'decided' };
  else if (decision?.status === 'failed' || stream.state === 'timeout' || stream.state === 'off' || (stream.state === 'error' && revealed.length === 0)) status = { kind: 'idle' };

  let notice: ReactNode;
  if (decision?.status === 'failed') {
    notice = <div className="notice error" role="alert">Routing failed{decision.error ? `: ${decision.error}` : ''}. The keeper tries again.</div>;
  } else if (revealed.length > 0) {
    notice = undefined;
  } else if (stream.state === 'off') {
    notice = <div className="notice pending">This browser cannot follow the agent live; the route appears here once it is committed.</div>;
  } else if (stream.state === 'error') {
    notice = <div className="notice error" role="alert">{stream.error}</div>;
  } else if (stream.state === 'timeout') {
    notice = <div className="notice pending">No decision yet; reload the page to keep waiting.</div>;
  } else if (committedRounds > 0) {
    notice = <div className="notice pending" role="status">Round {committedRounds} was rejected or expired; the agent is routing the job again…</div>;
  } else {
    notice = <div className="empty">Waiting for the agent to pick up the job…</div>;
  }
  return { revealed, decision, status, notice };
}
