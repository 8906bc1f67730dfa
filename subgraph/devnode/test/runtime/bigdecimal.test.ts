/** graph-node BigDecimal semantics (bigdecimal 0.1.2 + 34-digit normalization), values checked against graph-node. */
import { describe, expect, it } from 'vitest';
import * as Dec from '../../src/runtime/bigdecimal.js';
import { bigIntFromSignedLE, bigIntToSignedLE } from '../../src/runtime/bigint.js';

const d = (text: string) => {
  const value = Dec.parse(text);
  if (!value) throw new Error(`bad decimal ${text}`);
  return value;
};
const s = Dec.toString;

describe('BigDecimal', () => {
  it('parses and prints in graph-node form (plain notation, trailing zeros stripped)', () => {
    expect(s(d('1.50e5'))).toBe('150000');
    expect(s(d('123.4500'))).toBe('123.45');
    expect(s(d('-0'))).toBe('0');
    expect(s(d('0.000'))).toBe('0');
    expect(s(d('1e-5'))).toBe('0.00001');
    expect(s(d('+7'))).toBe('7');
    expect(Dec.parse('abc')).toBeNull();
    expect(Dec.parse('')).toBeNull();
    expect(Dec.parse('1.2.3')).toBeNull();
  });

  it('rounds positive values half-up to 34 significant digits', () => {
    expect(s(d('12345678901234567890.123456789012345678901234567890'))).toBe('12345678901234567890.12345678901235');
    expect(s(Dec.div(d('2'), d('3')))).toBe('0.6666666666666666666666666666666667');
    expect(s(Dec.div(d('1'), d('3')))).toBe('0.3333333333333333333333333333333333');
    expect(s(d('1.000000000000000000000000000000000000001'))).toBe('1');
  });

  it('truncates negative values and may keep 35 digits, like graph-node', () => {
    expect(s(Dec.div(d('-2'), d('3')))).toBe('-0.66666666666666666666666666666666666');
    expect(s(d('-12345678901234567890.123456789012345678901234567890'))).toBe('-12345678901234567890.123456789012345');
  });

  it('arithmetic', () => {
    expect(s(Dec.add(d('0.1'), d('0.2')))).toBe('0.3');
    expect(s(Dec.sub(d('1'), d('1.0000')))).toBe('0');
    expect(s(Dec.mul(d('1.5'), d('-2')))).toBe('-3');
    expect(s(Dec.div(d('1'), d('-0.0025')))).toBe('-400');
    expect(s(Dec.div(d('10'), d('4')))).toBe('2.5');
    expect(Dec.equals(d('1.0'), d('1'))).toBe(true);
    expect(Dec.equals(d('1.01'), d('1'))).toBe(false);
  });
});

describe('BigInt bytes', () => {
  it('uses the shortest signed little-endian two’s complement, zero as one byte', () => {
    expect([...bigIntToSignedLE(0n)]).toEqual([0]);
    expect([...bigIntToSignedLE(128n)]).toEqual([128, 0]);
    expect([...bigIntToSignedLE(-128n)]).toEqual([128]);
    expect([...bigIntToSignedLE(-129n)]).toEqual([127, 255]);
    expect(bigIntToSignedLE(2n ** 255n)).toHaveLength(33);
    expect(bigIntToSignedLE(-(2n ** 255n))).toHaveLength(32);
    for (const value of [0n, 1n, -1n, 255n, -256n, 2n ** 47n, -(2n ** 47n) - 1n, 2n ** 256n - 1n, -(2n ** 256n) + 1n, 12345678901234567890n]) {
      expect(bigIntFromSignedLE(bigIntToSignedLE(value))).toBe(value);
    }
    expect(bigIntFromSignedLE(new Uint8Array())).toBe(0n);
  });
});
