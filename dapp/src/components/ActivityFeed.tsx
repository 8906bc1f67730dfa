import { useNow } from '../hooks/useNow';
import { formatAge, formatUsdc } from '../lib/format';
import { nameAddresses } from '../lib/names';
import { useNames } from './useNames';
import type { ActivityEvent } from '../subgraph/queries';

function kindLabel(kind: string): string {
  return kind.toLowerCase().replace(/_/g, ' ');
}

export function ActivityFeed({ events }: { events: readonly ActivityEvent[] }) {
  const now = useNow();
  const names = useNames();
  return (
    <ul className="feed" aria-label="Activity, newest first">
      {events.map((event) => (
        <li key={event.id} data-kind={event.kind}>
          <span className="muted small">{formatAge(now - Number(event.timestamp))}</span>
          <span>
            <span className="badge">{kindLabel(event.kind)}</span> {nameAddresses(event.summary, names)}
            {event.amount != null && event.amount > 0n && <span className="muted"> · {formatUsdc(event.amount)}</span>}
          </span>
          <span className="small">
            {event.job ? <a href={`#/jobs/${event.job.id}`}>Job #{event.job.id}</a> : event.team ? <a href={`#/teams/${event.team.id}`}>Team #{event.team.id}</a> : null}
          </span>
        </li>
      ))}
    </ul>
  );
}
