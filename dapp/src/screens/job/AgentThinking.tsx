import type { AgentStream } from '../../keeper/useAgentSteps';
import type { StepEvent } from '@necto/keeper/domain';

function detailText(detail: unknown, title: string): string | null {
  if (detail === null || detail === undefined || detail === '') return null;
  if (typeof detail === 'string') return detail === title ? null : detail;
  // A thought is usually { text }: show the text itself, unless the title already says it.
  const said = (detail as { text?: unknown }).text;
  if (typeof said === 'string' && Object.keys(detail as object).length === 1) {
    const titleSaysIt = said === title || (title.endsWith('…') && said.startsWith(title.slice(0, -1)));
    return titleSaysIt && said.length <= title.length + 1 ? null : said;
  }
  const json = JSON.stringify(detail, null, 2);
  return json.length > 1500 ? `${json.slice(0, 1500)}…` : json;
}

const KIND_LABEL: Record<StepEvent['kind'], string> = {
  thought: 'Thinking',
  tool_call: 'Tool call',
  tool_result: 'Tool result',
  decision: 'Decision',
  error: 'Error',
};

export function AgentThinking({ stream, routed }: { stream: AgentStream & { revealed: StepEvent[]; allRevealed: boolean }; routed: boolean }) {
  const waiting = stream.state === 'connecting' || (stream.state === 'streaming' && !stream.decision);
  return (
    <div className="panel" aria-labelledby="agent-title">
      <div className="spread">
        <h2 id="agent-title">Agent thinking</h2>
        <span className="small muted">
          {stream.state === 'decided' && stream.allRevealed ? 'Decision made' : waiting || !stream.allRevealed ? <span className="thinking">Working</span> : null}
        </span>
      </div>
      {stream.state === 'error' && stream.steps.length === 0 && (
        <div className="notice error" role="alert">{stream.error}</div>
      )}
      {stream.state === 'timeout' && <div className="notice pending">No decision yet; reload the page to keep waiting.</div>}
      {stream.state === 'off' && <div className="empty">The live stream is not available in this browser.</div>}
      {stream.revealed.length === 0 && stream.state !== 'error' && stream.state !== 'off' && (
        <div className="empty">{routed ? 'Loading the agent’s steps…' : 'Waiting for the agent to pick up the job…'}</div>
      )}
      <ol className="steps" aria-live="polite" aria-label="Agent steps" tabIndex={0}>
        {stream.revealed.map((step) => {
          const detail = detailText(step.detail, step.title);
          return (
            <li key={`${step.round ?? 0}-${step.seq}`} className={`step ${step.kind}`} data-testid="agent-step">
              <div className="kind">{KIND_LABEL[step.kind]}</div>
              <div>{step.title}</div>
              {detail && <pre tabIndex={0} aria-label={`${KIND_LABEL[step.kind]} details`}>{detail}</pre>}
            </li>
          );
        })}
      </ol>
    </div>
  );
}
