/**
 * Rewrites a WASM binary so that every mutable global it defines is also exported (as
 * `__devnode_global_<index>`). AssemblyScript keeps module-level variables and the stub allocator's heap
 * pointer in such globals; exporting them lets the runner snapshot them after `_start` and put them back
 * before each trigger, so one instance can serve many triggers with exactly the state a fresh instance has.
 */

function readLeb(bytes: Uint8Array, at: number): { value: number; next: number } {
  let value = 0;
  let shift = 0;
  let next = at;
  for (;;) {
    const byte = bytes[next++]!;
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if ((byte & 0x80) === 0) return { value, next };
  }
}

function skipSignedLeb(bytes: Uint8Array, at: number): number {
  let next = at;
  while ((bytes[next++]! & 0x80) !== 0);
  return next;
}

function writeLeb(value: number): number[] {
  const out: number[] = [];
  let rest = value;
  do {
    let byte = rest % 128;
    rest = Math.floor(rest / 128);
    if (rest > 0) byte |= 0x80;
    out.push(byte);
  } while (rest > 0);
  return out;
}

function skipInitExpression(bytes: Uint8Array, at: number): number {
  let next = at;
  for (;;) {
    const opcode = bytes[next++]!;
    switch (opcode) {
      case 0x0b:
        return next;
      case 0x41: // i32.const
      case 0x42: // i64.const
        next = skipSignedLeb(bytes, next);
        break;
      case 0x43: // f32.const
        next += 4;
        break;
      case 0x44: // f64.const
        next += 8;
        break;
      case 0x23: // global.get
      case 0xd2: // ref.func
        next = readLeb(bytes, next).next;
        break;
      case 0xd0: // ref.null
        next += 1;
        break;
      default:
        throw new Error(`unsupported opcode 0x${opcode.toString(16)} in a global initializer`);
    }
  }
}

export interface GlobalExports {
  binary: Uint8Array;
  /** export names of the mutable globals */
  names: string[];
}

export function exportMutableGlobals(input: Uint8Array): GlobalExports {
  const bytes = input;
  let at = 8;
  let importedGlobals = 0;
  const mutable: number[] = [];
  const sections: Array<{ id: number; start: number; end: number; contentStart: number }> = [];
  while (at < bytes.length) {
    const id = bytes[at]!;
    const size = readLeb(bytes, at + 1);
    const contentStart = size.next;
    const end = contentStart + size.value;
    sections.push({ id, start: at, end, contentStart });
    if (id === 2) {
      let p = contentStart;
      const count = readLeb(bytes, p);
      p = count.next;
      for (let i = 0; i < count.value; i++) {
        const moduleName = readLeb(bytes, p);
        p = moduleName.next + moduleName.value;
        const fieldName = readLeb(bytes, p);
        p = fieldName.next + fieldName.value;
        const kind = bytes[p++]!;
        if (kind === 0) p = readLeb(bytes, p).next;
        else if (kind === 1) {
          p += 1;
          const flags = readLeb(bytes, p);
          p = readLeb(bytes, flags.next).next;
          if (flags.value & 1) p = readLeb(bytes, p).next;
        } else if (kind === 2) {
          const flags = readLeb(bytes, p);
          p = readLeb(bytes, flags.next).next;
          if (flags.value & 1) p = readLeb(bytes, p).next;
        } else if (kind === 3) {
          p += 2;
          importedGlobals++;
        } else throw new Error(`unknown import kind ${kind}`);
      }
    } else if (id === 6) {
      let p = contentStart;
      const count = readLeb(bytes, p);
      p = count.next;
      for (let i = 0; i < count.value; i++) {
        const isMutable = bytes[p + 1] === 1;
        const valueType = bytes[p]!;
        p = skipInitExpression(bytes, p + 2);
        // i32/i64/f32/f64 only (references cannot be read back as numbers)
        if (isMutable && valueType >= 0x7c && valueType <= 0x7f) mutable.push(importedGlobals + i);
      }
    }
    at = end;
  }
  const names = mutable.map((index) => `__devnode_global_${index}`);
  if (names.length === 0) return { binary: input, names };

  const extra: number[] = [];
  for (let i = 0; i < mutable.length; i++) {
    const name = Buffer.from(names[i]!, 'utf8');
    extra.push(...writeLeb(name.length), ...name, 0x03, ...writeLeb(mutable[i]!));
  }
  const exportSection = sections.find((s) => s.id === 7);
  const parts: Uint8Array[] = [bytes.subarray(0, 8)];
  const buildExportSection = (existingCount: number, existingEntries: Uint8Array) => {
    const content = new Uint8Array([...writeLeb(existingCount + mutable.length), ...existingEntries, ...extra]);
    return new Uint8Array([7, ...writeLeb(content.length), ...content]);
  };
  let inserted = false;
  for (const section of sections) {
    if (section.id === 7) {
      const count = readLeb(bytes, section.contentStart);
      parts.push(buildExportSection(count.value, bytes.subarray(count.next, section.end)));
      inserted = true;
      continue;
    }
    // no export section: insert one before the first section that must follow it (start, element, code…)
    if (!exportSection && !inserted && section.id !== 0 && section.id > 7) {
      parts.push(buildExportSection(0, new Uint8Array()));
      inserted = true;
    }
    parts.push(bytes.subarray(section.start, section.end));
  }
  if (!inserted) parts.push(buildExportSection(0, new Uint8Array()));
  return { binary: Buffer.concat(parts), names };
}
