/**
 * Conversions between GraphQL values and store values: query arguments into `Value`s of a field's type
 * (graph-node `Value::from_query_value`) and stored values into graph-node's JSON output forms (BigInt,
 * BigDecimal, Int8 and Timestamp as strings, Bytes as lowercase 0x-hex).
 */
import type { Value } from '../store/api.js';
import type { FieldInfo, SchemaInfo } from '../schema/index.js';
import { typeInfo } from '../schema/index.js';
import { HexError, hexToBytes } from '../hex.js';
import { formatDecimal, parseDecimal, storedHex } from '../store/values.js';
import { QueryError, valueParseError } from './errors.js';

export function toJson(v: Value | undefined): unknown {
  if (v === undefined) return null;
  switch (v.kind) {
    case 'String':
      return v.value;
    case 'Int':
      return v.value;
    case 'Int8':
    case 'BigInt':
    case 'Timestamp':
      return v.value.toString();
    case 'BigDecimal':
      return v.value;
    case 'Bool':
      return v.value;
    case 'Bytes':
      return storedHex(v.value);
    case 'List':
      return v.value.map(toJson);
    case 'Null':
      return null;
  }
}

function describe(raw: unknown): string {
  return typeof raw === 'string' ? raw : JSON.stringify(raw);
}

function bigintOf(raw: unknown, typeName: string): bigint {
  if (typeof raw === 'number' && Number.isInteger(raw)) return BigInt(raw);
  if (typeof raw === 'string' && /^[+-]?\d+$/.test(raw.trim())) return BigInt(raw.trim());
  throw valueParseError(typeName, `invalid digit found in string: ${describe(raw)}`);
}

/**
 * The bytes of a `Bytes` query value: a hex string, parsed strictly like graph-node's `scalar::Bytes::from_str`
 * (`hex::decode`, graph/src/data/store/scalar/bytes.rs), whose error graph-node reports as a `ValueParseError`.
 */
function bytesFromQuery(raw: unknown): Uint8Array {
  if (typeof raw !== 'string') throw valueParseError('Bytes', `Invalid character in hex string: ${describe(raw)}`);
  try {
    return hexToBytes(raw);
  } catch (error) {
    if (error instanceof HexError) throw valueParseError('Bytes', error.reason);
    throw error;
  }
}

/** Convert one scalar (non-list) query value into a store value for a field whose named type is `typeName`. */
export function scalarFromQuery(schema: SchemaInfo, typeName: string, raw: unknown): Value {
  if (raw === null || raw === undefined) return { kind: 'Null' };
  const ref = typeInfo(schema, typeName);
  if (ref) {
    // References are filtered by the id of the referenced entity.
    switch (ref.idType) {
      case 'String':
        return { kind: 'String', value: String(raw) };
      case 'Bytes':
        return { kind: 'Bytes', value: bytesFromQuery(raw) };
      case 'Int8':
        return { kind: 'Int8', value: bigintOf(raw, 'Int8') };
    }
  }
  if (schema.enums.has(typeName)) return { kind: 'String', value: String(raw) };
  switch (typeName) {
    case 'ID':
    case 'String':
      if (typeof raw !== 'string') throw new QueryError(`Query contains value with invalid type \`${typeName}\`: \`${describe(raw)}\``);
      return { kind: 'String', value: raw };
    case 'Int':
      if (typeof raw !== 'number') throw new QueryError(`Query contains value with invalid type \`Int\`: \`${describe(raw)}\``);
      return { kind: 'Int', value: raw };
    case 'Int8':
      return { kind: 'Int8', value: bigintOf(raw, 'Int8') };
    case 'BigInt':
      return { kind: 'BigInt', value: bigintOf(raw, 'BigInt') };
    case 'Timestamp':
      return { kind: 'Timestamp', value: bigintOf(raw, 'Timestamp') };
    case 'BigDecimal': {
      const d = parseDecimal(typeof raw === 'number' ? String(raw) : String(raw));
      if (!d) throw valueParseError('BigDecimal', `failed to parse decimal: ${describe(raw)}`);
      return { kind: 'BigDecimal', value: formatDecimal(d) };
    }
    case 'Bytes':
      return { kind: 'Bytes', value: bytesFromQuery(raw) };
    case 'Boolean':
      if (typeof raw !== 'boolean') throw new QueryError(`Query contains value with invalid type \`Boolean\`: \`${describe(raw)}\``);
      return { kind: 'Bool', value: raw };
    default:
      throw new QueryError(`Query contains value with invalid type \`${typeName}\`: \`${describe(raw)}\``);
  }
}

/** Convert a filter value for `field`: lists element-wise, everything else as a scalar of the named type. */
export function fromQuery(schema: SchemaInfo, field: FieldInfo, raw: unknown, expectList: boolean): Value {
  if (raw === null || raw === undefined) return { kind: 'Null' };
  if (expectList) {
    if (!Array.isArray(raw)) throw new QueryError(`Non-list value passed to \`${field.name}\` filter`);
    return { kind: 'List', value: raw.map((r) => scalarFromQuery(schema, field.typeName, r)) };
  }
  return scalarFromQuery(schema, field.typeName, raw);
}
