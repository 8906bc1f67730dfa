import { describe, expect, it } from 'vitest';
import { REGIONS, isRegionId, regionId, regionName } from './regions';

describe('regions', () => {
  it('maps every spelling markets use to one id', () => {
    expect(regionId('ap-northeast')).toBe('asia-east');
    expect(regionId('Frankfurt, DE')).toBe('eu-central');
    expect(regionId('us-east-1')).toBe('us-east');
    expect(regionId('ap-southeast-2')).toBe('oceania');
    expect(regionId('eu-central')).toBe('eu-central');
    expect(regionId('mars-1')).toBeNull();
  });
  it('shows the same name for a quote, an offer and a filter', () => {
    expect(regionName('eu-central')).toBe(regionName('Frankfurt, DE'));
    expect(regionName('asia-east')).toBe(regionName('ap-northeast'));
    expect(regionName('mars-1')).toBe('mars-1');
  });
  it('has unique ids that fit the contract (≤ 32 bytes)', () => {
    expect(new Set(REGIONS.map((r) => r.id)).size).toBe(REGIONS.length);
    for (const r of REGIONS) {
      expect(isRegionId(r.id)).toBe(true);
      expect(new TextEncoder().encode(r.id).length).toBeLessThanOrEqual(32);
    }
    expect(isRegionId('ap-northeast')).toBe(false);
  });
});
