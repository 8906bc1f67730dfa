/**
 * Conformance of the GraphQL API with graph-node's semantics, over a store built by hand
 * (see fixture.ts for the history). Expected answers follow graph-node's SQL semantics.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createStore, type VersionedStore } from '../../src/store/memory.js';
import type { SchemaInfo } from '../../src/schema/index.js';
import { block, entity, hash, makeEngine, testSchema } from './helpers.js';
import { BIG, buildHistory } from './fixture.js';

let schema: SchemaInfo;
let store: VersionedStore;
let q: ReturnType<typeof makeEngine>;

beforeAll(() => {
  schema = testSchema();
  store = createStore({ schema });
  buildHistory(store, schema);
  q = makeEngine(store, schema);
});

/** Ids of `tokens(where: …)` at the head (or at `block`). */
function tokenIds(where: string, extra = ''): string[] {
  const res = q(`{ tokens(where: ${where}${extra}) { id } }`);
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return (res.data!['tokens'] as Array<{ id: string }>).map((t) => t.id);
}

function ids(query: string, key: string): string[] {
  const res = q(query);
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return (res.data![key] as Array<{ id: string }>).map((t) => t.id);
}

function errorOf(query: string): string {
  const res = q(query);
  expect(res.data).toBeUndefined();
  expect(res.errors).toBeDefined();
  return res.errors![0]!.message;
}

describe('entity and entities', () => {
  it('lists entities ordered by id by default', () => {
    expect(ids('{ tokens { id } }', 'tokens')).toEqual(['t1', 't2', 't4', 't5']);
  });

  it('serialises every scalar type as graph-node does', () => {
    const res = q(`{ token(id: "t2", block: { number: 1 }) {
      id name amount price count big active data createdAt color tags nullableText
      owner { id name balance }
    } }`);
    expect(res).toEqual({
      data: {
        token: {
          id: 't2',
          name: 'beta',
          amount: BIG,
          price: '-0.001',
          count: -3,
          big: '-7',
          active: false,
          data: '0x01020304',
          createdAt: '2000',
          color: 'GREEN',
          tags: ['b', 'c'],
          nullableText: null,
          owner: { id: '0xaa', name: 'alice', balance: '10' },
        },
      },
    });
  });

  it('normalises BigDecimal like graph-node (34 significant digits, no exponent, no trailing zeros)', () => {
    const res = q('{ tokens(block: { number: 2 }) { id price } }');
    expect(res.data!['tokens']).toEqual([
      { id: 't1', price: '1.5' },
      { id: 't2', price: '-0.001' },
      { id: 't4', price: '0.1' },
      { id: 't5', price: '123456789.1234567891234567891234568' },
    ]);
    expect(q('{ token(id: "t3", block: { number: 1 }) { price } }').data).toEqual({ token: { price: '1000' } });
  });

  it('looks up Bytes ids case-insensitively and returns them lowercase', () => {
    expect(q('{ account(id: "0xAA") { id } }').data).toEqual({ account: { id: '0xaa' } });
  });

  it('serves Int8 ids as strings', () => {
    expect(q('{ counters { id value } counter(id: "1") { id } }').data).toEqual({
      counters: [{ id: '1', value: 1 }],
      counter: { id: '1' },
    });
  });

  it('returns null for a missing entity', () => {
    expect(q('{ token(id: "nope") { id } }').data).toEqual({ token: null });
  });
});

describe('where: String', () => {
  it.each([
    ['{ name: "beta" }', ['t2']],
    ['{ name_not: "beta" }', ['t1', 't4', 't5']],
    ['{ name_gt: "beta" }', ['t4', 't5']],
    ['{ name_lt: "beta" }', ['t1']],
    ['{ name_gte: "delta" }', ['t4', 't5']],
    ['{ name_lte: "Alpha" }', ['t1']],
    ['{ name_in: ["Alpha", "delta", "zzz"] }', ['t1', 't4']],
    ['{ name_not_in: ["Alpha"] }', ['t2', 't4', 't5']],
    ['{ name_contains: "lt" }', ['t4']],
    ['{ name_contains_nocase: "ALP" }', ['t1']],
    ['{ name_not_contains: "a" }', ['t5']],
    ['{ name_not_contains_nocase: "A" }', ['t5']],
    ['{ name_starts_with: "Al" }', ['t1']],
    ['{ name_starts_with_nocase: "al" }', ['t1']],
    ['{ name_not_starts_with: "Al" }', ['t2', 't4', 't5']],
    ['{ name_not_starts_with_nocase: "AL" }', ['t2', 't4', 't5']],
    ['{ name_ends_with: "ta" }', ['t2', 't4']],
    ['{ name_ends_with_nocase: "TA" }', ['t2', 't4']],
    ['{ name_not_ends_with: "ta" }', ['t1', 't5']],
    ['{ name_not_ends_with_nocase: "HA" }', ['t2', 't4', 't5']],
    ['{ name_contains: "🚀" }', ['t5']],
    ['{ name_starts_with: "Ünï" }', ['t5']],
    ['{ id: "t4" }', ['t4']],
    ['{ id_in: ["t5", "t1", "t3"] }', ['t1', 't5']],
    ['{ id_gt: "t2" }', ['t4', 't5']],
  ])('%s', (where, expected) => {
    expect(tokenIds(where)).toEqual(expected);
  });

  it('keeps LIKE wildcards in the value, as graph-node does', () => {
    expect(tokenIds('{ name_contains: "a_" }', ', block: { number: 1 }')).toEqual(['t3']);
  });

  it('never matches NULL with comparisons', () => {
    expect(tokenIds('{ nullableText: null }')).toEqual(['t2', 't5']);
    expect(tokenIds('{ nullableText_not: null }')).toEqual(['t1', 't4']);
    expect(tokenIds('{ nullableText_not: "x" }')).toEqual(['t1']);
    expect(tokenIds('{ nullableText_not_in: ["x"] }')).toEqual(['t1']);
    expect(tokenIds('{ nullableText_not_contains: "z" }')).toEqual(['t1', 't4']);
  });

  it('matches nothing for empty _in and _not_in lists', () => {
    expect(tokenIds('{ name_in: [] }')).toEqual([]);
    expect(tokenIds('{ name_not_in: [] }')).toEqual([]);
  });
});

describe('where: numbers, booleans, bytes, timestamps, enums', () => {
  it.each([
    ['{ amount: "' + BIG + '" }', ['t2']],
    ['{ amount_not: "50" }', ['t2', 't4', 't5']],
    ['{ amount_gt: "7" }', ['t1', 't2']],
    ['{ amount_gte: "7" }', ['t1', 't2', 't5']],
    ['{ amount_lt: "7" }', ['t4']],
    ['{ amount_lte: "0" }', ['t4']],
    ['{ amount_in: ["0", "50"] }', ['t1', 't4']],
    ['{ amount_not_in: ["0"] }', ['t1', 't2', 't5']],
    ['{ price: "1.50" }', ['t1']],
    ['{ price_gt: "0.1" }', ['t1', 't5']],
    ['{ price_lte: "0.10" }', ['t2', 't4']],
    ['{ price_lt: "0" }', ['t2']],
    ['{ price_in: ["0.1", "1e3"] }', ['t4']],
    ['{ count_gt: 1 }', ['t4', 't5']],
    ['{ count_lt: 0 }', ['t2']],
    ['{ count_in: [1, 2] }', ['t1', 't5']],
    ['{ count_not: 1 }', ['t2', 't4', 't5']],
    ['{ big_gte: "1" }', ['t1', 't5']],
    ['{ big_lt: 0 }', ['t2']],
    ['{ active: true }', ['t1', 't4']],
    ['{ active_not: true }', ['t2', 't5']],
    ['{ active_in: [false] }', ['t2', 't5']],
    ['{ active_not_in: [true] }', ['t2', 't5']],
    ['{ data: "0x0102" }', ['t1']],
    ['{ data_not: "0x0102" }', ['t2', 't4', 't5']],
    ['{ data_contains: "0x0203" }', ['t2']],
    ['{ data_not_contains: "0x01" }', ['t4', 't5']],
    ['{ data_gt: "0x0102" }', ['t2', 't5']],
    ['{ data_lt: "0x01" }', ['t4']],
    ['{ data_in: ["0xABCD"] }', ['t5']],
    ['{ createdAt_gte: "2000" }', ['t2', 't4', 't5']],
    ['{ createdAt_lt: 2000 }', ['t1']],
    ['{ color: RED }', ['t1', 't4']],
    ['{ color_not: RED }', ['t2', 't5']],
    ['{ color_in: [GREEN] }', ['t2', 't5']],
    ['{ color_not_in: [GREEN, RED] }', []],
  ])('%s', (where, expected) => {
    expect(tokenIds(where)).toEqual(expected);
  });

  it('compares negative BigInts', () => {
    expect(tokenIds('{ amount_lt: "0" }', ', block: { number: 1 }')).toEqual(['t3']);
    expect(tokenIds('{ amount_gt: "-101" }', ', block: { number: 1 }')).toEqual(['t1', 't2', 't3', 't4']);
  });

  it('compares BigInts above 2^255', () => {
    expect(tokenIds(`{ amount_gt: "${2n ** 256n}" }`)).toEqual(['t2']);
    expect(tokenIds(`{ amount_lt: "${2n ** 256n}" }`)).toEqual(['t1', 't4', 't5']);
  });

  it('rejects undecodable values', () => {
    expect(errorOf('{ tokens(where: { amount: "1.5" }) { id } }')).toMatch(/Failed to decode `BigInt` value/);
    expect(errorOf('{ tokens(where: { data: "0xzz" }) { id } }')).toMatch(/Failed to decode `Bytes` value/);
  });
});

describe('where: lists', () => {
  it.each([
    ['{ tags: ["a", "b"] }', ['t1']],
    ['{ tags_not: ["a", "b"] }', ['t2', 't4', 't5']],
    ['{ tags_contains: ["b"] }', ['t1', 't2']],
    ['{ tags_contains: ["a", "b"] }', ['t1']],
    ['{ tags_not_contains: ["b"] }', ['t4', 't5']],
    ['{ tags_contains_nocase: ["a"] }', ['t1', 't4']],
    ['{ tags_not_contains_nocase: ["a"] }', ['t2', 't5']],
    ['{ friends_contains: ["t2"] }', ['t1', 't4']],
    ['{ friends: [] }', ['t2', 't5']],
  ])('%s', (where, expected) => {
    expect(tokenIds(where)).toEqual(expected);
  });
});

describe('where: references and nested filters', () => {
  it.each([
    ['{ owner: "0xaa" }', ['t1', 't5']],
    ['{ owner: "0xAA" }', ['t1', 't5']],
    ['{ owner_not: "0xaa" }', ['t2', 't4']],
    ['{ owner_in: ["0xbb"] }', ['t2', 't4']],
    ['{ owner_: { name: "Bob" } }', ['t2', 't4']],
    ['{ owner_: { name_starts_with: "al" } }', ['t1', 't5']],
    ['{ owner_: { balance_lt: "0" } }', ['t2', 't4']],
    ['{ friends_: { name: "beta" } }', ['t1', 't4']],
    ['{ events_: { name: "moved" } }', ['t2']],
  ])('%s', (where, expected) => {
    expect(tokenIds(where)).toEqual(expected);
  });

  it('filters through derived fields', () => {
    expect(ids('{ accounts(where: { tokens_: { amount: "0" } }) { id } }', 'accounts')).toEqual(['0xbb']);
    expect(ids('{ accounts(where: { tokens_: { amount_gt: "10" } }) { id } }', 'accounts')).toEqual(['0xaa', '0xbb']);
  });

  it('evaluates nested filters at the query block', () => {
    expect(tokenIds('{ owner: "0xaa" }', ', block: { number: 1 }')).toEqual(['t1', 't2']);
    expect(tokenIds('{ owner_: { name: "alice" } }', ', block: { number: 2 }')).toEqual(['t1', 't2', 't5']);
  });

  it('rejects child filters nested in child filters', () => {
    expect(errorOf('{ tokens(where: { owner_: { tokens_: { id: "t1" } } }) { id } }')).toMatch(
      /^Child filter nesting not supported/,
    );
  });
});

describe('where: and / or / _change_block', () => {
  it('combines with or and and', () => {
    expect(tokenIds('{ or: [{ name: "Alpha" }, { count: 7 }] }')).toEqual(['t1', 't4']);
    expect(tokenIds('{ and: [{ active: true }, { count_gt: 5 }] }')).toEqual(['t4']);
    expect(tokenIds('{ and: [{ or: [{ count: 1 }, { count: 2 }] }, { active: false }] }')).toEqual(['t5']);
  });

  it("rejects column filters next to 'or' with graph-node's message", () => {
    expect(errorOf('{ tokens(where: { name: "Alpha", or: [{ count: 7 }] }) { id } }')).toMatch(
      /^Cannot mix column filters with 'or' operator at the same level\. Found column filter\(s\) 'name' alongside 'or' operator\./,
    );
  });

  it('filters by the block of the last change', () => {
    expect(tokenIds('{ _change_block: { number_gte: 2 } }')).toEqual(['t1', 't2', 't5']);
    expect(tokenIds('{ _change_block: { number_gte: 3 } }')).toEqual(['t2']);
    expect(tokenIds('{ _change_block: { number_gte: 4 } }')).toEqual([]);
  });
});

describe('orderBy / orderDirection', () => {
  const order = (args: string) => ids(`{ tokens(${args}) { id } }`, 'tokens');
  it('orders by scalar fields in both directions', () => {
    expect(order('orderBy: amount')).toEqual(['t4', 't5', 't1', 't2']);
    expect(order('orderBy: amount, orderDirection: desc')).toEqual(['t2', 't1', 't5', 't4']);
    expect(order('orderBy: price')).toEqual(['t2', 't4', 't1', 't5']);
    expect(order('orderBy: count, orderDirection: desc')).toEqual(['t4', 't5', 't1', 't2']);
    expect(order('orderBy: data')).toEqual(['t4', 't1', 't2', 't5']);
    expect(order('orderBy: name, orderDirection: desc')).toEqual(['t5', 't4', 't2', 't1']);
  });

  it('breaks ties by id in the same direction', () => {
    expect(order('orderBy: active')).toEqual(['t2', 't5', 't1', 't4']);
    expect(order('orderBy: active, orderDirection: desc')).toEqual(['t4', 't1', 't5', 't2']);
  });

  it('sorts nulls last ascending and first descending (Postgres)', () => {
    expect(order('orderBy: nullableText')).toEqual(['t1', 't4', 't2', 't5']);
    expect(order('orderBy: nullableText, orderDirection: desc')).toEqual(['t5', 't2', 't4', 't1']);
  });

  it('ignores orderDirection without orderBy (id ascending)', () => {
    expect(order('orderDirection: desc')).toEqual(['t1', 't2', 't4', 't5']);
  });

  it('orders by a child field', () => {
    expect(order('orderBy: owner__name')).toEqual(['t2', 't4', 't1', 't5']);
    expect(order('orderBy: owner__name, orderDirection: desc')).toEqual(['t5', 't1', 't4', 't2']);
    expect(order('orderBy: owner__balance, orderDirection: desc')).toEqual(['t5', 't1', 't4', 't2']);
  });

  it('orders by a child field the same way at the head (index join) and in the past (sort)', () => {
    for (const args of ['orderBy: owner__name', 'orderBy: owner__balance, orderDirection: desc', 'orderBy: owner__name, first: 3, skip: 1']) {
      expect(order(args)).toEqual(order(`${args}, block: { number: 3 }`));
    }
  });

  it('puts entities with a dangling reference last ascending and first descending', () => {
    const s = createStore({ schema });
    buildHistory(s, schema);
    s.beginBlock(block(5));
    s.set('Token', 't0', entity(schema, 'Token', { id: 't0', name: 'orphan', owner: '0xdead' }));
    s.commitBlock();
    const run = makeEngine(s, schema);
    const at = (args: string) => (run(`{ tokens(${args}) { id } }`).data!['tokens'] as Array<{ id: string }>).map((t) => t.id);
    expect(at('orderBy: owner__name')).toEqual(['t2', 't4', 't1', 't5', 't0']);
    expect(at('orderBy: owner__name, orderDirection: desc')).toEqual(['t0', 't5', 't1', 't4', 't2']);
    expect(at('orderBy: owner__name, orderDirection: desc, block: { number: 5 }')).toEqual(at('orderBy: owner__name, orderDirection: desc'));
  });

  it('orders with a filter and pagination', () => {
    expect(order('where: { active: false }, orderBy: amount, orderDirection: desc, first: 1')).toEqual(['t2']);
    expect(order('where: { owner: "0xbb" }, orderBy: amount, orderDirection: desc')).toEqual(['t2', 't4']);
  });
});

describe('pagination', () => {
  it('applies first and skip', () => {
    expect(ids('{ tokens(first: 2) { id } }', 'tokens')).toEqual(['t1', 't2']);
    expect(ids('{ tokens(first: 2, skip: 2) { id } }', 'tokens')).toEqual(['t4', 't5']);
    expect(ids('{ tokens(skip: 10) { id } }', 'tokens')).toEqual([]);
  });

  it("reports graph-node's range errors", () => {
    expect(errorOf('{ tokens(first: 1001) { id } }')).toBe('The `first` argument must be between 0 and 1000, but is 1001');
    expect(errorOf('{ tokens(first: 0) { id } }')).toBe('The `first` argument must be between 0 and 1000, but is 0');
    expect(errorOf('{ tokens(skip: 5001) { id } }')).toBe('The `skip` argument must be between 0 and 5000, but is 5001');
    expect(errorOf('{ tokens(skip: -1) { id } }')).toBe('The `skip` argument must be between 0 and 5000, but is -1');
    expect(errorOf('{ account(id: "0xaa") { tokens(first: 2000) { id } } }')).toBe(
      'The `first` argument must be between 0 and 1000, but is 2000',
    );
  });
});

describe('derived and list fields', () => {
  it('resolves derived fields with their own arguments', () => {
    const res = q(`{ account(id: "0xaa") {
      all: tokens { id }
      byAmount: tokens(orderBy: amount, orderDirection: desc) { id }
      firstOne: tokens(first: 1) { id }
      small: tokens(where: { amount_lt: "10" }) { id }
    } }`);
    expect(res.data).toEqual({
      account: { all: [{ id: 't1' }, { id: 't5' }], byAmount: [{ id: 't1' }, { id: 't5' }], firstOne: [{ id: 't1' }], small: [{ id: 't5' }] },
    });
    expect(q('{ account(id: "0xaa", block: { number: 1 }) { tokens { id } } }').data).toEqual({
      account: { tokens: [{ id: 't1' }, { id: 't2' }] },
    });
    expect(q('{ token(id: "t1") { events { id name } } }').data).toEqual({ token: { events: [{ id: 'e1', name: 'minted' }] } });
  });

  it('returns list references deduplicated in id order, at the query block', () => {
    expect(q('{ token(id: "t4") { friends { id } } }').data).toEqual({ token: { friends: [{ id: 't1' }, { id: 't2' }] } });
    expect(q('{ token(id: "t4") { friends(where: { name: "beta" }) { id } } }').data).toEqual({
      token: { friends: [{ id: 't2' }] },
    });
    expect(q('{ token(id: "t1", block: { number: 1 }) { friends { id } } }').data).toEqual({
      token: { friends: [{ id: 't2' }, { id: 't3' }] },
    });
    expect(q('{ token(id: "t1") { friends { id } } }').data).toEqual({ token: { friends: [{ id: 't2' }] } });
  });
});

describe('interfaces', () => {
  it('queries an interface as a collection across implementers', () => {
    const res = q('{ nameds { id __typename } }');
    expect(res.data!['nameds']).toEqual([
      { id: 'e1', __typename: 'Event' },
      { id: 'e2', __typename: 'Event' },
      { id: 't1', __typename: 'Token' },
      { id: 't2', __typename: 'Token' },
      { id: 't4', __typename: 'Token' },
      { id: 't5', __typename: 'Token' },
    ]);
    expect(ids('{ nameds(where: { name_starts_with: "m" }) { id } }', 'nameds')).toEqual(['e1', 'e2']);
    expect(ids('{ nameds(orderBy: name) { id } }', 'nameds')).toEqual(['t1', 't2', 't4', 'e1', 'e2', 't5']);
    expect(ids('{ nameds(orderBy: name, first: 2, skip: 2) { id } }', 'nameds')).toEqual(['t4', 'e1']);
  });

  it('resolves the singular interface field with fragments', () => {
    expect(q('{ named(id: "e2") { name ... on Event { token { id } } } }').data).toEqual({
      named: { name: 'moved', token: { id: 't2' } },
    });
  });
});

describe('time travel', () => {
  it('sees updates and removals at past blocks', () => {
    expect(q('{ token(id: "t1", block: { number: 1 }) { amount name } }').data).toEqual({ token: { amount: '5', name: 'Alpha' } });
    expect(q('{ token(id: "t1") { amount name } }').data).toEqual({ token: { amount: '50', name: 'Alpha' } });
    expect(ids('{ tokens(block: { number: 1 }) { id } }', 'tokens')).toEqual(['t1', 't2', 't3', 't4']);
    expect(ids('{ tokens(block: { number: 2 }) { id } }', 'tokens')).toEqual(['t1', 't2', 't4', 't5']);
    expect(q('{ token(id: "t3", block: { number: 1 }) { name } }').data).toEqual({ token: { name: 'Gamma_%' } });
    expect(q('{ token(id: "t3") { name } }').data).toEqual({ token: null });
    expect(ids('{ tokens(block: { number: 0 }) { id } }', 'tokens')).toEqual([]);
  });

  it('queries by block hash and number_gte', () => {
    expect(ids(`{ tokens(block: { hash: "${hash(1)}" }) { id } }`, 'tokens')).toEqual(['t1', 't2', 't3', 't4']);
    expect(ids('{ tokens(block: { number_gte: 2 }) { id } }', 'tokens')).toEqual(['t1', 't2', 't4', 't5']);
  });

  it("reports blocks beyond the head in graph-node's words", () => {
    expect(errorOf('{ tokens(block: { number: 9 }) { id } }')).toBe(
      'Failed to decode `block.number` value: `subgraph QmTest has only indexed up to block number 4 and data for block number 9 is therefore not yet available`',
    );
    expect(errorOf('{ tokens(block: { number_gte: 9 }) { id } }')).toBe(
      'Failed to decode `block.number_gte` value: `subgraph QmTest has only indexed up to block number 4 and data for block number 9 is therefore not yet available`',
    );
    expect(errorOf(`{ tokens(block: { hash: "${hash(99)}" }) { id } }`)).toBe(
      'Failed to decode `block.hash` value: `no block with that hash found`',
    );
  });
});

describe('_meta', () => {
  it('describes the head block', () => {
    expect(q('{ _meta { block { number hash timestamp parentHash } deployment hasIndexingErrors } }').data).toEqual({
      _meta: {
        block: { number: 4, hash: hash(4), timestamp: 1_700_000_048, parentHash: hash(3) },
        deployment: 'QmTest',
        hasIndexingErrors: false,
      },
    });
  });

  it('has no hash when asked for a block number', () => {
    expect(q('{ _meta(block: { number: 2 }) { block { number hash } } }').data).toEqual({
      _meta: { block: { number: 2, hash: null } },
    });
    expect(q(`{ _meta(block: { hash: "${hash(2)}" }) { block { number hash } } }`).data).toEqual({
      _meta: { block: { number: 2, hash: hash(2) } },
    });
  });
});

describe('GraphQL errors and introspection', () => {
  it('reports validation errors with locations', () => {
    const res = q('{ tokens { nope } }');
    expect(res.errors).toEqual([{ message: 'Cannot query field "nope" on type "Token".', locations: [{ line: 1, column: 12 }] }]);
  });

  it('answers introspection', () => {
    const res = q('{ __schema { queryType { name } } __type(name: "Token_filter") { inputFields { name } } }');
    const names = (res.data!['__type'] as { inputFields: Array<{ name: string }> }).inputFields.map((f) => f.name);
    expect(names).toContain('owner_');
    expect(names).toContain('name_not_ends_with_nocase');
    expect(names).toContain('tags_contains_nocase');
    expect(names).toContain('events_');
    expect(names).not.toContain('events');
    expect(names).not.toContain('data_starts_with');
    expect(names).not.toContain('amount_contains');
    expect(names.slice(-3)).toEqual(['_change_block', 'and', 'or']);
  });

  it('generates orderBy values for one level of child fields', () => {
    const res = q('{ __type(name: "Token_orderBy") { enumValues { name } } }');
    const names = (res.data!['__type'] as { enumValues: Array<{ name: string }> }).enumValues.map((f) => f.name);
    expect(names).toContain('owner__name');
    expect(names).toContain('owner__balance');
    expect(names).not.toContain('owner__tokens');
    expect(names).not.toContain('friends__name');
  });
});

describe('indexing errors (subgraphError)', () => {
  it('denies data once a deterministic failure is visible, allows it on request', () => {
    const s = createStore({ schema });
    buildHistory(s, schema);
    const run = makeEngine(s, schema);
    s.setFatalError({ message: 'boom', block: block(5), deterministic: true });
    // Failure at a block after the head: data at the head is still complete.
    expect(run('{ tokens(first: 1) { id } }')).toEqual({ data: { tokens: [{ id: 't1' }] } });
    s.setFatalError({ message: 'boom', block: block(3), deterministic: true });
    expect(run('{ tokens(first: 1) { id } _meta { hasIndexingErrors } }')).toEqual({
      data: { _meta: { hasIndexingErrors: true } },
      errors: [{ message: 'indexing_error' }],
    });
    expect(run('{ tokens(first: 1, subgraphError: allow) { id } }')).toEqual({
      data: { tokens: [{ id: 't1' }] },
      errors: [{ message: 'indexing_error' }],
    });
    expect(run('{ _meta { hasIndexingErrors } }')).toEqual({ data: { _meta: { hasIndexingErrors: true } } });
    // Before the failing block the data is complete.
    expect(run('{ tokens(first: 1, block: { number: 2 }) { id } }')).toEqual({ data: { tokens: [{ id: 't1' }] } });
  });
});
