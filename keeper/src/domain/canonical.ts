/**
 * Canonical JSON: object keys sorted by UTF-16 code units, no whitespace, bigints as decimal strings,
 * `undefined` members dropped, Uint8Arrays as 0x-hex. The same value always gives the same bytes, so the
 * bytes can be hashed (decisionHash) and content-addressed (0G root) and re-derived by any verifier.
 *
 * The writer walks the value with an explicit stack, so no nesting depth can overflow the call stack.
 */
export function canonicalJson(value: unknown): string {
  return write(value);
}

export function canonicalBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(canonicalJson(value));
}

/** Deepest nesting the API accepts in a JSON document (objects and arrays). */
export const MAX_JSON_DEPTH = 64;

/** Whether `value` nests objects/arrays deeper than `max` levels (iterative: safe for any depth). */
export function deeperThan(value: unknown, max: number): boolean {
  const stack: Array<{ v: unknown; d: number }> = [{ v: value, d: 0 }];
  while (stack.length > 0) {
    const { v, d } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d + 1 > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push({ v: child, d: d + 1 });
  }
  return false;
}

/** A scalar's canonical text, or null for a container that must be opened. */
function scalar(value: unknown): string | null {
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
    default:
      break;
  }
  if (value === null) return 'null';
  if (value instanceof Uint8Array) {
    // No Buffer: this module also runs in the browser (the dApp hashes spec documents with it).
    let hex = '';
    for (const byte of value) hex += byte.toString(16).padStart(2, '0');
    return `"0x${hex}"`;
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  return null;
}

/** An open container: its members still to write, and how it closes. */
interface Frame {
  obj: object;
  items: Array<[key: string | null, value: unknown]>;
  next: number;
  close: string;
}

function write(root: unknown): string {
  const out: string[] = [];
  const seen = new Set<object>();
  const stack: Frame[] = [];

  const open = (value: unknown): void => {
    const s = scalar(value);
    if (s !== null) {
      out.push(s);
      return;
    }
    let obj = value as object;
    // Maps and Sets are written as the object / array they hold; the cycle check is on the original.
    if (seen.has(obj)) throw new TypeError('canonical JSON: cycle');
    const orig = obj;
    if (obj instanceof Map) obj = Object.fromEntries(obj);
    else if (obj instanceof Set) obj = [...obj];
    seen.add(orig);
    if (Array.isArray(obj)) {
      out.push('[');
      stack.push({ obj: orig, items: Array.from(obj, (v): [null, unknown] => [null, v]), next: 0, close: ']' });
      return;
    }
    const entries = Object.entries(obj)
      .filter(([, v]) => v !== undefined && typeof v !== 'function' && typeof v !== 'symbol')
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    out.push('{');
    stack.push({ obj: orig, items: entries, next: 0, close: '}' });
  };

  open(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.next >= top.items.length) {
      out.push(top.close);
      seen.delete(top.obj);
      stack.pop();
      continue;
    }
    const [key, value] = top.items[top.next]!;
    if (top.next > 0) out.push(',');
    top.next++;
    if (key !== null) out.push(`${JSON.stringify(key)}:`);
    open(value);
  }
  return out.join('');
}
