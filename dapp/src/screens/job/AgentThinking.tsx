import type { ReactNode } from 'react';
import type { AgentStep } from './narrate';
import { formatTimestamp } from '../../lib/format';
import { NARRATED_KIND_LABEL, narrate } from './narrate';

export type ThinkingStatus =
  | { kind: 'working' }
  | { kind: 'decided' }
  | { kind: 'record'; decidedAt: number | null }
  | { kind: 'no-fit' }
  | { kind: 'idle' };

function StatusLabel({ status }: { status: ThinkingStatus }) {
  switch (status.kind) {
    case 'working':
      return <span className="thinking">Working</span>;
    case 'decided':
      return <>Decision made</>;
    case 'record':
      return <>Decision record{status.decidedAt ? `, committed ${formatTimestamp(status.decidedAt)}` : ''}</>;
    case 'no-fit':
      return <>No offer fits</>;
    case 'idle':
      return null;
  }
}

/**
 * The routing agent's steps as sentences (what it looked up, what fit, what excluded the rest, the pick and the
 * runner-up), each with its raw tool payloads behind a disclosure. `status` says whether this is live thinking or
 * the record of a committed decision; `notice` replaces the list while there is nothing current to show.
 */
export function AgentThinking({ steps, status, notice }: { steps: readonly AgentStep[]; status: ThinkingStatus; notice?: ReactNode }) {
  const told = narrate(steps);
  return (
    <div className="panel" aria-labelledby="agent-title" data-status={status.kind}>
      <div className="spread">
        <h2 id="agent-title">Agent thinking</h2>
        <span className="small muted" data-testid="agent-status">
          <StatusLabel status={status} />
        </span>
      </div>
      {notice}
      {!notice && told.length > 0 && (
        <ol className="steps" aria-live={status.kind === 'working' ? 'polite' : 'off'} aria-label="Agent steps" tabIndex={0}>
          {told.map((step) => (
            <li key={step.key} className={`step ${step.kind}`} data-testid="agent-step" data-kind={step.kind}>
              <div className="kind">{NARRATED_KIND_LABEL[step.kind]}</div>
              <div>{step.title}</div>
              {step.lines.map((line) => (
                <div key={line} className="small">{line}</div>
              ))}
              {step.raw.some((r) => r !== undefined && r !== null && !(typeof r === 'object' && Object.keys(r as object).length === 0)) && (
                <details>
                  <summary className="small muted">Raw payload</summary>
                  <pre tabIndex={0} aria-label={`${NARRATED_KIND_LABEL[step.kind]} raw payload`}>
                    {step.raw.map((r) => JSON.stringify(r, null, 2)).join('\n\n')}
                  </pre>
                </details>
              )}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
