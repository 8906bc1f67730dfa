/**
 * Value helpers shared by the store and the GraphQL layer: equality, ordering (graph-node's Postgres
 * ordering), BigDecimal normalisation and a tagged JSON encoding for persistence.
 */
import type { Entity, Value } from './api.js';
import { bytesToHex, hexToBytes } from '../hex.js';
import * as bigDecimal from '../runtime/bigdecimal.js';

// ---------------------------------------------------------------------------------------------------------
// BigDecimal: graph-node normalises every BigDecimal (graph/src/data/store/scalar/bigdecimal.rs): at most 34
// significant digits (bigdecimal 0.1.2 `with_prec` truncates towards zero), trailing zeros stripped, printed
// in plain notation without exponent ("1324000000", "0.00000093937698", "-0.1", "0").

export interface Decimal {
  /** Signed integer of significant digits (no trailing zeros unless zero). */
  digits: bigint;
  /** Value = digits * 10^-scale. */
  scale: number;
}

const DECIMAL_RE = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const MAX_SIGNIFICANT_DIGITS = 34;

export function parseDecimal(input: string): Decimal | null {
  const m = DECIMAL_RE.exec(input.trim());
  if (!m) return null;
  const [, sign, intPart = '', fracPart = '', exp] = m;
  if (intPart === '' && fracPart === '') return null;
  let digits = BigInt((intPart + fracPart).replace(/^0+(?=\d)/, '') || '0');
  if (sign === '-') digits = -digits;
  const scale = fracPart.length - (exp ? Number(exp) : 0);
  return normalizeDecimal({ digits, scale });
}

export function normalizeDecimal(d: Decimal): Decimal {
  if (d.digits === 0n) return { digits: 0n, scale: 0 };
  let { digits, scale } = d;
  const negative = digits < 0n;
  let abs = negative ? -digits : digits;
  const len = abs.toString().length;
  if (len > MAX_SIGNIFICANT_DIGITS) {
    const drop = len - MAX_SIGNIFICANT_DIGITS;
    abs /= 10n ** BigInt(drop);
    scale -= drop;
  }
  while (abs !== 0n && abs % 10n === 0n) {
    abs /= 10n;
    scale -= 1;
  }
  digits = negative ? -abs : abs;
  return { digits, scale };
}

export function formatDecimal(d: Decimal): string {
  const negative = d.digits < 0n;
  const abs = (negative ? -d.digits : d.digits).toString();
  let out: string;
  if (d.scale <= 0) out = abs + '0'.repeat(-d.scale);
  else if (abs.length > d.scale) out = `${abs.slice(0, abs.length - d.scale)}.${abs.slice(abs.length - d.scale)}`;
  else out = `0.${'0'.repeat(d.scale - abs.length)}${abs}`;
  return negative ? `-${out}` : out;
}

/** graph-node's canonical string for a BigDecimal string (throws on garbage). */
export function normalizeBigDecimalString(s: string): string {
  // One implementation of graph-node's normalisation (the runtime's), so a value the host computed is stored as is.
  const d = bigDecimal.parse(s);
  if (!d) throw new Error(`Invalid BigDecimal \`${s}\``);
  return bigDecimal.toString(d);
}

export function compareDecimal(a: Decimal, b: Decimal): number {
  const scale = Math.max(a.scale, b.scale);
  const x = a.digits * 10n ** BigInt(scale - a.scale);
  const y = b.digits * 10n ** BigInt(scale - b.scale);
  return x < y ? -1 : x > y ? 1 : 0;
}

const decimalCache = new Map<string, Decimal>();
function decimalOf(s: string): Decimal {
  let d = decimalCache.get(s);
  if (!d) {
    d = parseDecimal(s) ?? { digits: 0n, scale: 0 };
    if (decimalCache.size > 100_000) decimalCache.clear();
    decimalCache.set(s, d);
  }
  return d;
}

// ---------------------------------------------------------------------------------------------------------
// Ordering. graph-node's databases use the C collation, so strings compare by code point (UTF-8 byte order);
// JS `<` compares UTF-16 code units, which differs for astral characters.

export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      const xs = x >= 0xd800 && x <= 0xdfff;
      const ys = y >= 0xd800 && y <= 0xdfff;
      if (xs !== ys) return xs ? 1 : -1; // surrogates encode code points above every BMP unit
      return x < y ? -1 : 1;
    }
  }
  return a.length - b.length < 0 ? -1 : a.length === b.length ? 0 : 1;
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** Compare two non-null values of the same kind; Null sorts after everything (Postgres NULLS LAST for asc). */
export function compareValues(a: Value, b: Value): number {
  if (a.kind === 'Null' || b.kind === 'Null') {
    if (a.kind === b.kind) return 0;
    return a.kind === 'Null' ? 1 : -1;
  }
  switch (a.kind) {
    case 'String':
      return compareStrings(a.value, (b as typeof a).value);
    case 'Int':
      return a.value - (b as typeof a).value;
    case 'Int8':
    case 'BigInt':
    case 'Timestamp': {
      const y = (b as typeof a).value;
      return a.value < y ? -1 : a.value > y ? 1 : 0;
    }
    case 'BigDecimal':
      return a.value === (b as typeof a).value ? 0 : compareDecimal(decimalOf(a.value), decimalOf((b as typeof a).value));
    case 'Bool':
      return a.value === (b as typeof a).value ? 0 : a.value ? 1 : -1;
    case 'Bytes':
      return compareBytes(a.value, (b as typeof a).value);
    case 'List': {
      const y = (b as typeof a).value;
      const n = Math.min(a.value.length, y.length);
      for (let i = 0; i < n; i++) {
        const c = compareValues(a.value[i]!, y[i]!);
        if (c !== 0) return c;
      }
      return a.value.length - y.length;
    }
  }
}

export function valuesEqual(a: Value, b: Value): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'Null':
      return true;
    case 'Bytes':
      return compareBytes(a.value, (b as typeof a).value) === 0;
    case 'List': {
      const y = (b as typeof a).value;
      return a.value.length === y.length && a.value.every((v, i) => valuesEqual(v, y[i]!));
    }
    case 'BigDecimal':
      return a.value === (b as typeof a).value || compareValues(a, b) === 0;
    default:
      return a.value === (b as { value: unknown }).value;
  }
}

export function entitiesEqual(a: Entity, b: Entity): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) {
    const w = b.get(k);
    if (!w || !valuesEqual(v, w)) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------------------
// Bytes as hex

const hexCache = new WeakMap<Uint8Array, string>();

/** `bytesToHex` of a stored value's bytes, cached per array (stored values are never mutated). */
export function storedHex(b: Uint8Array): string {
  let s = hexCache.get(b);
  if (s === undefined) {
    s = bytesToHex(b);
    hexCache.set(b, s);
  }
  return s;
}

/** The string key of an entity id value (ids are strings for String ids, 0x-hex for Bytes, decimal for Int8). */
export function idKey(v: Value): string {
  switch (v.kind) {
    case 'String':
      return v.value;
    case 'Bytes':
      return storedHex(v.value);
    case 'Int8':
    case 'BigInt':
    case 'Int':
      return v.value.toString();
    default:
      throw new Error(`unsupported id value of kind ${v.kind}`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Tagged JSON encoding for the on-disk format.

export type EncodedValue =
  | ['S', string]
  | ['I', number]
  | ['I8', string]
  | ['BD', string]
  | ['B', boolean]
  | ['L', EncodedValue[]]
  | ['N']
  | ['X', string]
  | ['BI', string]
  | ['T', string];

export function encodeValue(v: Value): EncodedValue {
  switch (v.kind) {
    case 'String':
      return ['S', v.value];
    case 'Int':
      return ['I', v.value];
    case 'Int8':
      return ['I8', v.value.toString()];
    case 'BigDecimal':
      return ['BD', v.value];
    case 'Bool':
      return ['B', v.value];
    case 'List':
      return ['L', v.value.map(encodeValue)];
    case 'Null':
      return ['N'];
    case 'Bytes':
      return ['X', storedHex(v.value)];
    case 'BigInt':
      return ['BI', v.value.toString()];
    case 'Timestamp':
      return ['T', v.value.toString()];
  }
}

export function decodeValue(e: EncodedValue): Value {
  switch (e[0]) {
    case 'S':
      return { kind: 'String', value: e[1] };
    case 'I':
      return { kind: 'Int', value: e[1] };
    case 'I8':
      return { kind: 'Int8', value: BigInt(e[1]) };
    case 'BD':
      return { kind: 'BigDecimal', value: e[1] };
    case 'B':
      return { kind: 'Bool', value: e[1] };
    case 'L':
      return { kind: 'List', value: e[1].map(decodeValue) };
    case 'N':
      return { kind: 'Null' };
    case 'X':
      return { kind: 'Bytes', value: hexToBytes(e[1]) };
    case 'BI':
      return { kind: 'BigInt', value: BigInt(e[1]) };
    case 'T':
      return { kind: 'Timestamp', value: BigInt(e[1]) };
  }
}

export type EncodedEntity = Array<[string, EncodedValue]>;

export function encodeEntity(e: Entity): EncodedEntity {
  return [...e].map(([k, v]) => [k, encodeValue(v)]);
}

export function decodeEntity(e: EncodedEntity): Entity {
  return new Map(e.map(([k, v]) => [k, decodeValue(v)]));
}
