/**
 * Generates graph-node's query API schema for a subgraph (graph-node `graph/src/schema/api.rs`): per
 * entity type and interface a singular and a plural query field, `<Type>_filter` inputs with the operators
 * graph-node generates for each field type, `<Type>_orderBy` enums including one level of child fields,
 * collection arguments on list fields that reference entities, `_meta`, `Block_height`, `BlockChangedFilter`,
 * `OrderDirection` and `_SubgraphErrorPolicy_`. (`_logs` and aggregations are not generated.)
 */
import { buildSchema, type GraphQLSchema } from 'graphql';
import type { FieldInfo, InterfaceInfo, EntityTypeInfo, SchemaInfo, ScalarName } from '../schema/index.js';
import { printType, typeInfo } from '../schema/index.js';

/** Operators for a scalar filter type (graph-node `field_filter_ops`). */
export function scalarFilterOps(scalar: string): readonly string[] {
  switch (scalar) {
    case 'Boolean':
      return ['', 'not', 'in', 'not_in'];
    case 'Bytes':
      return ['', 'not', 'gt', 'lt', 'gte', 'lte', 'in', 'not_in', 'contains', 'not_contains'];
    case 'ID':
    case 'BigInt':
    case 'BigDecimal':
    case 'Int':
    case 'Int8':
    case 'Timestamp':
      return ['', 'not', 'gt', 'lt', 'gte', 'lte', 'in', 'not_in'];
    case 'String':
      return [
        '',
        'not',
        'gt',
        'lt',
        'gte',
        'lte',
        'in',
        'not_in',
        'contains',
        'contains_nocase',
        'not_contains',
        'not_contains_nocase',
        'starts_with',
        'starts_with_nocase',
        'not_starts_with',
        'not_starts_with_nocase',
        'ends_with',
        'ends_with_nocase',
        'not_ends_with',
        'not_ends_with_nocase',
      ];
    default:
      return ['', 'not'];
  }
}

/** The scalar used to filter references to `typeName` (graph-node `id_type_as_scalar`). */
export function refFilterScalar(schema: SchemaInfo, typeName: string): 'String' | 'Int' {
  const t = typeInfo(schema, typeName);
  return t?.idType === 'Int8' ? 'Int' : 'String';
}

export interface FilterInput {
  /** Name in the `where` object, e.g. `name_starts_with`. */
  key: string;
  field: FieldInfo;
  op: string;
  /** GraphQL type of the input value. */
  type: string;
}

/** Every `where` key graph-node generates for one field, in graph-node's order. */
export function fieldFilterInputs(schema: SchemaInfo, field: FieldInfo): FilterInput[] {
  const out: FilterInput[] = [];
  const push = (op: string, type: string) =>
    out.push({ key: op === '' ? field.name : `${field.name}_${op}`, field, op, type });
  const isRef = field.kind === 'entity' || field.kind === 'interface';
  if (field.list) {
    if (isRef) {
      if (field.derivedFrom === undefined) {
        const t = typeInfo(schema, field.typeName)!;
        const scalar = refFilterScalar(schema, field.typeName);
        const nocase = t.idType === 'String' || (t.kind === 'interface' && t.implementers.length === 0);
        const ops = nocase
          ? ['', 'not', 'contains', 'contains_nocase', 'not_contains', 'not_contains_nocase']
          : ['', 'not', 'contains', 'not_contains'];
        for (const op of ops) push(op, `[${scalar}!]`);
      }
      out.push({ key: `${field.name}_`, field, op: 'child', type: `${field.typeName}_filter` });
    } else {
      const nocase = field.scalar === 'String';
      const ops = nocase
        ? ['', 'not', 'contains', 'contains_nocase', 'not_contains', 'not_contains_nocase']
        : ['', 'not', 'contains', 'not_contains'];
      for (const op of ops) push(op, `[${field.typeName}!]`);
    }
    return out;
  }
  if (isRef) {
    if (field.derivedFrom === undefined) {
      const scalar = refFilterScalar(schema, field.typeName);
      for (const op of scalarFilterOps(scalar)) push(op, op === 'in' || op === 'not_in' ? `[${scalar}!]` : scalar);
    }
    out.push({ key: `${field.name}_`, field, op: 'child', type: `${field.typeName}_filter` });
    return out;
  }
  if (field.kind === 'enum') {
    for (const op of ['', 'not', 'in', 'not_in'])
      push(op, op === 'in' || op === 'not_in' ? `[${field.typeName}!]` : field.typeName);
    return out;
  }
  const scalar = field.scalar as ScalarName;
  for (const op of scalarFilterOps(scalar)) push(op, op === 'in' || op === 'not_in' ? `[${scalar}!]` : scalar);
  return out;
}

/** `<Type>_orderBy` values (graph-node `field_enum_values`). */
export function orderByValues(schema: SchemaInfo, t: EntityTypeInfo | InterfaceInfo): string[] {
  const values: string[] = [];
  for (const f of t.fields) {
    values.push(f.name);
    if (f.list || (f.kind !== 'entity' && f.kind !== 'interface')) continue;
    const child = typeInfo(schema, f.typeName)!;
    for (const cf of child.fields) {
      if (cf.list || cf.kind === 'entity' || cf.kind === 'interface') continue;
      values.push(`${f.name}__${cf.name}`);
    }
  }
  return values;
}

const description = (d: string | undefined, indent = '') =>
  d === undefined ? '' : `${indent}${JSON.stringify(d)}\n`;

const BUILTIN_SDL = `
scalar BigDecimal
scalar Bytes
scalar BigInt
"8 bytes signed integer"
scalar Int8
"A string representation of microseconds UNIX timestamp (16 digits)"
scalar Timestamp

"The type for the top-level _meta field"
type _Meta_ {
  """
  Information about a specific subgraph block. The hash of the block
  will be null if the _meta field has a block constraint that asks for
  a block number. It will be filled if the _meta field has no block constraint
  and therefore asks for the latest  block
  """
  block: _Block_!
  "The deployment ID"
  deployment: String!
  "If \`true\`, the subgraph encountered indexing errors at some past block"
  hasIndexingErrors: Boolean!
}

type _Block_ {
  "The hash of the block"
  hash: Bytes
  "The block number"
  number: Int!
  "Integer representation of the timestamp stored in blocks for the chain"
  timestamp: Int
  "The hash of the parent block"
  parentHash: Bytes
}

input BlockChangedFilter {
  number_gte: Int!
}

"The block at which the query should be executed."
input Block_height {
  "Value containing a block hash"
  hash: Bytes
  "Value containing a block number"
  number: Int
  """
  Value containing the minimum block number.
  In the case of \`number_gte\`, the query will be executed on the latest block only if
  the subgraph has progressed to or past the minimum block number.
  Defaults to the latest block when omitted.
  """
  number_gte: Int
}

enum _SubgraphErrorPolicy_ {
  "Data will be returned even if the subgraph has indexing errors"
  allow
  "If the subgraph has indexing errors, data will be omitted. The default."
  deny
}

"Defines the order direction, either ascending or descending"
enum OrderDirection {
  asc
  desc
}
`;

const BLOCK_ARG_DESCRIPTION =
  'The block at which the query should be executed. Can either be a `{ hash: Bytes }` value containing a block hash, a `{ number: Int }` containing the block number, or a `{ number_gte: Int }` containing the minimum block number. In the case of `number_gte`, the query will be executed on the latest block only if the subgraph has progressed to or past the minimum block number. Defaults to the latest block when omitted.';
const ERROR_ARG_DESCRIPTION =
  'Set to `allow` to receive data even if the subgraph has skipped over errors while syncing.';

function collectionArgs(typeName: string): string {
  return `skip: Int = 0, first: Int = 100, orderBy: ${typeName}_orderBy, orderDirection: OrderDirection, where: ${typeName}_filter`;
}

function fieldSdl(schema: SchemaInfo, f: FieldInfo): string {
  const isRefList = f.list && (f.kind === 'entity' || f.kind === 'interface');
  const args = isRefList ? `(${collectionArgs(f.typeName)})` : '';
  return `${description(f.description, '  ')}  ${f.name}${args}: ${printType(f.typeNode)}`;
}

/** The SDL of the API schema (also handy for debugging: `printSchema`). */
export function apiSchemaSdl(schema: SchemaInfo): string {
  const parts: string[] = [BUILTIN_SDL];
  for (const e of schema.enums.values()) {
    parts.push(`${description(e.description)}enum ${e.name} {\n${e.values.map((v) => `  ${v}`).join('\n')}\n}`);
  }
  const types: Array<EntityTypeInfo | InterfaceInfo> = [...schema.entities.values(), ...schema.interfaces.values()];
  for (const i of schema.interfaces.values()) {
    parts.push(`${description(i.description)}interface ${i.name} {\n${i.fields.map((f) => fieldSdl(schema, f)).join('\n')}\n}`);
  }
  for (const e of schema.entities.values()) {
    const impl = e.interfaces.length > 0 ? ` implements ${e.interfaces.join(' & ')}` : '';
    parts.push(
      `${description(e.description)}type ${e.name}${impl} {\n${e.fields.map((f) => fieldSdl(schema, f)).join('\n')}\n}`,
    );
  }
  for (const t of types) {
    const inputs = t.fields.flatMap((f) => fieldFilterInputs(schema, f)).map((i) => `  ${i.key}: ${i.type}`);
    inputs.push('  "Filter for the block changed event."\n  _change_block: BlockChangedFilter');
    inputs.push(`  and: [${t.name}_filter]`, `  or: [${t.name}_filter]`);
    parts.push(`input ${t.name}_filter {\n${inputs.join('\n')}\n}`);
    const values = orderByValues(schema, t);
    parts.push(`enum ${t.name}_orderBy {\n${values.map((v) => `  ${v}`).join('\n')}\n}`);
  }
  const blockArg = `${JSON.stringify(BLOCK_ARG_DESCRIPTION)} block: Block_height`;
  const errorArg = `${JSON.stringify(ERROR_ARG_DESCRIPTION)} subgraphError: _SubgraphErrorPolicy_! = deny`;
  const query: string[] = [];
  for (const t of types) {
    query.push(`  ${t.singular}(id: ID!, ${blockArg}, ${errorArg}): ${t.name}`);
    query.push(`  ${t.plural}(${collectionArgs(t.name)}, ${blockArg}, ${errorArg}): [${t.name}!]!`);
  }
  query.push('  "Access to subgraph metadata"\n  _meta(block: Block_height): _Meta_');
  parts.push(`type Query {\n${query.join('\n')}\n}`);
  return parts.join('\n\n');
}

export function buildApiSchema(schema: SchemaInfo): GraphQLSchema {
  return buildSchema(apiSchemaSdl(schema), { assumeValidSDL: false });
}
