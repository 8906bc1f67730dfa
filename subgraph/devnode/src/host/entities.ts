/**
 * Store values and entities as the mapping sees them: graph-ts `Value` and `TypedMap<string, Value>` on the WASM
 * heap, converted to and from the store's `Value` / `Entity`.
 */
import { AscHeap, HostError } from '../runtime/asc.js';
import * as Dec from '../runtime/bigdecimal.js';
import { TypeId } from '../runtime/type-ids.js';
import { newBigDecimal, newBigInt, readBigDecimal, readBigInt } from '../runtime/values.js';
import type { Entity, Value } from '../store/api.js';

/** graph-ts `ValueKind` */
export const StoreValueKind = {
  String: 0,
  Int: 1,
  BigDecimal: 2,
  Bool: 3,
  Array: 4,
  Null: 5,
  Bytes: 6,
  BigInt: 7,
  Int8: 8,
  Timestamp: 9,
} as const;

export function readStoreValue(heap: AscHeap, ptr: number): Value {
  const kind = heap.enumKind(ptr);
  switch (kind) {
    case StoreValueKind.String:
      return { kind: 'String', value: heap.readString(heap.enumPayloadU32(ptr)) };
    case StoreValueKind.Int:
      return { kind: 'Int', value: heap.enumPayloadU32(ptr) | 0 };
    case StoreValueKind.BigDecimal:
      return { kind: 'BigDecimal', value: Dec.toString(readBigDecimal(heap, heap.enumPayloadU32(ptr))) };
    case StoreValueKind.Bool:
      return { kind: 'Bool', value: heap.enumPayloadU32(ptr) !== 0 };
    case StoreValueKind.Array:
      return { kind: 'List', value: heap.readArrayU32(heap.enumPayloadU32(ptr)).map((p) => readStoreValue(heap, p)) };
    case StoreValueKind.Null:
      return { kind: 'Null' };
    case StoreValueKind.Bytes:
      return { kind: 'Bytes', value: heap.readBytes(heap.enumPayloadU32(ptr)) };
    case StoreValueKind.BigInt:
      return { kind: 'BigInt', value: readBigInt(heap, heap.enumPayloadU32(ptr)) };
    case StoreValueKind.Int8:
      return { kind: 'Int8', value: heap.enumPayloadI64(ptr) };
    case StoreValueKind.Timestamp:
      return { kind: 'Timestamp', value: heap.enumPayloadI64(ptr) };
    default:
      throw new HostError(`invalid discriminant for store value kind: ${kind}`);
  }
}

export function newStoreValue(heap: AscHeap, value: Value): number {
  switch (value.kind) {
    case 'String':
      return heap.newEnum(TypeId.StoreValue, StoreValueKind.String, heap.newString(value.value));
    case 'Int':
      return heap.newEnum(TypeId.StoreValue, StoreValueKind.Int, BigInt(value.value));
    case 'BigDecimal': {
      const parsed = Dec.parse(value.value);
      if (!parsed) throw new HostError(`stored BigDecimal is not a decimal: ${value.value}`);
      return heap.newEnum(TypeId.StoreValue, StoreValueKind.BigDecimal, newBigDecimal(heap, parsed));
    }
    case 'Bool':
      return heap.newEnum(TypeId.StoreValue, StoreValueKind.Bool, value.value ? 1 : 0);
    case 'List': {
      const items = value.value.map((v) => newStoreValue(heap, v));
      return heap.newEnum(TypeId.StoreValue, StoreValueKind.Array, heap.newArrayU32(items, TypeId.ArrayStoreValue));
    }
    case 'Null':
      return heap.newEnum(TypeId.StoreValue, StoreValueKind.Null, 0);
    case 'Bytes':
      return heap.newEnum(TypeId.StoreValue, StoreValueKind.Bytes, heap.newBytes(value.value));
    case 'BigInt':
      return heap.newEnum(TypeId.StoreValue, StoreValueKind.BigInt, newBigInt(heap, value.value));
    case 'Int8':
      return heap.newEnum(TypeId.StoreValue, StoreValueKind.Int8, value.value);
    case 'Timestamp':
      return heap.newEnum(TypeId.StoreValue, StoreValueKind.Timestamp, value.value);
  }
}

/** `TypedMap<string, Value>` (an Entity or a DataSourceContext). Later duplicates win, as in graph-node. */
export function readEntity(heap: AscHeap, ptr: number): Entity {
  heap.checkNotNull(ptr);
  const entity: Entity = new Map();
  for (const entryPtr of heap.readArrayU32(heap.field(ptr, 0))) {
    const key = heap.readString(heap.field(entryPtr, 0));
    entity.set(key, readStoreValue(heap, heap.field(entryPtr, 1)));
  }
  return entity;
}

/** Entities are handed to mappings with their fields sorted by name (graph-node `Entity::sorted`). */
export function newEntity(heap: AscHeap, entity: Entity): number {
  const keys = [...entity.keys()].sort();
  const entries = keys.map((key) => {
    const keyPtr = heap.newString(key);
    const valuePtr = newStoreValue(heap, entity.get(key)!);
    return heap.newObject(TypeId.TypedMapEntryStringStoreValue, [keyPtr, valuePtr]);
  });
  const array = heap.newArrayU32(entries, TypeId.ArrayTypedMapEntryStringStoreValue);
  return heap.newObject(TypeId.TypedMapStringStoreValue, [array]);
}
