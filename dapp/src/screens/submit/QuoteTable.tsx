import { formatAge, formatPricePerGpuHour, formatUsdc } from '../../lib/format';
import type { Quote } from '@necto/keeper/domain';
import { constraintName, relaxHint } from '../../lib/constraints';
import { regionName } from '../../lib/regions';

const MARKET_NAMES: Record<string, string> = {
  onchain: 'Necto provider',
  akash: 'Akash',
  ionet: 'io.net',
  lambda: 'Lambda',
  'aws-spot': 'AWS Spot',
  render: 'Render',
};

export const marketName = (market: string) => MARKET_NAMES[market] ?? market;

const SOURCE_NAMES: Record<string, string> = { subgraph: 'on-chain offers', onchain: 'on-chain offers' };

/** When each source's data was read: "On-chain offers read 3 s ago; Akash from a price snapshot 33 d old." */
export function sourcesLine(quote: Pick<Quote, 'sources'>): string {
  const parts = quote.sources.map((s) => {
    const name = SOURCE_NAMES[s.source] ?? marketName(s.market);
    const when = s.origin === 'live' ? `read ${formatAge(s.ageSec)}` : `from a price snapshot ${formatAge(s.ageSec).replace(' ago', ' old')}`;
    return `${name} ${when}${s.error ? ` (refresh failed: ${s.error})` : ''}`;
  });
  const text = parts.join('; ');
  return text ? `${text[0]!.toUpperCase()}${text.slice(1)}.` : '';
}

/** The keeper's ranked price comparison: USD per GPU-hour and total per provider and market, with source ages. */
export function QuoteTable({ quote, maxRows = 12 }: { quote: Quote; maxRows?: number }) {
  if (quote.rows.length === 0) {
    return (
      <div className="empty" role="status">
        No provider fits these requirements.
        {quote.exclusions.length > 0 && (
          <ul className="small" style={{ textAlign: 'left' }}>
            {quote.exclusions.filter((e) => e.count > 0).map((e) => (
              <li key={e.constraint}>
                {e.count} excluded by <strong>{constraintName(e.constraint)}</strong>
                {relaxHint(e.constraint) && <span className="muted"> — {relaxHint(e.constraint)}</span>}
              </li>
            ))}
          </ul>
        )}
      </div>
    );
  }
  const rows = quote.rows.slice(0, maxRows);
  return (
    <div className="table-wrap">
      <table aria-label="Price comparison">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Provider</th>
            <th scope="col">Market</th>
            <th scope="col">GPU</th>
            <th scope="col">Region</th>
            <th scope="col" className="num">USD / GPU·h</th>
            <th scope="col" className="num">Total</th>
            <th scope="col">Source age</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.candidateId} className={row.rank === 1 ? 'best' : undefined} data-testid="quote-row">
              <td>{row.rank}</td>
              <td>
                {row.name}
                {row.rank === 1 && <span className="badge ok" style={{ marginLeft: 6 }}>best</span>}
              </td>
              <td>{marketName(row.market)}</td>
              <td>
                {row.gpuCount}× {row.gpuModel.toUpperCase()} · {row.vramGb} GB
              </td>
              <td>{regionName(row.region)}</td>
              <td className="num">{formatPricePerGpuHour(row.pricePerGpuHour).replace('/GPU·h', '')}</td>
              <td className="num">{formatUsdc(row.totalCost)}</td>
              <td className="small muted">
                {formatAge(row.sourceAgeSec)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="small muted" data-testid="quote-sources">
        {quote.feasibleCount} offers fit, {quote.excludedCount} excluded. {sourcesLine(quote)}
      </p>
    </div>
  );
}
