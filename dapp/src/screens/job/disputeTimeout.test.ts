import { describe, expect, it } from 'vitest';
import { defaultSettlementAt } from './disputeTimeout';

describe('default settlement time', () => {
  it('is the end of billing plus the dispute window plus the dispute timeout', () => {
    expect(defaultSettlementAt({ completedAt: 1_000n, disputeWindow: 3_600n, disputeTimeout: 86_400n })).toBe(91_000);
  });
  it('is unknown while any term is', () => {
    expect(defaultSettlementAt({ completedAt: null, disputeWindow: 3_600n, disputeTimeout: 86_400n })).toBeNull();
    expect(defaultSettlementAt({ completedAt: 1_000n, disputeWindow: undefined, disputeTimeout: 86_400n })).toBeNull();
    expect(defaultSettlementAt({ completedAt: 1_000n, disputeWindow: 3_600n, disputeTimeout: null })).toBeNull();
  });
});
