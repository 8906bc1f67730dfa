/**
 * Canonical JSON: object keys sorted by UTF-16 code units, no whitespace, bigints as decimal strings,
 * `undefined` members dropped, Uint8Arrays as 0x-hex. The same value always gives the same bytes, so the
 * bytes can be hashed (decisionHash) and content-addressed (0G root) and re-derived by any verifier.
 */
export function canonicalJson(value: unknown): string {
  return write(value, new Set());
}

export function canonicalBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(canonicalJson(value));
}

function write(value: unknown, seen: Set<object>): string {
  switch (typeof value) {
    case 'bigint':
      return `"${value.toString()}"`;
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonical JSON: non-finite number ${value}`);
      return JSON.stringify(value);
    case 'undefined':
    case 'function':
    case 'symbol':
      return 'null';
    case 'object':
      break;
  }
  if (value === null) return 'null';
  const obj = value as object;
  if (seen.has(obj)) throw new TypeError('canonical JSON: cycle');
  seen.add(obj);
  try {
    if (obj instanceof Uint8Array) {
      // No Buffer: this module also runs in the browser (the dApp hashes spec documents with it).
      let hex = '';
      for (const byte of obj) hex += byte.toString(16).padStart(2, '0');
      return `"0x${hex}"`;
    }
    if (Array.isArray(obj)) {
      return `[${obj.map((v) => write(v, seen)).join(',')}]`;
    }
    if (obj instanceof Date) return JSON.stringify(obj.toISOString());
    if (obj instanceof Map) return write(Object.fromEntries(obj), seen);
    if (obj instanceof Set) return write([...obj], seen);
    const entries = Object.entries(obj)
      .filter(([, v]) => v !== undefined && typeof v !== 'function' && typeof v !== 'symbol')
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${write(v, seen)}`).join(',')}}`;
  } finally {
    seen.delete(obj);
  }
}
