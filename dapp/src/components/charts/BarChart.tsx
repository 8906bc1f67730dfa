// Small dependency-free SVG charts. Each chart has a text alternative (a visually hidden table).

export interface BarDatum {
  label: string;
  value: number;
}

/**
 * Axis ticks in sensible steps (1, 2 or 5 × a power of ten), from 0 to the first tick at or above `max`, at most
 * six of them: 0 · 0.5 · 1 · 1.5, never 0 · 1.25 · 2.5.
 */
export function niceTicks(max: number): number[] {
  if (!(max > 0)) return [0, 1];
  const rough = max / 5;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough)!;
  const count = Math.ceil(max / step - 1e-9);
  // Rounded to the step's precision so 0.1 + 0.2 shows as 0.3.
  const digits = Math.max(0, -Math.floor(Math.log10(step)));
  return Array.from({ length: count + 1 }, (_, i) => Number((i * step).toFixed(digits)));
}

/** Vertical bars over a category axis (days). */
export function BarChart({
  data,
  title,
  formatValue = (v) => String(v),
  height = 180,
}: {
  data: readonly BarDatum[];
  title: string;
  formatValue?: (value: number) => string;
  height?: number;
}) {
  const width = 640;
  const pad = { top: 12, right: 8, bottom: 26, left: 64 };
  const ticks = niceTicks(Math.max(0, ...data.map((d) => d.value)));
  const max = ticks[ticks.length - 1]!;
  const innerW = width - pad.left - pad.right;
  const innerH = height - pad.top - pad.bottom;
  const slot = data.length ? innerW / data.length : innerW;
  const barW = Math.max(2, Math.min(48, slot * 0.7));
  const labelEvery = Math.max(1, Math.ceil(data.length / 10));
  return (
    <figure className="flush">
      <svg className="chart" viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-label={title}>
        {ticks.map((t) => {
          const y = pad.top + innerH - (t / max) * innerH;
          return (
            <g key={t}>
              <line className="axis" x1={pad.left} x2={width - pad.right} y1={y} y2={y} />
              <text x={pad.left - 6} y={y + 4} textAnchor="end">{formatValue(t)}</text>
            </g>
          );
        })}
        {data.map((d, i) => {
          const h = (d.value / max) * innerH;
          const x = pad.left + i * slot + (slot - barW) / 2;
          return (
            <g key={`${d.label}-${i}`}>
              <rect className="bar" x={x} y={pad.top + innerH - h} width={barW} height={Math.max(h, d.value > 0 ? 1 : 0)} rx={2}>
                <title>{`${d.label}: ${formatValue(d.value)}`}</title>
              </rect>
              {i % labelEvery === 0 && (
                <text x={x + barW / 2} y={height - 8} textAnchor="middle">{d.label}</text>
              )}
            </g>
          );
        })}
      </svg>
      <DataTable title={title} data={data} formatValue={formatValue} />
    </figure>
  );
}

/** Horizontal bars for a ranking (per member, per provider). */
export function HorizontalBars({
  data,
  title,
  formatValue = (v) => String(v),
}: {
  data: readonly BarDatum[];
  title: string;
  formatValue?: (value: number) => string;
}) {
  const max = Math.max(0, ...data.map((d) => d.value)) || 1;
  return (
    <figure className="flush" aria-label={title}>
      <div className="stack" style={{ gap: '0.45rem' }} aria-hidden="true">
        {data.map((d) => (
          <div key={d.label}>
            <div className="spread small">
              <span className="mono">{d.label}</span>
              <span>{formatValue(d.value)}</span>
            </div>
            <div className="meter">
              <span style={{ width: `${(d.value / max) * 100}%`, background: 'var(--accent)' }} />
            </div>
          </div>
        ))}
      </div>
      <DataTable title={title} data={data} formatValue={formatValue} />
    </figure>
  );
}

function DataTable({ title, data, formatValue }: { title: string; data: readonly BarDatum[]; formatValue: (v: number) => string }) {
  return (
    <table className="sr-only">
      <caption>{title}</caption>
      <tbody>
        {data.map((d, i) => (
          <tr key={`${d.label}-${i}`}>
            <th scope="row">{d.label}</th>
            <td>{formatValue(d.value)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A usage meter (team cap used). */
export function Meter({ value, max, label }: { value: number; max: number; label: string }) {
  const ratio = max > 0 ? value / max : 0;
  const tone = ratio > 1 ? 'over' : ratio > 0.8 ? 'high' : '';
  return (
    <div className={`meter ${tone}`} role="meter" aria-label={label} aria-valuemin={0} aria-valuemax={max} aria-valuenow={Math.min(value, max)}>
      <span style={{ width: `${Math.min(100, ratio * 100)}%` }} />
    </div>
  );
}
