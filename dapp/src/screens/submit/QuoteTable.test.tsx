import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { quoteSchema } from '@necto/keeper/domain';
import { QuoteTable } from './QuoteTable';

const row = (rank: number, over: Record<string, unknown> = {}) => ({
  rank, candidateId: `c${rank}`, market: 'onchain', providerRef: '0x01', name: `Provider ${rank}`, gpuModel: 'h100', gpuCount: 8, vramGb: 80,
  region: 'us-east', pricePerGpuHour: String(2_000_000 + rank * 100_000), totalCost: String((2_000_000 + rank * 100_000) * 2), effectiveCost: '1',
  reliability: 0.99, startLatencySec: 60, audited: true, source: 'subgraph', sourceAgeSec: 42, ...over,
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
  rows: [row(1), row(2, { market: 'akash', name: 'akash1xyz', sourceAgeSec: 3700, source: 'akash' }), row(3, { market: 'lambda', source: 'lambda' })],
  feasibleCount: 3,
  excludedCount: 5,
  exclusions: [{ constraint: 'maxPrice', count: 5, candidateIds: [] }],
  sources: [{ source: 'subgraph', market: 'onchain', origin: 'live', fetchedAt: 1, ageSec: 42, candidateCount: 3 }],
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
    expect(within(rows[2]!).queryByText('Lambda')).not.toBeNull();
    expect(screen.queryByText(/3 offers fit, 5 excluded/)).not.toBeNull();
  });

  it('explains an empty quote with the exclusions', () => {
    render(<QuoteTable quote={{ ...quote, rows: [], best: null, feasibleCount: 0 }} />);
    expect(screen.getByRole('status').textContent).toMatch(/No provider fits/);
    // The constraint by the name a buyer reads, with what to relax.
    expect(screen.queryByText('over the max price')).not.toBeNull();
    expect(screen.getByRole('status').textContent).toMatch(/raise the max price per GPU-hour/);
  });

  it('says when each source was read, and shows regions by their canonical name', () => {
    render(<QuoteTable quote={{ ...quote, sources: [...quote.sources, { source: 'akash', market: 'akash', origin: 'snapshot', fetchedAt: 1, ageSec: 3 * 86_400, candidateCount: 9 }] }} />);
    expect(screen.getByTestId('quote-sources').textContent).toMatch(/On-chain offers read 42 s ago; Akash from a price snapshot 3 d old\./);
    expect(within(screen.getAllByTestId('quote-row')[0]!).queryByText('US East (Virginia)')).not.toBeNull();
  });
});
