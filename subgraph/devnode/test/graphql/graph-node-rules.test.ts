/**
 * graph-node's limits and leniency (v0.44, default settings), over the hand-built store of the conformance suite.
 * Each case names the graph-node source it follows (github.com/graphprotocol/graph-node).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createStore } from '../../src/store/memory.js';
import { makeEngine, testSchema } from './helpers.js';
import { buildHistory } from './fixture.js';

let q: ReturnType<typeof makeEngine>;

beforeAll(() => {
  const schema = testSchema();
  const store = createStore({ schema });
  buildHistory(store, schema);
  q = makeEngine(store, schema);
});

const TOO_DEEP = 'query has a depth that exceeds the limit of `255`';

/** A query whose selection sets nest `levels` deep, the operation's included: tokens → owner → tokens → … → id. */
function nested(levels: number): string {
  let open = '';
  let close = '';
  for (let i = 1; i < levels; i++) {
    open += i % 2 === 1 ? 'tokens(first: 1) { ' : 'owner { ';
    close += ' }';
  }
  return `{ ${open}id${close} }`;
}

function errors(query: string, variables?: Record<string, unknown>): string[] {
  const res = q(query, variables);
  expect(res.data).toBeUndefined();
  return (res.errors ?? []).map((e) => e.message);
}

describe('query depth (graphql/src/execution/query.rs `complexity_inner`; GRAPH_GRAPHQL_MAX_DEPTH defaults to 255 in graph/src/env/graphql.rs)', () => {
  it('runs a query whose selection sets nest 255 deep', () => {
    const res = q(nested(255));
    expect(res.errors).toBeUndefined();
    let node = res.data as Record<string, unknown>;
    for (let i = 1; i < 255; i++) {
      const key = i % 2 === 1 ? 'tokens' : 'owner';
      const value = node[key];
      node = (Array.isArray(value) ? value[0] : value) as Record<string, unknown>;
    }
    expect(Object.keys(node)).toEqual(['id']);
  });

  it('rejects one level more with graph-node message', () => {
    expect(errors(nested(256))).toEqual([TOO_DEEP]);
  });

  it('rejects a query nested 5,000 deep with the same message instead of exhausting the stack', () => {
    expect(errors(nested(5000))).toEqual([TOO_DEEP]);
  });

  it('counts fragment spreads and inline fragments as levels, as graph-node does', () => {
    // 254 levels of fields; the fragment around the innermost field adds the 255th and 256th.
    const inner = nested(254).replace('{ id }', '{ ... on Account { tokens(first: 1) { id } } }');
    expect(errors(inner)).toEqual([TOO_DEEP]);
    const spread = nested(254).replace('{ id }', '{ ...A }') + ' fragment A on Account { tokens(first: 1) { id } }';
    expect(errors(spread)).toEqual([TOO_DEEP]);
  });

  it("keeps the devnode's own bound on nested argument values (graph-node documents none)", () => {
    const where = '{ and: ['.repeat(400) + '{ id: "t1" }' + '] }'.repeat(400);
    expect(errors(`{ tokens(where: ${where}) { id } }`)).toEqual([
      "query has argument values nested deeper than the devnode's limit of 256",
    ]);
  });
});

describe('Bytes filters (graph/src/data/store/scalar/bytes.rs: `hex::decode`, reported as ValueParseError by graph/src/data/query/error.rs)', () => {
  it('rejects odd-length hex instead of padding it', () => {
    expect(errors('{ tokens(where: { data_lt: "0x1" }) { id } }')).toEqual(['Failed to decode `Bytes` value: `Odd number of digits`']);
    expect(errors('{ accounts(where: { id_in: ["0xaa", "0xb"] }) { id } }')).toEqual(['Failed to decode `Bytes` value: `Odd number of digits`']);
  });

  it('names the first invalid character', () => {
    expect(errors('{ tokens(where: { data: "0x01zz" }) { id } }')).toEqual([
      "Failed to decode `Bytes` value: `Invalid character 'z' at position 2`",
    ]);
  });
});

describe('no full GraphQL validation by default (ENABLE_GRAPHQL_VALIDATIONS=false in graph/src/env/graphql.rs; empty plan in graphql/src/execution/query.rs)', () => {
  it('ignores unknown arguments', () => {
    expect(q('{ tokens(first: 1, bogus: 3) { id } }')).toEqual({ data: { tokens: [{ id: 't1' }] } });
  });

  it('accepts unused variables', () => {
    expect(q('query Q($unused: Int) { tokens(first: 1) { id } }')).toEqual({ data: { tokens: [{ id: 't1' }] } });
  });

  it('accepts unused fragments', () => {
    expect(q('{ tokens(first: 1) { id } } fragment Unused on Token { name }')).toEqual({ data: { tokens: [{ id: 't1' }] } });
  });

  it('accepts enum values given as strings (graphql/src/values/coercion.rs: `q::Value::String(name) | q::Value::Enum(name)`)', () => {
    expect(q('{ tokens(where: { color: "RED" }, orderBy: "amount", orderDirection: "desc") { id } }')).toEqual({
      data: { tokens: [{ id: 't1' }, { id: 't4' }] },
    });
  });

  it('still rejects a string that names no value of the enum', () => {
    expect(errors('{ tokens(orderDirection: "sideways") { id } }')).toHaveLength(1);
  });
});

describe('lists (graphql/src/values/coercion.rs `coerce_value`: "Otherwise the list type is not coercible")', () => {
  it('rejects a single value where a list is expected', () => {
    expect(errors('{ tokens(where: { id_in: "t03" }) { id } }')).toEqual([
      'Invalid value provided for argument `where`: Object({"id_in": String("t03")})',
    ]);
  });

  it('rejects a single value in a list variable (graphql/src/execution/query.rs `coerce_variable`)', () => {
    expect(errors('query Q($ids: [ID!]) { tokens(where: { id_in: $ids }) { id } }', { ids: 't1' })).toEqual([
      'Invalid value provided for argument `ids`: String("t1")',
    ]);
  });

  it('accepts lists', () => {
    expect(q('query Q($ids: [ID!]) { tokens(where: { id_in: $ids }) { id } }', { ids: ['t1'] })).toEqual({
      data: { tokens: [{ id: 't1' }] },
    });
  });
});

describe('operations (graphql/src/execution/query.rs `Query::new`; server/http/src/request.rs never reads operationName)', () => {
  it('rejects a document with two operations', () => {
    expect(errors('query A { tokens(first: 1) { id } } query B { accounts { id } }')).toEqual(['Operation name required']);
  });

  it('rejects it even when an operation name is sent, which graph-node does not read', () => {
    const res = q.request({ query: 'query A { tokens(first: 1) { id } } query B { accounts { id } }', operationName: 'A' });
    expect(res).toEqual({ errors: [{ message: 'Operation name required' }] });
  });

  it('runs the one operation whatever operation name is sent', () => {
    expect(q.request({ query: 'query A { tokens(first: 1) { id } }', operationName: 'Other' })).toEqual({
      data: { tokens: [{ id: 't1' }] },
    });
  });

  it('rejects a document with fragments only', () => {
    expect(errors('fragment F on Token { id }')).toEqual(['Operation name required']);
  });
});
