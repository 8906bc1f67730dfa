/**
 * Collection queries with graph-node's semantics (graph-node `graphql/src/store/query.rs` and
 * `store/postgres/src/relational_queries.rs`):
 * - `where` operators follow SQL: comparisons never match NULL, `_in: []` and `_not_in: []` match nothing,
 *   `_contains`/`_starts_with`/`_ends_with` on strings are LIKE patterns (`%` and `_` keep their wildcard
 *   meaning, as in graph-node), `_nocase` is ILIKE with the C locale (ASCII case folding), list
 *   `_contains` means "contains all", list `_not_contains` means "shares none";
 * - ordering is `ORDER BY <key> <dir>, id <dir>` (nulls last ascending, first descending, as Postgres);
 *   without `orderBy` it is `id` ascending whatever `orderDirection` says; child ordering
 *   (`parent__field`) breaks ties by the child's id, then the entity's id;
 * - `first` must be in 1..=1000 (default 100), `skip` in 0..=5000 (default 0).
 * Filtering and ordering use the store's indexes: id lookups, the reverse-reference index for equality on
 * references and derived fields, and the store's per-field sorted views at the head (scanned in order and
 * stopped once `skip + first` rows matched).
 */
import type { Value } from '../store/api.js';
import type { StoredVersion, VersionedStore } from '../store/memory.js';
import type { EntityTypeInfo, FieldInfo, InterfaceInfo, SchemaInfo } from '../schema/index.js';
import { concreteTypes, typeInfo } from '../schema/index.js';
import { compareBytes, compareValues, valuesEqual, storedHex } from '../store/values.js';
import { fieldFilterInputs, type FilterInput } from './api-schema.js';
import { QueryError, invalidFilterError, rangeError } from './errors.js';
import { fromQuery } from './values.js';

export const MAX_FIRST = 1000;
export const MAX_SKIP = 5000;

export interface QueryContext {
  schema: SchemaInfo;
  store: VersionedStore;
  block: number;
  /** Whether `block` is the store head (enables the sorted head indexes). */
  atHead: boolean;
}

/** One entity version as seen by a query, tagged with its concrete type. */
export interface Row {
  type: EntityTypeInfo;
  v: StoredVersion;
}

type Predicate = (v: StoredVersion) => boolean;
const NULL: Value = { kind: 'Null' };

// ------------------------------------------------------------------------------------------- arguments

export interface CollectionArgs {
  first?: number | null;
  skip?: number | null;
  orderBy?: string | null;
  orderDirection?: 'asc' | 'desc' | null;
  where?: Record<string, unknown> | null;
}

export function parseRange(args: CollectionArgs): { first: number; skip: number } {
  let first = 100;
  if (args.first !== undefined && args.first !== null) {
    if (!(args.first > 0 && args.first <= MAX_FIRST)) throw rangeError('first', MAX_FIRST, args.first);
    first = args.first;
  }
  let skip = 0;
  if (args.skip !== undefined && args.skip !== null) {
    if (!(args.skip >= 0 && args.skip <= MAX_SKIP)) throw rangeError('skip', MAX_SKIP, args.skip);
    skip = args.skip;
  }
  return { first, skip };
}

// ------------------------------------------------------------------------------------------- filters

const inputCache = new WeakMap<EntityTypeInfo | InterfaceInfo, Map<string, FilterInput>>();
function filterInputs(schema: SchemaInfo, t: EntityTypeInfo | InterfaceInfo): Map<string, FilterInput> {
  let m = inputCache.get(t);
  if (!m) {
    m = new Map(t.fields.flatMap((f) => fieldFilterInputs(schema, f)).map((i) => [i.key, i]));
    inputCache.set(t, m);
  }
  return m;
}

function refKeysOf(v: Value | undefined): string[] {
  if (!v) return [];
  switch (v.kind) {
    case 'String':
      return [v.value];
    case 'Bytes':
      return [storedHex(v.value)];
    case 'Int8':
    case 'Int':
      return [v.value.toString()];
    case 'List':
      return v.value.flatMap((x) => refKeysOf(x));
    default:
      return [];
  }
}

/** SQL LIKE (`%`, `_`, backslash escapes) as a RegExp; ILIKE folds ASCII case only (C locale). */
const likeCache = new Map<string, RegExp>();
function likeRegex(pattern: string, nocase: boolean): RegExp {
  const key = `${nocase ? 'i' : 's'}${pattern}`;
  let re = likeCache.get(key);
  if (re) return re;
  let src = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) {
      src += escapeRe(pattern[++i]!);
    } else if (c === '%') src += '[\\s\\S]*';
    else if (c === '_') src += '[\\s\\S]';
    else if (nocase && /[a-zA-Z]/.test(c)) src += `[${c.toLowerCase()}${c.toUpperCase()}]`;
    else src += escapeRe(c);
  }
  re = new RegExp(`${src}$`, 'u');
  if (likeCache.size > 10_000) likeCache.clear();
  likeCache.set(key, re);
  return re;
}
const escapeRe = (c: string) => c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

function containsPattern(s: string): string {
  return s.startsWith('%') || s.endsWith('%') ? s : `%${s}%`;
}

function bytesContain(hay: Uint8Array, needle: Uint8Array): boolean {
  if (needle.length === 0) return true;
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/** The string form of a stored value for string operators on references (ids). */
function asText(v: Value): string | null {
  switch (v.kind) {
    case 'String':
      return v.value;
    case 'Bytes':
      return storedHex(v.value);
    case 'Int8':
    case 'Int':
      return v.value.toString();
    default:
      return null;
  }
}

function opPredicate(field: string, op: string, value: Value, listField: boolean): Predicate {
  const get = (v: StoredVersion) => v.data.get(field) ?? NULL;
  const isNull = (x: Value) => x.kind === 'Null';
  switch (op) {
    case '':
      if (isNull(value)) return (v) => isNull(get(v));
      return (v) => {
        const x = get(v);
        return !isNull(x) && valuesEqual(x, value);
      };
    case 'not':
      if (isNull(value)) return (v) => !isNull(get(v));
      return (v) => {
        const x = get(v);
        return !isNull(x) && !valuesEqual(x, value);
      };
    case 'gt':
    case 'lt':
    case 'gte':
    case 'lte': {
      if (isNull(value)) throw new QueryError(`unsupported filter \`${op}\` for value \`null\``);
      const test =
        op === 'gt' ? (c: number) => c > 0 : op === 'lt' ? (c: number) => c < 0 : op === 'gte' ? (c: number) => c >= 0 : (c: number) => c <= 0;
      return (v) => {
        const x = get(v);
        return !isNull(x) && test(compareValues(x, value));
      };
    }
    case 'in':
    case 'not_in': {
      if (value.kind !== 'List') throw new QueryError(`Non-list value passed to \`_${op}\` filter`);
      const items = value.value;
      if (items.length === 0) return () => false;
      const kinds = new Set(items.map((i) => i.kind));
      if (kinds.size > 1) {
        throw new QueryError(
          `Values passed to filter \`_${op}\` must be of the same type but are of different types: ${items[0]!.kind}, ${[...kinds][1]}`,
        );
      }
      const haveNulls = items.some(isNull);
      const nonNull = items.filter((i) => !isNull(i));
      const keys = new Set(nonNull.map(valueKey));
      if (op === 'in') {
        return (v) => {
          const x = get(v);
          if (isNull(x)) return haveNulls;
          return keys.has(valueKey(x));
        };
      }
      return (v) => {
        const x = get(v);
        if (isNull(x)) return false;
        // SQL: (col is not null [or col not in (…)])
        if (haveNulls) return true;
        return !keys.has(valueKey(x));
      };
    }
    case 'contains':
    case 'not_contains':
    case 'contains_nocase':
    case 'not_contains_nocase': {
      const negated = op.startsWith('not_');
      const nocase = op.endsWith('_nocase');
      if (listField) {
        if (value.kind !== 'List') throw new QueryError(`Non-list value passed to \`${field}\` filter`);
        const wanted = value.value;
        if (nocase) {
          const res = wanted.map((w) => likeRegex(asText(w) ?? '', true));
          return (v) => {
            const x = get(v);
            if (x.kind !== 'List') return false;
            const any = x.value.some((el) => {
              const s = asText(el);
              return s !== null && res.some((re) => re.test(s));
            });
            return negated ? !any : any;
          };
        }
        return (v) => {
          const x = get(v);
          if (x.kind !== 'List') return false;
          if (negated) return !wanted.some((w) => x.value.some((el) => valuesEqual(el, w)));
          return wanted.every((w) => x.value.some((el) => valuesEqual(el, w)));
        };
      }
      if (value.kind === 'Bytes') {
        const needle = value.value;
        return (v) => {
          const x = get(v);
          if (x.kind !== 'Bytes') return false;
          return bytesContain(x.value, needle) !== negated;
        };
      }
      const text = asText(value);
      if (text === null) throw new QueryError(`unsupported filter \`${op}\` for value \`${String(valueKey(value))}\``);
      const re = likeRegex(containsPattern(text), nocase);
      return (v) => {
        const x = get(v);
        const s = isNull(x) ? null : asText(x);
        return s !== null && re.test(s) !== negated;
      };
    }
    case 'starts_with':
    case 'starts_with_nocase':
    case 'not_starts_with':
    case 'not_starts_with_nocase':
    case 'ends_with':
    case 'ends_with_nocase':
    case 'not_ends_with':
    case 'not_ends_with_nocase': {
      const negated = op.startsWith('not_');
      const nocase = op.endsWith('_nocase');
      const text = value.kind === 'String' ? value.value : null;
      if (text === null) throw new QueryError(`unsupported filter \`${op}\` for value \`${String(valueKey(value))}\``);
      const re = likeRegex(op.includes('starts_with') ? `${text}%` : `%${text}`, nocase);
      return (v) => {
        const x = get(v);
        const s = isNull(x) ? null : asText(x);
        return s !== null && re.test(s) !== negated;
      };
    }
    default:
      throw new QueryError(`unsupported filter \`${op}\``);
  }
}

function valueKey(v: Value): string {
  switch (v.kind) {
    case 'Bytes':
      return `x${storedHex(v.value)}`;
    case 'List':
      return `l[${v.value.map(valueKey).join(',')}]`;
    case 'Null':
      return 'n';
    case 'Bool':
      return `b${v.value}`;
    case 'BigDecimal':
      return `d${v.value}`;
    default:
      return `${v.kind[0]}${v.value.toString()}`;
  }
}

interface CompiledFilter {
  test: Predicate;
  /** Candidate ids known from an `id`/`id_in` filter or a reference equality (for index use). */
  hint?: { kind: 'ids'; ids: string[] } | { kind: 'ref'; field: string; id: string };
  /** Bounds of a `_gt`/`_gte`/`_lt`/`_lte` filter on a scalar field: every match lies in this slice of the
   *  field's sorted view (the full `test` still decides). */
  range?: RangeHint;
}

interface RangeHint {
  field: string;
  lo?: { value: Value; inclusive: boolean };
  hi?: { value: Value; inclusive: boolean };
}

/**
 * Compile a `where` object against concrete type `t`. `declared` is the type the filter was written for
 * (an interface when querying an interface collection).
 */
export function compileFilter(
  ctx: QueryContext,
  t: EntityTypeInfo,
  declared: EntityTypeInfo | InterfaceInfo,
  where: Record<string, unknown>,
  allowChild = true,
): CompiledFilter {
  const keys = Object.keys(where);
  if (where['or'] !== undefined && where['or'] !== null) {
    const columns = keys.filter((k) => k !== 'or' && k !== 'and' && k !== '_change_block').map((k) => `'${k}'`);
    if (columns.length > 0) {
      const list = columns.join(', ');
      throw new QueryError(
        `Cannot mix column filters with 'or' operator at the same level. Found column filter(s) ${list} alongside 'or' operator.\n\n` +
          `Instead of:\nwhere: { ${list}, or: [...] }\n\nUse:\nwhere: { or: [{ ${list}, ... }, { ${list}, ... }] }`,
      );
    }
  }
  const preds: Predicate[] = [];
  let hint: CompiledFilter['hint'];
  let range: RangeHint | undefined;
  const inputs = filterInputs(ctx.schema, declared);
  for (const key of keys) {
    const raw = where[key];
    if (raw === undefined) continue;
    if (key === '_change_block') {
      const gte = (raw as { number_gte?: unknown } | null)?.number_gte;
      if (typeof gte !== 'number') throw invalidFilterError();
      preds.push((v) => v.start >= gte);
      continue;
    }
    if (key === 'and' || key === 'or') {
      // graph-node builds the boolean filter from every value of this object (query.rs
      // `build_list_filter_from_object`): each must be a list of filter objects.
      const subs: Predicate[] = [];
      for (const k of keys) {
        const list = where[k];
        if (!Array.isArray(list)) throw invalidFilterError();
        for (const item of list) {
          if (item === null || typeof item !== 'object' || Array.isArray(item)) throw invalidFilterError();
          subs.push(compileFilter(ctx, t, declared, item as Record<string, unknown>, allowChild).test);
        }
      }
      preds.push(key === 'and' ? (v) => subs.every((p) => p(v)) : (v) => subs.some((p) => p(v)));
      continue;
    }
    const input = inputs.get(key);
    if (!input) throw new QueryError(`Type \`${declared.name}\` has no field \`${key}\``);
    const field = t.fieldMap.get(input.field.name) ?? input.field;
    if (input.op === 'child') {
      if (!allowChild) {
        throw new QueryError(`Child filter nesting not supported by value \`${field.name}\`: \`${JSON.stringify(raw)}\``);
      }
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
        throw new QueryError(`Query contains value with invalid type \`${field.typeName}_filter\`: \`${JSON.stringify(raw)}\``);
      }
      preds.push(childPredicate(ctx, field, raw as Record<string, unknown>));
      continue;
    }
    const listValue = input.op === 'in' || input.op === 'not_in' || field.list;
    const value = fromQuery(ctx.schema, field, raw, listValue);
    preds.push(opPredicate(field.name, input.op, value, field.list));
    if (
      (input.op === 'gt' || input.op === 'gte' || input.op === 'lt' || input.op === 'lte') &&
      !field.list &&
      value.kind !== 'Null' &&
      (!range || range.field === field.name)
    ) {
      // any one bound is a superset of the matches: keeping the last of several on one field is safe
      range ??= { field: field.name };
      const bound = { value, inclusive: input.op === 'gte' || input.op === 'lte' };
      if (input.op === 'gt' || input.op === 'gte') range.lo = bound;
      else range.hi = bound;
    }
    if (!hint && value.kind !== 'Null') {
      if (field.name === 'id' && input.op === '') hint = { kind: 'ids', ids: refKeysOf(value) };
      else if (field.name === 'id' && input.op === 'in' && value.kind === 'List') hint = { kind: 'ids', ids: refKeysOf(value) };
      else if (
        input.op === '' &&
        !field.list &&
        (field.kind === 'entity' || field.kind === 'interface') &&
        field.derivedFrom === undefined
      ) {
        hint = { kind: 'ref', field: field.name, id: refKeysOf(value)[0]! };
      }
    }
  }
  const test: Predicate =
    preds.length === 0 ? () => true : preds.length === 1 ? preds[0]! : (v) => preds.every((p) => p(v));
  return { test, ...(hint ? { hint } : {}), ...(range ? { range } : {}) };
}

/** The slice [start, end) of `sorted` (ordered by `compareValues` on `range.field`) holding every match. */
function rangeSlice(sorted: readonly StoredVersion[], range: RangeHint): [number, number] {
  const get = (v: StoredVersion) => v.data.get(range.field) ?? NULL;
  // first index whose value is past the bound (nulls sort last, so the predicate is monotone)
  const firstWhere = (past: (c: number) => boolean, value: Value) => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (past(compareValues(get(sorted[mid]!), value))) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  const start = range.lo ? firstWhere(range.lo.inclusive ? (c) => c >= 0 : (c) => c > 0, range.lo.value) : 0;
  const end = range.hi ? firstWhere(range.hi.inclusive ? (c) => c > 0 : (c) => c >= 0, range.hi.value) : sorted.length;
  return [start, Math.max(start, end)];
}

/** `field_: { … }`: a related entity (at the same block) must match the child filter. */
function childPredicate(ctx: QueryContext, field: FieldInfo, where: Record<string, unknown>): Predicate {
  const declared = typeInfo(ctx.schema, field.typeName)!;
  let matching: Set<string> | null = null;
  const compute = (): Set<string> => {
    const out = new Set<string>();
    for (const ct of concreteTypes(ctx.schema, field.typeName)) {
      const f = compileFilter(ctx, ct, declared, where, false);
      for (const v of ctx.store.entitiesAt(ct.name, ctx.block)) {
        if (!f.test(v)) continue;
        if (field.derivedFrom === undefined) out.add(v.id);
        else for (const k of refKeysOf(v.data.get(field.derivedFrom))) out.add(k);
      }
    }
    return out;
  };
  if (field.derivedFrom === undefined) {
    return (v) => {
      matching ??= compute();
      return refKeysOf(v.data.get(field.name)).some((k) => matching!.has(k));
    };
  }
  if (field.derivedFrom === 'id') {
    return (v) => {
      matching ??= compute();
      return matching.has(v.id);
    };
  }
  return (v) => {
    matching ??= compute();
    return matching.has(v.id);
  };
}

// ------------------------------------------------------------------------------------------- ordering

interface Order {
  kind: 'id' | 'field' | 'child';
  field?: string;
  child?: { field: FieldInfo; childField: string };
  desc: boolean;
}

export function parseOrder(
  ctx: QueryContext,
  declared: EntityTypeInfo | InterfaceInfo,
  args: CollectionArgs,
): Order {
  const desc = args.orderDirection === 'desc';
  if (!args.orderBy) return { kind: 'id', desc: false };
  const sep = args.orderBy.indexOf('__');
  if (sep < 0) {
    const f = declared.fieldMap.get(args.orderBy);
    if (!f) throw new QueryError(`Entity \`${declared.name}\` has no attribute \`${args.orderBy}\``);
    if (f.derivedFrom !== undefined) {
      throw new QueryError(`Ordering by \`${f.name}\` is not supported for type \`${declared.name}\``);
    }
    if (f.name === 'id') return { kind: 'id', desc };
    return { kind: 'field', field: f.name, desc };
  }
  const parentName = args.orderBy.slice(0, sep);
  const childName = args.orderBy.slice(sep + 2);
  const f = declared.fieldMap.get(parentName);
  if (!f) throw new QueryError(`Entity \`${declared.name}\` has no attribute \`${parentName}\``);
  const child = typeInfo(ctx.schema, f.typeName);
  if (!child || !child.fieldMap.has(childName)) {
    throw new QueryError(`Entity \`${child?.name ?? f.typeName}\` has no attribute \`${childName}\``);
  }
  return { kind: 'child', child: { field: f, childField: childName }, desc };
}

function childOf(ctx: QueryContext, row: Row, field: FieldInfo): StoredVersion | null {
  const f = row.type.fieldMap.get(field.name) ?? field;
  if (f.derivedFrom === undefined) {
    const id = refKeysOf(row.v.data.get(f.name))[0];
    if (id === undefined) return null;
    for (const ct of concreteTypes(ctx.schema, f.typeName)) {
      const c = ctx.store.getAt(ct.name, id, ctx.block);
      if (c) return c;
    }
    return null;
  }
  for (const ct of concreteTypes(ctx.schema, f.typeName)) {
    const cs = ctx.store.referencing(ct.name, f.derivedFrom, row.v.id, ctx.block);
    if (cs.length > 0) return cs[0]!;
  }
  return null;
}

function idValue(v: StoredVersion): Value {
  return v.data.get('id') ?? { kind: 'String', value: v.id };
}

function comparator(ctx: QueryContext, order: Order): (a: Row, b: Row) => number {
  const dir = order.desc ? -1 : 1;
  const byId = (a: Row, b: Row) => compareValues(idValue(a.v), idValue(b.v));
  switch (order.kind) {
    case 'id':
      return (a, b) => dir * byId(a, b);
    case 'field': {
      const f = order.field!;
      return (a, b) => {
        const c = compareValues(a.v.data.get(f) ?? NULL, b.v.data.get(f) ?? NULL);
        return dir * (c !== 0 ? c : byId(a, b));
      };
    }
    case 'child': {
      const { field, childField } = order.child!;
      const targets = concreteTypes(ctx.schema, field.typeName);
      if (ctx.atHead && targets.length === 1 && field.derivedFrom === undefined) {
        // The child type's sorted head view gives each child its rank in (value, id) order.
        const ranks = ctx.store.rankAtHead(targets[0]!.name, childField);
        const rankOf = (r: Row): number => {
          const ref = r.v.data.get(field.name);
          const id = !ref ? undefined : ref.kind === 'Bytes' ? storedHex(ref.value) : ref.kind === 'String' ? ref.value : refKeysOf(ref)[0];
          return id === undefined ? Number.MAX_SAFE_INTEGER : (ranks.get(id) ?? Number.MAX_SAFE_INTEGER);
        };
        return (a, b) => {
          const c = rankOf(a) - rankOf(b);
          return dir * (c !== 0 ? c : byId(a, b));
        };
      }
      // Decorate once per row: the child's sort value and id (a WeakMap keeps rows untouched).
      const keys = new WeakMap<Row, { value: Value; childId: Value | null }>();
      const keyOf = (r: Row) => {
        let k = keys.get(r);
        if (!k) {
          const c = childOf(ctx, r, field);
          k = { value: c?.data.get(childField) ?? NULL, childId: c ? idValue(c) : null };
          keys.set(r, k);
        }
        return k;
      };
      return (a, b) => {
        const ka = keyOf(a);
        const kb = keyOf(b);
        let c = compareValues(ka.value, kb.value);
        if (c === 0 && ka.childId && kb.childId) c = compareValues(ka.childId, kb.childId);
        else if (c === 0 && (ka.childId || kb.childId)) c = ka.childId ? -1 : 1;
        return dir * (c !== 0 ? c : byId(a, b));
      };
    }
  }
}

// ------------------------------------------------------------------------------------------- execution

/**
 * Run a collection query over `typeName` (entity or interface). `candidates`, when given, restricts the
 * rows to those (used for derived and list fields).
 */
export function runCollection(
  ctx: QueryContext,
  typeName: string,
  args: CollectionArgs,
  candidates?: Row[],
): Row[] {
  const declared = typeInfo(ctx.schema, typeName);
  if (!declared) throw new QueryError(`Failed to resolve named type \`${typeName}\``);
  const { first, skip } = parseRange(args);
  const order = parseOrder(ctx, declared, args);
  const types = concreteTypes(ctx.schema, typeName);
  const where = args.where ?? null;
  const filters = new Map<string, CompiledFilter>();
  for (const t of types) filters.set(t.name, where ? compileFilter(ctx, t, declared, where) : { test: () => true });
  const limit = skip + first;

  if (candidates) {
    const rows = candidates.filter((r) => filters.get(r.type.name)!.test(r.v));
    rows.sort(comparator(ctx, order));
    return rows.slice(skip, limit);
  }

  // Range path: one concrete type at the head, a range filter on a scalar field and no narrower hint:
  // binary-search the field's sorted view. Ordered by that same field, walk the slice in order and stop
  // after `skip + first` matches; ordered otherwise, take the slice when it is small and sort its matches.
  if (types.length === 1 && ctx.atHead && order.kind !== 'child') {
    const t = types[0]!;
    const f = filters.get(t.name)!;
    if (!f.hint && f.range) {
      const orderField = order.kind === 'id' ? 'id' : order.field!;
      const sorted = ctx.store.sortedAtHead(t.name, f.range.field);
      const [start, end] = rangeSlice(sorted, f.range);
      if (orderField === f.range.field) {
        const out: Row[] = [];
        let matched = 0;
        if (!order.desc) {
          for (let i = start; i < end && matched < limit; i++) {
            const v = sorted[i]!;
            if (f.test(v) && matched++ >= skip) out.push({ type: t, v });
          }
        } else {
          for (let i = end - 1; i >= start && matched < limit; i--) {
            const v = sorted[i]!;
            if (f.test(v) && matched++ >= skip) out.push({ type: t, v });
          }
        }
        return out;
      }
      if (end - start <= Math.max(2_000, sorted.length >> 3)) {
        const rows: Row[] = [];
        for (let i = start; i < end; i++) {
          const v = sorted[i]!;
          if (f.test(v)) rows.push({ type: t, v });
        }
        const cmp = comparator(ctx, order);
        if (rows.length > limit * 4 && limit < 2000) return topK(rows, limit, cmp).slice(skip);
        rows.sort(cmp);
        return rows.slice(skip, limit);
      }
    }
  }

  // Fast path: one concrete type at the head, ordered by id or a scalar field, no narrowing hint:
  // scan the store's sorted view in order and stop after `skip + first` matches.
  if (types.length === 1 && ctx.atHead && order.kind !== 'child') {
    const t = types[0]!;
    const f = filters.get(t.name)!;
    if (!f.hint) {
      const sorted = ctx.store.sortedAtHead(t.name, order.kind === 'id' ? 'id' : order.field!);
      const out: Row[] = [];
      let matched = 0;
      if (!order.desc) {
        for (let i = 0; i < sorted.length && matched < limit; i++) {
          const v = sorted[i]!;
          if (f.test(v) && matched++ >= skip) out.push({ type: t, v });
        }
      } else {
        for (let i = sorted.length - 1; i >= 0 && matched < limit; i--) {
          const v = sorted[i]!;
          if (f.test(v) && matched++ >= skip) out.push({ type: t, v });
        }
      }
      return out;
    }
  }

  // Child ordering at the head: walk the child type's sorted view and join each child's parents (from
  // the reverse-reference index) instead of sorting every parent.
  if (types.length === 1 && ctx.atHead && order.kind === 'child') {
    const t = types[0]!;
    const f = filters.get(t.name)!;
    const pf = t.fieldMap.get(order.child!.field.name) ?? order.child!.field;
    const targets = concreteTypes(ctx.schema, pf.typeName);
    if (!f.hint && targets.length === 1 && pf.derivedFrom === undefined && !pf.list) {
      const childType = targets[0]!.name;
      const children = ctx.store.sortedAtHead(childType, order.child!.childField);
      const byId = (a: StoredVersion, b: StoredVersion) => compareValues(idValue(a), idValue(b)) * (order.desc ? -1 : 1);
      const out: Row[] = [];
      let matched = 0;
      const take = (vs: StoredVersion[]) => {
        vs.sort(byId);
        for (const v of vs) {
          if (matched >= limit) return;
          if (f.test(v) && matched++ >= skip) out.push({ type: t, v });
        }
      };
      // Parents whose reference is null or dangling sort as if their child value were NULL and
      // after every child: last ascending, first descending.
      const orphans = () => {
        const list: StoredVersion[] = [];
        for (const v of ctx.store.entitiesAt(t.name, ctx.block)) {
          const id = refKeysOf(v.data.get(pf.name))[0];
          if (id === undefined || !ctx.store.getAt(childType, id, ctx.block)) list.push(v);
        }
        return list;
      };
      const parentsOf = (c: StoredVersion) => ctx.store.referencing(t.name, pf.name, c.id, ctx.block);
      if (!order.desc) {
        for (let i = 0; i < children.length && matched < limit; i++) take(parentsOf(children[i]!));
        if (matched < limit) take(orphans());
      } else {
        take(orphans());
        for (let i = children.length - 1; i >= 0 && matched < limit; i--) take(parentsOf(children[i]!));
      }
      return out;
    }
  }

  const rows: Row[] = [];
  for (const t of types) {
    const f = filters.get(t.name)!;
    let source: Iterable<StoredVersion>;
    if (f.hint?.kind === 'ids') {
      source = f.hint.ids.map((id) => ctx.store.getAt(t.name, id, ctx.block)).filter((v): v is StoredVersion => !!v);
    } else if (f.hint?.kind === 'ref') {
      source = ctx.store.referencing(t.name, f.hint.field, f.hint.id, ctx.block);
    } else {
      source = ctx.store.entitiesAt(t.name, ctx.block);
    }
    const seen = f.hint?.kind === 'ids' ? new Set<string>() : null;
    for (const v of source) {
      if (seen) {
        if (seen.has(v.id)) continue;
        seen.add(v.id);
      }
      if (f.test(v)) rows.push({ type: t, v });
    }
  }
  const cmp = comparator(ctx, order);
  if (rows.length > limit * 4 && limit < 2000) return topK(rows, limit, cmp).slice(skip);
  rows.sort(cmp);
  return rows.slice(skip, limit);
}

/** The `k` smallest rows in order, without sorting everything. */
function topK(rows: Row[], k: number, cmp: (a: Row, b: Row) => number): Row[] {
  const best: Row[] = [];
  for (const r of rows) {
    if (best.length < k) {
      best.push(r);
      if (best.length === k) best.sort(cmp);
      continue;
    }
    if (cmp(r, best[k - 1]!) >= 0) continue;
    let lo = 0;
    let hi = k - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cmp(r, best[mid]!) < 0) hi = mid;
      else lo = mid + 1;
    }
    best.splice(lo, 0, r);
    best.pop();
  }
  if (best.length < k) best.sort(cmp);
  return best;
}

export { compareBytes };
