/**
 * Conversions between host values and their AssemblyScript objects: BigInt, BigDecimal and JSON values
 * (`ethereum.Value` is in ethereum.ts; store values and entities, which belong to the store, in host/entities.ts).
 */
import { AscHeap } from './asc.js';
import { bigIntFromSignedLE, bigIntToSignedLE } from './bigint.js';
import * as Dec from './bigdecimal.js';
import { TypeId } from './type-ids.js';

// ---- BigInt / BigDecimal ---------------------------------------------------------------------------

export function readBigInt(heap: AscHeap, ptr: number): bigint {
  return bigIntFromSignedLE(heap.readBytes(ptr));
}

export function newBigInt(heap: AscHeap, value: bigint): number {
  return heap.newBytes(bigIntToSignedLE(value));
}

export function readBigDecimal(heap: AscHeap, ptr: number): Dec.Decimal {
  heap.checkNotNull(ptr);
  const digits = readBigInt(heap, heap.field(ptr, 0));
  const exp = readBigInt(heap, heap.field(ptr, 1));
  return Dec.fromDigitsAndExp(digits, exp);
}

export function newBigDecimal(heap: AscHeap, value: Dec.Decimal): number {
  const { digits, exp } = Dec.toDigitsAndExp(value);
  const digitsPtr = newBigInt(heap, digits);
  const expPtr = newBigInt(heap, exp);
  return heap.newObject(TypeId.BigDecimal, [digitsPtr, expPtr]);
}

// ---- JSON ------------------------------------------------------------------------------------------

export type Json =
  | { kind: 'null' }
  | { kind: 'bool'; value: boolean }
  /** numbers keep their source text (serde_json `arbitrary_precision`) */
  | { kind: 'number'; text: string }
  | { kind: 'string'; value: string }
  | { kind: 'array'; items: Json[] }
  /** keys sorted, duplicates resolved last-wins (serde_json's BTreeMap) */
  | { kind: 'object'; entries: Array<[string, Json]> };

export function newJson(heap: AscHeap, value: Json): number {
  switch (value.kind) {
    case 'null':
      return heap.newEnum(TypeId.JsonValue, 0, 0);
    case 'bool':
      return heap.newEnum(TypeId.JsonValue, 1, value.value ? 1 : 0);
    case 'number':
      return heap.newEnum(TypeId.JsonValue, 2, heap.newString(value.text));
    case 'string':
      return heap.newEnum(TypeId.JsonValue, 3, heap.newString(value.value));
    case 'array': {
      const items = value.items.map((item) => newJson(heap, item));
      return heap.newEnum(TypeId.JsonValue, 4, heap.newArrayU32(items, TypeId.ArrayJsonValue));
    }
    case 'object': {
      const entries = value.entries.map(([key, item]) => {
        const keyPtr = heap.newString(key);
        const valuePtr = newJson(heap, item);
        return heap.newObject(TypeId.TypedMapEntryStringJsonValue, [keyPtr, valuePtr]);
      });
      const map = heap.newObject(TypeId.TypedMapStringJsonValue, [
        heap.newArrayU32(entries, TypeId.ArrayTypedMapEntryStringJsonValue),
      ]);
      return heap.newEnum(TypeId.JsonValue, 5, map);
    }
  }
}
