// Price history of offers as step lines (a price holds until the next change), with a text alternative.
import { formatPricePerGpuHour, formatTimestamp } from '../../lib/format';
import { niceTicks } from './BarChart';

export interface PriceSeries {
  label: string;
  points: readonly { timestamp: number; price: bigint }[];
}

const COLORS = ['#58a6ff', '#a371f7', '#3fb950', '#d29922', '#f85149', '#79c0ff'];

/** The step line's vertices: each price runs until the next change, the last one until `now`. */
export function stepPath(points: readonly { timestamp: number; price: number }[], now: number, x: (t: number) => number, y: (p: number) => number): string {
  if (points.length === 0) return '';
  const parts = [`M${x(points[0]!.timestamp)},${y(points[0]!.price)}`];
  for (let i = 1; i < points.length; i++) parts.push(`H${x(points[i]!.timestamp)}`, `V${y(points[i]!.price)}`);
  parts.push(`H${x(Math.max(now, points[points.length - 1]!.timestamp))}`);
  return parts.join(' ');
}

export function PriceHistory({ series, title, now = Math.floor(Date.now() / 1000) }: { series: readonly PriceSeries[]; title: string; now?: number }) {
  const shown = series.filter((s) => s.points.length > 0);
  if (shown.length === 0) return <div className="empty">No price recorded yet.</div>;
  const width = 640;
  const height = 180;
  const pad = { top: 12, right: 12, bottom: 26, left: 64 };
  const all = shown.flatMap((s) => s.points);
  const t0 = Math.min(...all.map((p) => p.timestamp));
  const t1 = Math.max(now, ...all.map((p) => p.timestamp));
  const ticks = niceTicks(Math.max(...all.map((p) => Number(p.price) / 1e6)));
  const max = ticks[ticks.length - 1]!;
  const x = (t: number) => pad.left + ((t - t0) / Math.max(1, t1 - t0)) * (width - pad.left - pad.right);
  const y = (usd: number) => pad.top + (height - pad.top - pad.bottom) * (1 - usd / max);
  return (
    <figure style={{ margin: 0 }}>
      <svg className="chart" viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-label={title}>
        {ticks.map((t) => (
          <g key={t}>
            <line className="axis" x1={pad.left} x2={width - pad.right} y1={y(t)} y2={y(t)} />
            <text x={pad.left - 6} y={y(t) + 4} textAnchor="end">{`$${t}`}</text>
          </g>
        ))}
        <text x={pad.left} y={height - 8}>{formatTimestamp(t0).slice(5, 16)}</text>
        <text x={width - pad.right} y={height - 8} textAnchor="end">now</text>
        {shown.map((s, i) => (
          <path key={s.label} d={stepPath(s.points.map((p) => ({ timestamp: p.timestamp, price: Number(p.price) / 1e6 })), now, x, y)} fill="none" stroke={COLORS[i % COLORS.length]} strokeWidth={2} />
        ))}
      </svg>
      <div className="legend" aria-hidden="true">
        {shown.map((s, i) => (
          <span key={s.label}><span className="swatch" style={{ background: COLORS[i % COLORS.length] }} />{s.label}</span>
        ))}
      </div>
      <table className="sr-only">
        <caption>{title}</caption>
        <tbody>
          {shown.flatMap((s) => s.points.map((p, i) => (
            <tr key={`${s.label}-${i}`}>
              <th scope="row">{s.label}, {formatTimestamp(p.timestamp)}</th>
              <td>{formatPricePerGpuHour(p.price)}</td>
            </tr>
          )))}
        </tbody>
      </table>
    </figure>
  );
}
