import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { quoteSchema } from '@necto/keeper/domain';
import { QuoteTable } from './QuoteTable';

const row = (rank: number, over: Record<string, unknown> = {}) => ({
  rank, candidateId: `c${rank}`, market: 'onchain', providerRef: '0x01', name: `Provider ${rank}`, gpuModel: 'h100', gpuCount: 8, vramGb: 80,
  region: 'us-east', pricePerGpuHour: String(2_000_000 + rank * 100_000), totalCost: String((2_000_000 + rank * 100_000) * 2), effectiveCost: '1',
  reliability: 0.99, startLatencySec: 60, audited: true, source: 'subgraph', sourceAgeSec: 42,
  billing: 'per-gpu', rentedGpus: 2, usedGpus: 2, stale: false, launcher: 'provider-agent', ...over,
});

// The keeper's JSON (amounts as decimal strings), through the same zod schema the client uses.
const request = {
  jobId: null, buyer: `0x${'00'.repeat(20)}`, teamId: 0, gpuModels: ['h100'], gpuCount: 2, minVramGb: 0, minVcpu: 0, minRamGb: 0, regions: [],
  maxPricePerGpuHour: '3000000', durationSec: 3600, allowExternal: true, teamRemainingCap: null, budget: null, specHash: `0x${'00'.repeat(32)}`,
  trust: { auditedOnly: false, allowList: [] }, excludeProviderRefs: [],
};
const quote = quoteSchema.parse({
  request,
  at: 1_700_000_000,
  best: row(1),
  rows: [
    row(1),
    row(2, { market: 'akash', name: 'akash1xyz', sourceAgeSec: 3700, source: 'akash', launcher: 'akash-deployer' }),
    row(3, { market: 'vast', source: 'vast', billing: 'per-instance', rentedGpus: 8, launcher: 'vast-launcher' }),
  ],
  unroutable: [
    row(0, { candidateId: 'lambda:1', market: 'lambda', name: 'Lambda 8x H100', source: 'lambda', billing: 'per-instance', rentedGpus: 8, launcher: null, notRoutable: 'no launcher configured for lambda (quote only)' }),
    row(0, { candidateId: 'akash:old', market: 'akash', name: 'akash1old', source: 'akash', sourceAgeSec: 2_851_290, stale: true, notRoutable: 'stale quote: akash data older than its 3600 s TTL' }),
  ],
  feasibleCount: 3,
  excludedCount: 5,
  exclusions: [{ constraint: 'maxPrice', count: 5, candidateIds: [] }],
  sources: [
    { source: 'subgraph', market: 'onchain', origin: 'live', fetchedAt: 1, ageSec: 42, candidateCount: 3, maxAgeSec: 300, stale: false, launcher: 'provider-agent' },
    { source: 'lambda', market: 'lambda', origin: 'snapshot', fetchedAt: 1, ageSec: 42, candidateCount: 9, maxAgeSec: 3600, stale: false, launcher: null },
  ],
  weights: { reliabilityBps: 2000, latencyBpsPerHour: 100, regionBpsPerRank: 50 },
  engineVersion: '1',
});

describe('<QuoteTable>', () => {
  it('lists each quote with USD per GPU-hour, total, market and source age, best first', () => {
    render(<QuoteTable quote={quote} />);
    const rows = screen.getAllByTestId('quote-row');
    expect(rows).toHaveLength(3);
    const first = within(rows[0]!);
    expect(first.queryByText('best')).not.toBeNull();
    expect(first.queryByText('$2.10')).not.toBeNull();
    expect(first.queryByText('4.20 USDC')).not.toBeNull();
    expect(first.queryByText('42 s ago')).not.toBeNull();
    expect(rows[0]!.className).toBe('best');
    const second = within(rows[1]!);
    expect(second.queryByText('Akash')).not.toBeNull();
    expect(second.queryByText('1 h ago')).not.toBeNull();
    expect(within(rows[2]!).queryByText('Vast.ai')).not.toBeNull();
    expect(screen.queryByText(/3 offers can be routed, 5 left out/)).not.toBeNull();
    expect(screen.getByTestId('quote-sources').textContent).toMatch(/Lambda from a price snapshot 42 s old \(quote only\)/);
  });

  it('shows the unit rented and the GPUs the job uses', () => {
    render(<QuoteTable quote={quote} />);
    const rows = screen.getAllByTestId('quote-row');
    // Billed per GPU: the job's 2 GPUs of an 8-GPU machine.
    expect(rows[0]!.textContent).toContain('2× H100 · 80 GB');
    expect(rows[0]!.textContent).toContain('on a 8-GPU machine');
    // Billed per machine: all 8 GPUs are rented.
    expect(rows[2]!.textContent).toContain('8× H100 · 80 GB');
    expect(rows[2]!.textContent).toContain('whole 8-GPU machine rented, job uses 2');
  });

  it('lists quote-only and stale offers apart, with the reason and a stale badge, never as best', () => {
    render(<QuoteTable quote={quote} />);
    const table = screen.getByRole('table', { name: 'Quoted, not routable here' });
    const rows = within(table).getAllByTestId('unroutable-row');
    expect(rows).toHaveLength(2);
    expect(rows[0]!.textContent).toContain('Lambda');
    expect(rows[0]!.textContent).toContain('no launcher configured for lambda (quote only)');
    expect(within(rows[0]!).queryByText('stale')).toBeNull();
    expect(within(rows[1]!).queryByText('stale')).not.toBeNull();
    expect(rows[1]!.textContent).toContain('stale quote: akash data older than its 3600 s TTL');
    expect(within(table).queryByText('best')).toBeNull();
    expect(screen.getByTestId('render-note').textContent).toMatch(/Render .* no public GPU price API/);
  });

  it('says when a snapshot was recorded and how old it is, with the stale badge first', () => {
    const recordedAt = 1_793_491_200; // 2026-11-01
    const sources = [
      ...quote.sources,
      { source: 'akash', market: 'akash', origin: 'snapshot' as const, fetchedAt: recordedAt, ageSec: 33 * 86_400, candidateCount: 9, maxAgeSec: 3600, stale: true, launcher: 'akash-deployer' },
    ];
    render(<QuoteTable quote={{ ...quote, sources }} />);
    const rows = within(screen.getByRole('table', { name: 'Quoted, not routable here' })).getAllByTestId('unroutable-row');
    expect(within(rows[1]!).getByTestId('source-age').textContent).toBe('stalerecorded 2026-11-01, 33 d old');
    // Read live: just the age.
    expect(within(screen.getAllByTestId('quote-row')[0]!).getByTestId('source-age').textContent).toBe('42 s ago');
  });

  it("labels a stale row the buyer named as their choice, not as best", () => {
    const named = { ...quote, rows: [{ ...quote.rows[0]!, stale: true }] };
    render(<QuoteTable quote={named} />);
    const first = within(screen.getAllByTestId('quote-row')[0]!);
    expect(first.queryByText('best')).toBeNull();
    expect(first.queryByText('your choice')).not.toBeNull();
    expect(first.queryByText('stale')).not.toBeNull();
  });

  it('explains an empty quote with the exclusions', () => {
    render(<QuoteTable quote={{ ...quote, rows: [], best: null, feasibleCount: 0 }} />);
    expect(screen.getByRole('status').textContent).toMatch(/No provider that can be launched fits/);
    // The constraint in the keeper's words, with what to relax.
    expect(screen.getByTestId('exclusion').textContent).toBe('5 offers: price above your max — raise the maximum price per GPU-hour');
  });

  it('says when each source was read, and shows regions by their canonical name', () => {
    render(<QuoteTable quote={{ ...quote, sources: [...quote.sources, { source: 'akash', market: 'akash', origin: 'snapshot', fetchedAt: 1, ageSec: 3 * 86_400, candidateCount: 9 }] }} />);
    expect(screen.getByTestId('quote-sources').textContent).toMatch(/On-chain offers read 42 s ago; Lambda from a price snapshot 42 s old \(quote only\); Akash from a price snapshot 3 d old\./);
    expect(within(screen.getAllByTestId('quote-row')[0]!).queryByText('US East (Virginia)')).not.toBeNull();
  });

  it('marks stale and quote-only sources in the sources line', () => {
    const sources = [{ source: 'lambda', market: 'lambda', origin: 'snapshot' as const, fetchedAt: 1, ageSec: 2 * 86_400, candidateCount: 3, maxAgeSec: 3600, stale: true, launcher: null }];
    render(<QuoteTable quote={{ ...quote, sources }} />);
    expect(screen.getByTestId('quote-sources').textContent).toMatch(/Lambda from a price snapshot 2 d old \(stale, quote only\)\./);
  });
});
