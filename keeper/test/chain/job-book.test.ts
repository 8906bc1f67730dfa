// JobBook: job state folded from events, kept between reads and refolded when a job's events change.
import { describe, expect, it } from 'vitest';
import type { MarketEvent } from '../../src/chain/events.js';
import { JobBook } from '../../src/chain/job-book.js';
import type { Hex } from '../../src/domain/types.js';

const h = (n: number) => `0x${n.toString(16).padStart(64, '0')}` as Hex;
const at = (block: number, logIndex = 0) => ({ blockNumber: BigInt(block), blockHash: h(block), txHash: h(1000 + block), logIndex });

const submitted = (jobId: bigint, block: number): MarketEvent => ({
  kind: 'submitted', jobId, buyer: `0x${'11'.repeat(20)}`, teamId: 0n, budget: 10n, specHash: h(7), maxPricePerGpuHour: 2n, gpuCount: 1,
  duration: 3600, startBy: 99n, autoAccept: true, tracked: true, allowExternal: true, ...at(block, Number(jobId)),
});
const committed = (jobId: bigint, block: number, round: number): MarketEvent => ({
  kind: 'routeCommitted', jobId, round, providerRef: h(5), provider: `0x${'22'.repeat(20)}`, offerId: 0n, market: 'akash', externalId: 'x',
  pricePerGpuHour: 1n, logRoot: h(8), decisionHash: h(9), sdlHash: h(10), autoAccepted: true, startDeadline: 50, ...at(block, Number(jobId)),
});

describe('JobBook', () => {
  it('keeps each folded view until the job changes', () => {
    const book = new JobBook(() => 1);
    book.apply([submitted(1n, 1), submitted(2n, 1)]);
    const first = book.get(1n)!;
    expect(first.phase).toBe('open');
    expect(book.get(1n)).toBe(first); // not refolded on read
    expect(book.all()).toContain(first);

    book.apply([committed(2n, 2, 1)]);
    expect(book.get(1n)).toBe(first); // another job's event leaves it alone
    expect(book.get(2n)!.phase).toBe('accepted');

    book.apply([committed(1n, 3, 1)]);
    expect(book.get(1n)).not.toBe(first);
    expect(book.get(1n)).toMatchObject({ phase: 'accepted', round: 1, startDeadline: 50 });
  });

  it('refolds on a reorg and forgets jobs that no longer exist', () => {
    const book = new JobBook(() => 1);
    book.apply([submitted(1n, 1), committed(1n, 3, 1), submitted(2n, 4)]);
    expect(book.rewind(2n)).toEqual(new Set([1n, 2n]));
    expect(book.get(1n)).toMatchObject({ phase: 'open', round: 0 });
    expect(book.get(2n)).toBeNull();
    expect(book.all().map((v) => v.jobId)).toEqual([1n]);
  });
});
