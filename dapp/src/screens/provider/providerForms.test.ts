import { describe, expect, it } from 'vitest';
import { validateOffer } from './offerForm';
import { validateProvider } from './RegisterProvider';

const offer = { gpuModel: 'H100', gpuCount: '8', vramGb: '80', vcpu: '64', ramGb: '512', region: 'eu-central', pricePerGpuHour: '2.10', availableUnits: '2' };

describe('provider forms', () => {
  it('accepts only canonical regions', () => {
    expect(validateOffer(offer).offer?.region).toBe('eu-central');
    expect(validateOffer({ ...offer, region: 'Frankfurt, DE' }).errors.region).toBe('Pick a region from the list');
    const provider = { name: 'Acme', region: 'ap-northeast', payout: `0x${'11'.repeat(20)}`, metadataURI: '' };
    expect(validateProvider(provider).region).toBe('Pick a region from the list');
    expect(validateProvider({ ...provider, region: 'asia-east' })).toEqual({});
  });
  it('counts the name limit in characters a person reads', () => {
    expect(validateProvider({ name: 'x'.repeat(65), region: 'us-east', payout: `0x${'11'.repeat(20)}`, metadataURI: '' }).name).toBe('Name must be 1–64 characters');
  });
});
