/**
 * AssemblyScript (0.19, stub runtime) object layout as graph-node reads and writes it for apiVersion ≥ 0.0.5:
 * a 20-byte header precedes every object pointer (class id at ptr−8, payload size at ptr−4); strings are
 * UTF-16LE; an `ArrayBuffer` is raw bytes; a typed array is {buffer, dataStart, byteLength}; an `Array<T>` is
 * {buffer, dataStart, byteLength, length}; enums are {kind: u32, padding: u32, payload: u64}.
 *
 * Objects are allocated with the module's exported `__new(size, classId)` so the header is always the one
 * the AssemblyScript runtime itself would write. The stub runtime never frees memory.
 */
import { TypeId, type TypeIdValue } from './type-ids.js';

export interface AscExports {
  memory: WebAssembly.Memory;
  __new: (size: number, classId: number) => number;
  id_of_type: (typeId: number) => number;
  _start?: () => void;
}

const utf16 = new TextDecoder('utf-16le');

export class AscHeap {
  private buffer: ArrayBuffer;
  private u8: Uint8Array;
  private dv: DataView;
  private readonly memory: WebAssembly.Memory;
  private readonly ascNew: (size: number, classId: number) => number;

  constructor(
    exports: AscExports,
    /** class ids resolved through `id_of_type`, shared by every instance of one compiled module */
    private readonly classIds: Map<number, number>,
    private readonly idOfType: (typeId: number) => number,
  ) {
    this.memory = exports.memory;
    this.ascNew = exports.__new;
    this.buffer = this.memory.buffer;
    this.u8 = new Uint8Array(this.buffer);
    this.dv = new DataView(this.buffer);
  }

  /** Memory may have grown (and the old ArrayBuffer been detached) during any call into WASM. */
  private refresh(): void {
    // memory.grow detaches the old ArrayBuffer (its views read 0 bytes): cheaper than the `buffer` getter
    if (this.u8.byteLength === 0) {
      this.buffer = this.memory.buffer;
      this.u8 = new Uint8Array(this.buffer);
      this.dv = new DataView(this.buffer);
    }
  }

  classId(typeId: TypeIdValue): number {
    let id = this.classIds.get(typeId);
    if (id === undefined) {
      id = this.idOfType(typeId);
      this.classIds.set(typeId, id);
    }
    return id;
  }

  alloc(size: number, typeId: TypeIdValue): number {
    const ptr = this.ascNew(size, this.classId(typeId));
    this.refresh();
    return ptr;
  }

  // ---- raw access ---------------------------------------------------------------------------------

  u32(ptr: number): number {
    this.refresh();
    return this.dv.getUint32(ptr, true);
  }

  i32(ptr: number): number {
    this.refresh();
    return this.dv.getInt32(ptr, true);
  }

  i64(ptr: number): bigint {
    this.refresh();
    return this.dv.getBigInt64(ptr, true);
  }

  setU32(ptr: number, value: number): void {
    this.dv.setUint32(ptr, value >>> 0, true);
  }

  setI64(ptr: number, value: bigint): void {
    this.dv.setBigInt64(ptr, value, true);
  }

  /** Payload size recorded in the object header. */
  size(ptr: number): number {
    return this.u32(ptr - 4);
  }

  checkNotNull(ptr: number): void {
    if (ptr === 0) {
      throw new HostError(
        "Tried to read AssemblyScript value that is 'null'. Suggestion: look into the function that the error happened and add 'log' calls till you find where a 'null' value is being used as non-nullable. It's likely that you're calling a 'graph-ts' function (or operator) with a 'null' value when it doesn't support it.",
      );
    }
  }

  // ---- strings ------------------------------------------------------------------------------------

  readString(ptr: number): string {
    this.checkNotNull(ptr);
    this.refresh();
    const byteLength = this.size(ptr);
    if (byteLength < 64) {
      let out = '';
      for (let i = 0; i < byteLength; i += 2) out += String.fromCharCode(this.u8[ptr + i]! | (this.u8[ptr + i + 1]! << 8));
      return out;
    }
    return utf16.decode(this.u8.subarray(ptr, ptr + byteLength));
  }

  readNullableString(ptr: number): string | null {
    return ptr === 0 ? null : this.readString(ptr);
  }

  newString(value: string): number {
    const ptr = this.alloc(value.length * 2, TypeId.String);
    const u8 = this.u8;
    for (let i = 0, at = ptr; i < value.length; i++, at += 2) {
      const code = value.charCodeAt(i);
      u8[at] = code & 0xff;
      u8[at + 1] = code >>> 8;
    }
    return ptr;
  }

  // ---- bytes (Uint8Array views over an ArrayBuffer) ------------------------------------------------

  readBytes(ptr: number): Uint8Array {
    this.checkNotNull(ptr);
    this.refresh();
    const dataStart = this.dv.getUint32(ptr + 4, true);
    const byteLength = this.dv.getInt32(ptr + 8, true);
    return this.u8.slice(dataStart, dataStart + byteLength);
  }

  newBytes(bytes: Uint8Array, typeId: TypeIdValue = TypeId.Uint8Array): number {
    const buffer = this.alloc(bytes.length, TypeId.ArrayBuffer);
    this.u8.set(bytes, buffer);
    const view = this.alloc(12, typeId);
    this.setU32(view, buffer);
    this.setU32(view + 4, buffer);
    this.setU32(view + 8, bytes.length);
    return view;
  }

  // ---- Array<T> -----------------------------------------------------------------------------------

  /** Elements of an `Array<T>` of pointers (or of 32-bit values). */
  readArrayU32(ptr: number): number[] {
    this.checkNotNull(ptr);
    this.refresh();
    const dataStart = this.dv.getUint32(ptr + 4, true);
    const length = this.dv.getInt32(ptr + 12, true);
    const out = new Array<number>(length);
    for (let i = 0; i < length; i++) out[i] = this.dv.getUint32(dataStart + 4 * i, true);
    return out;
  }

  readArrayI32(ptr: number): number[] {
    return this.readArrayU32(ptr).map((v) => v | 0);
  }

  newArrayU32(values: readonly number[], typeId: TypeIdValue): number {
    const byteLength = values.length * 4;
    const buffer = this.alloc(byteLength, TypeId.ArrayBuffer);
    for (let i = 0; i < values.length; i++) this.setU32(buffer + 4 * i, values[i]!);
    const array = this.alloc(16, typeId);
    this.setU32(array, buffer);
    this.setU32(array + 4, buffer);
    this.setU32(array + 8, byteLength);
    this.setU32(array + 12, values.length);
    return array;
  }

  readStringArray(ptr: number): string[] {
    return this.readArrayU32(ptr).map((p) => this.readString(p));
  }

  newStringArray(values: readonly string[]): number {
    return this.newArrayU32(
      values.map((v) => this.newString(v)),
      TypeId.ArrayString,
    );
  }

  // ---- plain objects and enums --------------------------------------------------------------------

  /** An object whose fields are all 32-bit (pointers, i32, u32). */
  newObject(typeId: TypeIdValue, fields: readonly number[]): number {
    const ptr = this.alloc(fields.length * 4, typeId);
    for (let i = 0; i < fields.length; i++) this.setU32(ptr + 4 * i, fields[i]!);
    return ptr;
  }

  field(ptr: number, index: number): number {
    return this.u32(ptr + 4 * index);
  }

  newEnum(typeId: TypeIdValue, kind: number, payload: bigint | number): number {
    const ptr = this.alloc(16, typeId);
    this.setU32(ptr, kind);
    this.setU32(ptr + 4, 0);
    this.setI64(ptr + 8, typeof payload === 'bigint' ? payload : BigInt(payload));
    return ptr;
  }

  enumKind(ptr: number): number {
    this.checkNotNull(ptr);
    return this.u32(ptr);
  }

  /** Low 32 bits of the payload: a pointer, an i32 or a bool. */
  enumPayloadU32(ptr: number): number {
    return this.u32(ptr + 8);
  }

  enumPayloadI64(ptr: number): bigint {
    return this.i64(ptr + 8);
  }

  newWrappedBool(value: boolean): number {
    const ptr = this.alloc(4, TypeId.WrappedBool);
    this.setU32(ptr, value ? 1 : 0);
    return ptr;
  }
}

/**
 * A deterministic failure raised by a host function: it unwinds through WASM and fails the handler with
 * this message (graph-node's `DeterministicHostError`).
 */
export class HostError extends Error {
  constructor(
    message: string,
    readonly deterministic = true,
  ) {
    super(message);
    this.name = 'HostError';
  }
}
