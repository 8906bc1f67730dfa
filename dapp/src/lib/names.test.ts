import { describe, expect, it } from 'vitest';
import { directoryOf, nameAddresses, nameOf } from './names';

const provider = { id: `0x976ea74026e726554db657fa54763abd0c3a0aa9`, name: 'Fjord GPU', payout: `0x${'22'.repeat(20)}` };
const me = '0x90F79bf6EB2c4f870365E785982E1f101E93b906';

describe('names instead of addresses', () => {
  const names = directoryOf([provider], me);
  it('names providers, their payout address and the connected wallet', () => {
    expect(nameAddresses('Job #1 started by 0x976e…0aa9', names)).toBe('Job #1 started by Fjord GPU');
    expect(nameAddresses('Job #1 submitted by 0x90f7…b906: 2 GPU', names)).toBe('Job #1 submitted by you: 2 GPU');
    expect(nameOf(provider.payout, names)).toBe('Fjord GPU (payout)');
  });
  it('falls back to the short address', () => {
    expect(nameOf(`0x${'ab'.repeat(20)}`, names)).toBe('0xabab…abab');
    expect(nameAddresses('withdrew by 0x1234…5678', names)).toBe('withdrew by 0x1234…5678');
  });
});
