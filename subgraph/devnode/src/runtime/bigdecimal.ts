/**
 * graph-node's BigDecimal, reproduced bit for bit: the `bigdecimal` crate 0.1.2 (pinned by graph-node for
 * proof-of-indexing stability) plus graph-node's `normalized()` (34 significant digits, trailing zeros
 * stripped). The quirks are intentional: rounding is "half up" on the first dropped digit for positive
 * values but plain truncation for negative ones, and the digit count of a negative value may be
 * under-estimated by one (so a negative result can keep 35 digits) — exactly what graph-node stores.
 */
import { bitLength } from './bigint.js';

export const MAX_SIGNIFICANT_DIGITS = 34;
const LOG2_10 = 3.3219280949;

/** value = int × 10^(−scale) */
export interface Decimal {
  int: bigint;
  scale: number;
}

const pow10Cache: bigint[] = [];
export function tenToThe(n: number): bigint {
  if (n < 64) {
    let cached = pow10Cache[n];
    if (cached === undefined) {
      cached = 10n ** BigInt(n);
      pow10Cache[n] = cached;
    }
    return cached;
  }
  return 10n ** BigInt(n);
}

function abs(x: bigint): bigint {
  return x < 0n ? -x : x;
}

/** `count_decimal_digits`: the loop never runs for negative values (the quirk described above). */
function countDecimalDigits(int: bigint): number {
  if (int === 0n) return 1;
  let digits = Math.floor(bitLength(abs(int)) / LOG2_10);
  let num = tenToThe(digits);
  while (int >= num) {
    num *= 10n;
    digits += 1;
  }
  return digits;
}

/** `get_rounding_term`: 1 when the most significant digit of a positive `num` is ≥ 5. */
function roundingTerm(num: bigint): bigint {
  if (num === 0n) return 0n;
  let n = tenToThe(Math.floor(bitLength(abs(num)) / LOG2_10));
  for (;;) {
    if (num < n) return 1n;
    n *= 5n;
    if (num < n) return 0n;
    n *= 2n;
  }
}

function withPrec(x: Decimal, prec: number): Decimal {
  const digits = countDecimalDigits(x.int);
  if (digits > prec) {
    const diff = digits - prec;
    const p = tenToThe(diff);
    let q = x.int / p;
    const r = x.int % p;
    if (p < 10n * r) q += roundingTerm(r);
    return { int: q, scale: x.scale - diff };
  }
  if (digits < prec) {
    const diff = prec - digits;
    return { int: x.int * tenToThe(diff), scale: x.scale + diff };
  }
  return x;
}

export function normalize(x: Decimal): Decimal {
  if (x.int === 0n) return { int: 0n, scale: 0 };
  const rounded = withPrec(x, MAX_SIGNIFICANT_DIGITS);
  let int = rounded.int;
  let scale = rounded.scale;
  if (int === 0n) return { int: 0n, scale: 0 };
  const text = abs(int).toString();
  let trailing = 0;
  for (let i = text.length - 1; i >= 0 && text.charCodeAt(i) === 48; i--) trailing++;
  if (trailing > 0) {
    int /= tenToThe(trailing);
    scale -= trailing;
  }
  return { int, scale };
}

/** graph-node `BigDecimal::new(digits, exp)` (exp = −scale), normalized. */
export function fromDigitsAndExp(digits: bigint, exp: bigint): Decimal {
  return normalize({ int: digits, scale: Number(-exp) });
}

export function toDigitsAndExp(x: Decimal): { digits: bigint; exp: bigint } {
  return { digits: x.int, exp: BigInt(-x.scale) };
}

function rescale(x: Decimal, scale: number): bigint {
  return scale === x.scale ? x.int : x.int * tenToThe(scale - x.scale);
}

export function add(x: Decimal, y: Decimal): Decimal {
  const scale = Math.max(x.scale, y.scale);
  return normalize({ int: rescale(x, scale) + rescale(y, scale), scale });
}

export function sub(x: Decimal, y: Decimal): Decimal {
  const scale = Math.max(x.scale, y.scale);
  return normalize({ int: rescale(x, scale) - rescale(y, scale), scale });
}

export function mul(x: Decimal, y: Decimal): Decimal {
  return normalize({ int: x.int * y.int, scale: x.scale + y.scale });
}

export function equals(x: Decimal, y: Decimal): boolean {
  const scale = Math.max(x.scale, y.scale);
  return rescale(x, scale) === rescale(y, scale);
}

export function isZero(x: Decimal): boolean {
  return x.int === 0n;
}

/** `impl Div for BigDecimal` (max precision 100) then graph-node normalization. Caller checks y ≠ 0. */
export function div(x: Decimal, y: Decimal): Decimal {
  if (x.int === 0n || equals(y, { int: 1n, scale: 0 })) return normalize(x);
  const scale = x.scale - y.scale;
  if (x.int === y.int) return normalize({ int: 1n, scale });
  return normalize(divide(x.int, y.int, scale, 100));
}

function divide(numerator: bigint, denominator: bigint, startScale: number, maxPrecision: number): Decimal {
  if (numerator === 0n) return { int: 0n, scale: 0 };
  if (numerator < 0n && denominator < 0n) return divide(-numerator, -denominator, startScale, maxPrecision);
  if (numerator < 0n || denominator < 0n) {
    const positive = divide(abs(numerator), abs(denominator), startScale, maxPrecision);
    return { int: -positive.int, scale: positive.scale };
  }
  let num = numerator;
  let scale = startScale;
  while (num < denominator) {
    scale += 1;
    num *= 10n;
  }
  let quotient = num / denominator;
  let remainder = num % denominator;
  if (remainder === 0n) return { int: quotient, scale };
  let precision = countDecimalDigits(quotient);
  remainder *= 10n;
  while (remainder !== 0n && precision < maxPrecision) {
    quotient = quotient * 10n + remainder / denominator;
    remainder = (remainder % denominator) * 10n;
    precision += 1;
    scale += 1;
  }
  if (remainder !== 0n) quotient += roundingTerm(remainder / denominator);
  return { int: quotient, scale };
}

/** `FromStr` of bigdecimal 0.1.2, then normalized. Returns null when the text is not a decimal. */
export function parse(text: string): Decimal | null {
  const expAt = text.search(/[eE]/);
  let base = text;
  let exponent = 0;
  if (expAt >= 0) {
    base = text.slice(0, expAt);
    let expText = text.slice(expAt + 1);
    if (expText.startsWith('+')) expText = expText.slice(1);
    if (!/^-?[0-9]+$/.test(expText)) return null;
    exponent = Number(expText);
    if (!Number.isSafeInteger(exponent)) return null;
  }
  if (base === '') return null;
  let digits = base;
  let fraction = 0;
  const dot = base.indexOf('.');
  if (dot >= 0) {
    digits = base.slice(0, dot) + base.slice(dot + 1);
    fraction = base.length - dot - 1;
  }
  // num-bigint's from_str_radix: optional sign, then digits (underscores allowed between digits)
  const match = /^([+-]?)([0-9][0-9_]*)$/.exec(digits);
  if (!match) return null;
  const int = BigInt(match[2]!.replace(/_/g, ''));
  return normalize({ int: match[1] === '-' ? -int : int, scale: fraction - exponent });
}

/** `impl Display for BigDecimal` (bigdecimal 0.1.2): plain notation, never an exponent. */
export function toString(x: Decimal): string {
  let absInt = abs(x.int).toString();
  let before: string;
  let after: string;
  if (x.scale >= absInt.length) {
    before = '0';
    after = '0'.repeat(x.scale - absInt.length) + absInt;
  } else {
    const location = absInt.length - x.scale;
    if (location > absInt.length) {
      absInt += '0'.repeat(location - absInt.length);
      before = absInt;
      after = '';
    } else {
      before = absInt.slice(0, location);
      after = absInt.slice(location);
    }
  }
  const body = after.length > 0 ? `${before}.${after}` : before;
  return x.int < 0n ? `-${body}` : body;
}

export function fromBigInt(value: bigint): Decimal {
  return normalize({ int: value, scale: 0 });
}
