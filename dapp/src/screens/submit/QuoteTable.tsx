import { formatAge, formatPricePerGpuHour, formatUsdc } from '../../lib/format';
import type { Quote, QuoteRow } from '@necto/keeper/domain';
import { constraintName, relaxHint } from '../../lib/constraints';
import { regionName } from '../../lib/regions';

const MARKET_NAMES: Record<string, string> = {
  onchain: 'Necto provider',
  akash: 'Akash',
  ionet: 'io.net',
  lambda: 'Lambda',
  'aws-spot': 'AWS Spot',
  vast: 'Vast.ai',
  runpod: 'RunPod',
};

export const marketName = (market: string) => MARKET_NAMES[market] ?? market;

const SOURCE_NAMES: Record<string, string> = { subgraph: 'on-chain offers', onchain: 'on-chain offers' };

/** When each source's data was read: "On-chain offers read 3 s ago; Akash from a price snapshot 33 d old (stale)." */
export function sourcesLine(quote: Pick<Quote, 'sources'>): string {
  const parts = quote.sources.map((s) => {
    const name = SOURCE_NAMES[s.source] ?? marketName(s.market);
    const when = s.origin === 'live' ? `read ${formatAge(s.ageSec)}` : `from a price snapshot ${formatAge(s.ageSec).replace(' ago', ' old')}`;
    const marks = [s.stale ? 'stale' : null, s.launcher === null ? 'quote only' : null].filter((m) => m !== null);
    return `${name} ${when}${marks.length ? ` (${marks.join(', ')})` : ''}${s.error ? ` (refresh failed: ${s.error})` : ''}`;
  });
  const text = parts.join('; ');
  return text ? `${text[0]!.toUpperCase()}${text.slice(1)}.` : '';
}

/** What is rented and what the job uses: "1× H100 · 80 GB" with the machine it sits on. */
function Unit({ row }: { row: QuoteRow }) {
  const model = row.gpuModel.toUpperCase();
  const whole = row.billing === 'per-instance';
  return (
    <>
      {whole ? row.rentedGpus : row.usedGpus}× {model} · {row.vramGb} GB
      {whole && row.rentedGpus > row.usedGpus && (
        <div className="small muted">whole {row.rentedGpus}-GPU machine rented, job uses {row.usedGpus}</div>
      )}
      {!whole && row.gpuCount > row.usedGpus && <div className="small muted">on a {row.gpuCount}-GPU machine</div>}
    </>
  );
}

type SourceStatus = Quote['sources'][number];

/** "42 s ago" for data read live; "recorded 2026-11-01, 33 d old" for a snapshot; a stale badge past the TTL. */
function Age({ row, source }: { row: QuoteRow; source: SourceStatus | undefined }) {
  const recorded = source?.origin === 'snapshot' && source.fetchedAt > 0;
  const text = recorded
    ? `recorded ${new Date(source.fetchedAt * 1000).toISOString().slice(0, 10)}, ${formatAge(row.sourceAgeSec).replace(' ago', ' old')}`
    : formatAge(row.sourceAgeSec);
  return (
    <span data-testid="source-age">
      {row.stale && (
        <span className="badge warn" style={{ marginRight: 6 }} title="Older than this source's TTL: never picked unless you name it">
          stale
        </span>
      )}
      {text}
    </span>
  );
}

/**
 * The keeper's ranked price comparison: USD per GPU-hour and total per provider and market, the unit rented,
 * source ages with stale badges; then the offers that fit but cannot be picked here, with the reason.
 */
export function QuoteTable({ quote, maxRows = 12 }: { quote: Quote; maxRows?: number }) {
  const unroutable = quote.unroutable.slice(0, maxRows);
  const sources = new Map(quote.sources.map((s) => [s.source, s]));
  return (
    <div className="table-wrap" tabIndex={0}>
      {quote.rows.length === 0 ? (
        <div className="empty" role="status">
          No provider that can be launched fits these requirements.
          {quote.exclusions.length > 0 && (
            <ul className="small" style={{ textAlign: 'left' }}>
              {quote.exclusions.filter((e) => e.count > 0).map((e) => (
                <li key={e.constraint} data-testid="exclusion">
                  {e.count} {e.count === 1 ? 'offer' : 'offers'}: <strong>{constraintName(e.constraint)}</strong>
                  {relaxHint(e.constraint) && <span className="muted"> — {relaxHint(e.constraint)}</span>}
                </li>
              ))}
            </ul>
          )}
        </div>
      ) : (
        <table aria-label="Price comparison">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Provider</th>
              <th scope="col">Market</th>
              <th scope="col">GPU (unit)</th>
              <th scope="col">Region</th>
              <th scope="col" className="num">USD / GPU·h</th>
              <th scope="col" className="num">Total</th>
              <th scope="col">Source age</th>
            </tr>
          </thead>
          <tbody>
            {quote.rows.slice(0, maxRows).map((row) => (
              <tr key={row.candidateId} className={row.rank === 1 ? 'best' : undefined} data-testid="quote-row">
                <td>{row.rank}</td>
                <td>
                  {row.name}
                  {row.rank === 1 && (
                    <span className="badge ok" style={{ marginLeft: 6 }}>
                      {row.stale ? 'your choice' : 'best'}
                    </span>
                  )}
                </td>
                <td>{marketName(row.market)}</td>
                <td>
                  <Unit row={row} />
                </td>
                <td>{regionName(row.region)}</td>
                <td className="num">{formatPricePerGpuHour(row.pricePerGpuHour).replace('/GPU·h', '')}</td>
                <td className="num">{formatUsdc(row.totalCost)}</td>
                <td className="small muted">
                  <Age row={row} source={sources.get(row.source)} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {unroutable.length > 0 && (
        <table aria-label="Quoted, not routable here" style={{ marginTop: '0.75rem' }}>
          <caption className="small muted" style={{ textAlign: 'left' }}>
            Quoted, not routable here
          </caption>
          <thead>
            <tr>
              <th scope="col">Provider</th>
              <th scope="col">Market</th>
              <th scope="col">GPU (unit)</th>
              <th scope="col">Region</th>
              <th scope="col" className="num">USD / GPU·h</th>
              <th scope="col" className="num">Total</th>
              <th scope="col">Source age</th>
              <th scope="col">Why not</th>
            </tr>
          </thead>
          <tbody>
            {unroutable.map((row) => (
              <tr key={row.candidateId} className="muted" data-testid="unroutable-row">
                <td>{row.name}</td>
                <td>{marketName(row.market)}</td>
                <td>
                  <Unit row={row} />
                </td>
                <td>{regionName(row.region)}</td>
                <td className="num">{formatPricePerGpuHour(row.pricePerGpuHour).replace('/GPU·h', '')}</td>
                <td className="num">{formatUsdc(row.totalCost)}</td>
                <td className="small">
                  <Age row={row} source={sources.get(row.source)} />
                </td>
                <td className="small">{row.notRoutable}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="small muted" data-testid="quote-sources">
        {quote.feasibleCount} offers can be routed, {quote.excludedCount} left out. {sourcesLine(quote)}
      </p>
      <p className="small muted" data-testid="render-note">
        Render is not compared: it publishes no public GPU price API.
      </p>
    </div>
  );
}
