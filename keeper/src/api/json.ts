// JSON-safe copies of domain values: bigint amounts become decimal strings (USDC base units), so a client
// never loses precision. The type follows the value, so `hc<AppType>` sees strings where the domain has bigints.
export type JsonSafe<T> = T extends bigint
  ? string
  : T extends Uint8Array
    ? never
    : T extends Array<infer U>
      ? JsonSafe<U>[]
      : T extends object
        ? { [K in keyof T as JsonSafe<T[K]> extends never ? never : K]: JsonSafe<T[K]> }
        : T;

export function toJsonSafe<T>(value: T): JsonSafe<T> {
  return convert(value) as JsonSafe<T>;
}

function convert(v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Uint8Array) return undefined;
  if (Array.isArray(v)) return v.map(convert);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const c = convert(x);
      if (c !== undefined) out[k] = c;
    }
    return out;
  }
  return v;
}
