/** Test helpers: a schema with every scalar type and relationship kind, and a store built by hand. */
import type { Entity, Value } from '../../src/store/api.js';
import { parseSchema, type SchemaInfo } from '../../src/schema/index.js';
import { createStore, type VersionedStore } from '../../src/store/memory.js';
import { hexToBytes } from '../../src/hex.js';
import { SubgraphQueryEngine, type GraphQLRequest, type GraphQLResponse } from '../../src/graphql/execute.js';

export const TEST_SDL = /* GraphQL */ `
"Colours"
enum Color {
  RED
  GREEN
  BLUE
}

"Anything with a name"
interface Named {
  id: ID!
  name: String!
}

"An account with a Bytes id"
type Account @entity {
  id: Bytes!
  "Display name"
  name: String!
  balance: BigInt!
  tokens: [Token!]! @derivedFrom(field: "owner")
}

type Token implements Named @entity {
  id: ID!
  name: String!
  owner: Account!
  amount: BigInt!
  price: BigDecimal!
  count: Int!
  big: Int8!
  active: Boolean!
  data: Bytes!
  createdAt: Timestamp!
  color: Color!
  tags: [String!]!
  nullableText: String
  friends: [Token!]!
  events: [Event!]! @derivedFrom(field: "token")
}

type Event implements Named @entity(immutable: true) {
  id: ID!
  name: String!
  token: Token!
  amounts: [BigInt!]!
}

type Counter @entity {
  id: Int8!
  value: Int!
}
`;

export function testSchema(): SchemaInfo {
  return parseSchema(TEST_SDL);
}

/** Build an entity from plain JS, using the schema to pick value kinds. */
export function entity(schema: SchemaInfo, type: string, obj: Record<string, unknown>): Entity {
  const t = schema.entities.get(type)!;
  const e: Entity = new Map();
  for (const [k, raw] of Object.entries(obj)) {
    const f = t.fieldMap.get(k);
    if (!f) throw new Error(`no field ${type}.${k}`);
    const scalarName =
      f.kind === 'entity' || f.kind === 'interface'
        ? schema.entities.get(f.typeName)?.idType === 'Bytes'
          ? 'Bytes'
          : schema.entities.get(f.typeName)?.idType === 'Int8'
            ? 'Int8'
            : 'String'
        : f.kind === 'enum'
          ? 'String'
          : f.typeName;
    const one = (x: unknown): Value => {
      if (x === null) return { kind: 'Null' };
      switch (scalarName) {
        case 'ID':
        case 'String':
          return { kind: 'String', value: x as string };
        case 'Int':
          return { kind: 'Int', value: x as number };
        case 'Int8':
          return { kind: 'Int8', value: BigInt(x as string | number | bigint) };
        case 'BigInt':
          return { kind: 'BigInt', value: BigInt(x as string | number | bigint) };
        case 'BigDecimal':
          return { kind: 'BigDecimal', value: String(x) };
        case 'Boolean':
          return { kind: 'Bool', value: x as boolean };
        case 'Bytes':
          return { kind: 'Bytes', value: hexToBytes(x as string) };
        case 'Timestamp':
          return { kind: 'Timestamp', value: BigInt(x as string | number | bigint) };
        default:
          throw new Error(`unknown scalar ${scalarName}`);
      }
    };
    e.set(k, f.list && Array.isArray(raw) ? { kind: 'List', value: raw.map(one) } : one(raw));
  }
  return e;
}

export const hash = (n: number) => `0x${n.toString(16).padStart(64, '0')}` as `0x${string}`;
export const block = (n: number) => ({
  number: n,
  hash: hash(n),
  parentHash: hash(n - 1),
  timestamp: BigInt(1_700_000_000 + n * 12),
});

/** `q(query, variables?)` runs a query; `q.request(request)` sends a whole request (operationName included). */
export function makeEngine(store: VersionedStore, schema: SchemaInfo) {
  const engine = new SubgraphQueryEngine({ schema, store, deployment: 'QmTest' });
  const run = (query: string, variables?: Record<string, unknown>): GraphQLResponse => engine.run({ query, variables: variables ?? null });
  return Object.assign(run, { request: (request: GraphQLRequest): GraphQLResponse => engine.run(request) });
}

export { createStore };
