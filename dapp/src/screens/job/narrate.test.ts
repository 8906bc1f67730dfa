import { describe, expect, it } from 'vitest';
import type { AgentStep } from './narrate';
import { narrate, tidyProse } from './narrate';

// A round as the keeper's offline model emits it (shapes from keeper/src/agent/tools.ts and routing/router.ts).
const steps: AgentStep[] = [
  { seq: 0, at: 1, kind: 'thought', title: 'Looking up the catalog of every market for this job.', detail: { text: 'Looking up the catalog of every market for this job.' } },
  { seq: 1, at: 2, kind: 'tool_call', title: 'lookup_catalog', detail: { args: {} } },
  {
    seq: 2, at: 3, kind: 'tool_result', title: 'lookup_catalog',
    detail: { candidateCount: 33, perMarket: { onchain: 6, akash: 9 }, sources: [{ source: 'subgraph', origin: 'live', ageSec: 2, candidates: 6 }, { source: 'akash', origin: 'snapshot', ageSec: 2_855_409, candidates: 9 }] },
  },
  { seq: 3, at: 4, kind: 'tool_call', title: 'check_constraints', detail: { args: {} } },
  {
    seq: 4, at: 5, kind: 'tool_result', title: 'check_constraints',
    detail: { feasibleCount: 2, excludedCount: 31, excludedBy: [{ constraint: 'vram', count: 19, examples: [] }, { constraint: 'gpuModel', count: 24, examples: [] }, { constraint: 'ram', count: 0, examples: [] }] },
  },
  { seq: 5, at: 6, kind: 'tool_call', title: 'rank_candidates', detail: { args: {} } },
  {
    seq: 6, at: 7, kind: 'tool_result', title: 'rank_candidates',
    detail: {
      feasibleCount: 2,
      top: [
        { candidateId: 'onchain:3', name: 'Fjord GPU', market: 'onchain', gpu: '4x a100 80GB', region: 'eu-north', pricePerGpuHourUsd: '1.290000', totalCostUsd: '5.160000', rank: 1 },
        { candidateId: 'onchain:2', name: 'Lattice Compute', market: 'onchain', gpu: '8x a100 80GB', region: 'us-east', pricePerGpuHourUsd: '1.390000', totalCostUsd: '5.560000', rank: 2 },
      ],
    },
  },
  { seq: 7, at: 8, kind: 'thought', title: 'Best: Fjord GPU…', detail: { text: 'Best: Fjord GPU (onchain, 4x a100 80GB) at $1.290000/GPU-h, $5.160000 for the whole job.\nPICK: onchain:3' } },
  { seq: 8, at: 9, kind: 'thought', title: 'Model pick overridden', detail: { reason: 'model pick onchain:2 is feasible but ranked 2, not 1; overridden by the engine\'s pick onchain:3' } },
  {
    seq: 9, at: 10, kind: 'decision', title: 'Chose Fjord GPU (onchain)',
    detail: { candidateId: 'onchain:3', providerRef: `0x000000000000000000000000${'97'.repeat(20)}`, pricePerGpuHour: '1290000', totalCost: '5160000', overridden: true },
  },
];

describe('narrate', () => {
  const told = narrate(steps);

  it('tells a tool call together with its result, as a sentence', () => {
    expect(told.map((s) => s.kind)).toEqual(['thought', 'lookup', 'constraints', 'ranking', 'thought', 'thought', 'decision']);
    const lookup = told.find((s) => s.kind === 'lookup')!;
    expect(lookup.title).toBe('Looked up 33 offers across 2 markets');
    expect(lookup.lines).toContain('Live prices: Necto providers (on-chain) read 2 s ago.');
    expect(lookup.lines).toContain('From price snapshots: Akash (33 d old).');
    // The raw call and result stay attached for the disclosure.
    expect(lookup.raw).toEqual([steps[1]!.detail, steps[2]!.detail]);
  });

  it('says how many fit and what excluded the rest, biggest reason first', () => {
    const filter = told.find((s) => s.kind === 'constraints')!;
    expect(filter.title).toBe('2 of 33 offers fit the job; 31 excluded');
    expect(filter.lines[0]).toMatch(/GPU model 24 · VRAM 19\.$/);
    expect(filter.lines[0]).not.toMatch(/RAM 0/);
  });

  it('names the pick and the runner-up with dollar prices and regions', () => {
    const ranking = told.find((s) => s.kind === 'ranking')!;
    expect(ranking.lines[0]).toBe('Pick: Fjord GPU (Necto provider, 4x a100 80GB, Europe North (Stockholm)) at $1.29/GPU·h, $5.16 for the whole job.');
    expect(ranking.lines[1]).toMatch(/^Runner-up: Lattice Compute .* \$5\.56 for the whole job, \$0\.40 more\.$/);
  });

  it('keeps ids, padded bytes32 and base units out of the prose', () => {
    const prose = told.flatMap((s) => [s.title, ...s.lines]).join('\n');
    expect(prose).not.toMatch(/PICK:|onchain:\d|0x0{24}|1290000/);
    expect(prose).toContain('$1.29/GPU-h');
    expect(prose).toContain('Model pick overridden: model pick Lattice Compute is feasible but ranked 2, not 1; overridden by the engine\'s pick Fjord GPU');
    const decision = told.find((s) => s.kind === 'decision')!;
    expect(decision.title).toBe('Chose Fjord GPU');
    expect(decision.lines).toEqual(['$1.29/GPU·h, 5.16 USDC for the whole job.', 'The model proposed another offer; the protocol’s ranking decided.']);
  });

  it('tells a round where nothing fits', () => {
    const none = narrate([{ seq: 0, at: 0, kind: 'decision', title: 'No candidate fits', detail: { exclusions: [{ constraint: 'vram', count: 2 }] } }]);
    expect(none[0]!.title).toBe('No offer fits this job');
    expect(none[0]!.lines).toEqual(['VRAM: 2 offers']);
  });

  it('shows a call still waiting for its result', () => {
    expect(narrate([steps[1]!])[0]!.title).toBe('Calling lookup_catalog…');
  });
});

describe('tidyProse', () => {
  it('formats base-unit prices and padded addresses', () => {
    expect(tidyProse(`0x000000000000000000000000${'ab'.repeat(20)} @ 2490000`)).toBe('0xabab…abab @ $2.49/GPU·h');
  });
});
