/**
 * Parses a subgraph's `schema.graphql` into the shape the store and the GraphQL layer use, applying the
 * validations graph-node applies (graph-node `graph/src/schema/input/mod.rs`) and failing clearly on the
 * features the devnode does not implement (aggregations, fulltext search).
 */
import {
  Kind,
  parse,
  type ConstDirectiveNode,
  type FieldDefinitionNode,
  type ObjectTypeDefinitionNode,
  type InterfaceTypeDefinitionNode,
  type TypeNode,
} from 'graphql';
import { camelCasedNames } from './names.js';

export type ScalarName =
  | 'ID'
  | 'String'
  | 'Int'
  | 'Int8'
  | 'BigInt'
  | 'BigDecimal'
  | 'Bytes'
  | 'Boolean'
  | 'Timestamp';

export const SCALARS: readonly ScalarName[] = [
  'ID',
  'String',
  'Int',
  'Int8',
  'BigInt',
  'BigDecimal',
  'Bytes',
  'Boolean',
  'Timestamp',
];

/** How entities of a type are identified (graph-node `IdType`). */
export type IdType = 'String' | 'Bytes' | 'Int8';

export type FieldKind = 'scalar' | 'enum' | 'entity' | 'interface';

export interface FieldInfo {
  name: string;
  description: string | undefined;
  /** The named (base) type, e.g. `BigInt` for `[BigInt!]!`. */
  typeName: string;
  kind: FieldKind;
  /** Set when `kind === 'scalar'`. */
  scalar: ScalarName | undefined;
  list: boolean;
  nonNull: boolean;
  /** For lists: whether the items are non-null. */
  itemNonNull: boolean;
  /** `@derivedFrom(field:)`: the field of `typeName` that points back at this entity. */
  derivedFrom: string | undefined;
  /** The declared type as written in the schema (kept for the API schema). */
  typeNode: TypeNode;
}

interface TypeInfoBase {
  name: string;
  description: string | undefined;
  fields: FieldInfo[];
  fieldMap: Map<string, FieldInfo>;
  idType: IdType;
  /** `entityName` singular/plural query field names as graph-node derives them. */
  singular: string;
  plural: string;
}

export interface EntityTypeInfo extends TypeInfoBase {
  kind: 'entity';
  immutable: boolean;
  interfaces: string[];
}

export interface InterfaceInfo extends TypeInfoBase {
  kind: 'interface';
  implementers: string[];
}

export interface EnumInfo {
  name: string;
  description: string | undefined;
  values: string[];
}

export interface SchemaInfo {
  sdl: string;
  /** Entity (object) types in declaration order. */
  entities: Map<string, EntityTypeInfo>;
  interfaces: Map<string, InterfaceInfo>;
  enums: Map<string, EnumInfo>;
}

export class SchemaError extends Error {
  constructor(
    message: string,
    readonly errors: string[] = [message],
  ) {
    super(message);
    this.name = 'SchemaError';
  }
}

const RESERVED_SCALARS = ['Boolean', 'ID', 'Int', 'BigDecimal', 'String', 'Bytes', 'BigInt', 'Query', 'Subscription'];

function directive(node: { directives?: readonly ConstDirectiveNode[] }, name: string): ConstDirectiveNode | undefined {
  return node.directives?.find((d) => d.name.value === name);
}

function directiveArg(d: ConstDirectiveNode, name: string) {
  return d.arguments?.find((a) => a.name.value === name)?.value;
}

function baseTypeName(t: TypeNode): string {
  return t.kind === Kind.NAMED_TYPE ? t.name.value : baseTypeName(t.type);
}

function describeType(t: TypeNode): { list: boolean; nonNull: boolean; itemNonNull: boolean; nestedList: boolean } {
  let nonNull = false;
  let inner = t;
  if (inner.kind === Kind.NON_NULL_TYPE) {
    nonNull = true;
    inner = inner.type;
  }
  if (inner.kind !== Kind.LIST_TYPE) return { list: false, nonNull, itemNonNull: false, nestedList: false };
  let item = inner.type;
  let itemNonNull = false;
  if (item.kind === Kind.NON_NULL_TYPE) {
    itemNonNull = true;
    item = item.type;
  }
  return { list: true, nonNull, itemNonNull, nestedList: item.kind === Kind.LIST_TYPE };
}

/**
 * Parse and validate a subgraph schema. Throws `SchemaError` listing every problem found, like graph-node's
 * deployment-time validation.
 */
export function parseSchema(sdl: string): SchemaInfo {
  let doc;
  try {
    doc = parse(sdl, { noLocation: false });
  } catch (e) {
    throw new SchemaError(`Invalid schema: ${(e as Error).message}`);
  }
  const errors: string[] = [];
  const objects: ObjectTypeDefinitionNode[] = [];
  const interfaces: InterfaceTypeDefinitionNode[] = [];
  const enums = new Map<string, EnumInfo>();
  const declared = new Set<string>();
  const missingEntity: string[] = [];

  for (const def of doc.definitions) {
    switch (def.kind) {
      case Kind.OBJECT_TYPE_DEFINITION: {
        declared.add(def.name.value);
        if (directive(def, 'aggregation')) {
          errors.push(
            `Type \`${def.name.value}\` uses @aggregation: aggregations are not supported by the devnode (use graph-node)`,
          );
          continue;
        }
        if (def.name.value === '_Schema_') {
          if (def.fields && def.fields.length > 0) {
            errors.push('_Schema_ type is only for @fulltext and must not have any fields');
          }
          if (def.directives?.some((d) => d.name.value === 'fulltext')) {
            errors.push('@fulltext search is not supported by the devnode (use graph-node)');
          }
          if (def.directives?.some((d) => d.name.value !== 'fulltext')) {
            errors.push('The _Schema_ type only allows @fulltext directives');
          }
          continue;
        }
        if (!directive(def, 'entity')) {
          missingEntity.push(def.name.value);
          continue;
        }
        objects.push(def);
        break;
      }
      case Kind.INTERFACE_TYPE_DEFINITION:
        declared.add(def.name.value);
        interfaces.push(def);
        break;
      case Kind.ENUM_TYPE_DEFINITION:
        declared.add(def.name.value);
        enums.set(def.name.value, {
          name: def.name.value,
          description: def.description?.value,
          values: (def.values ?? []).map((v) => v.name.value),
        });
        break;
      case Kind.SCALAR_TYPE_DEFINITION:
      case Kind.UNION_TYPE_DEFINITION:
      case Kind.INPUT_OBJECT_TYPE_DEFINITION:
      case Kind.SCHEMA_DEFINITION:
      case Kind.DIRECTIVE_DEFINITION:
        // graph-node ignores these in subgraph schemas (api.rs `init_api_schema`); so do we.
        if ('name' in def && def.name) declared.add(def.name.value);
        break;
      default:
        break;
    }
  }
  if (missingEntity.length > 0) {
    errors.push(`@entity directive missing on the following types: \`${missingEntity.join(', ')}\``);
  }

  const objectNames = new Set(objects.map((o) => o.name.value));
  const interfaceNames = new Set(interfaces.map((i) => i.name.value));

  // Reserved type names (graph-node `validate_reserved_types_usage`).
  const reserved = [...RESERVED_SCALARS];
  for (const n of [...objectNames, ...interfaceNames]) reserved.push(`${n}_filter`, `${n}_orderBy`);
  const usedReserved = reserved.filter((r) => declared.has(r));
  if (usedReserved.length > 0) errors.push(`The following type names are reserved: \`${usedReserved.join(', ')}\``);

  const kindOf = (typeName: string): FieldKind | undefined => {
    if ((SCALARS as readonly string[]).includes(typeName)) return 'scalar';
    if (enums.has(typeName)) return 'enum';
    if (objectNames.has(typeName)) return 'entity';
    if (interfaceNames.has(typeName)) return 'interface';
    return undefined;
  };

  const toFields = (typeName: string, defs: readonly FieldDefinitionNode[] | undefined): FieldInfo[] => {
    const fields: FieldInfo[] = [];
    for (const f of defs ?? []) {
      const base = baseTypeName(f.type);
      const kind = kindOf(base);
      if (!kind) {
        errors.push(`Type \`${typeName}\`, field \`${f.name.value}\`: type \`${base}\` is not defined`);
        continue;
      }
      const shape = describeType(f.type);
      if (shape.nestedList) {
        errors.push(`Type \`${typeName}\`, field \`${f.name.value}\`: nested lists are not supported`);
        continue;
      }
      if (directive(f, 'fulltext')) errors.push('@fulltext search is not supported by the devnode (use graph-node)');
      const derived = directive(f, 'derivedFrom');
      let derivedFrom: string | undefined;
      if (derived) {
        const arg = directiveArg(derived, 'field');
        if (!arg) {
          errors.push(
            `Field \`${f.name.value}\` in type \`${typeName}\` has invalid @derivedFrom: the @derivedFrom directive must have a \`field\` argument`,
          );
        } else if (arg.kind !== Kind.STRING) {
          errors.push(
            `Field \`${f.name.value}\` in type \`${typeName}\` has invalid @derivedFrom: the @derivedFrom \`field\` argument must be a string`,
          );
        } else derivedFrom = arg.value;
      }
      fields.push({
        name: f.name.value,
        description: f.description?.value,
        typeName: base,
        kind,
        scalar: kind === 'scalar' ? (base as ScalarName) : undefined,
        list: shape.list,
        nonNull: shape.nonNull,
        itemNonNull: shape.itemNonNull,
        derivedFrom,
        typeNode: f.type,
      });
    }
    return fields;
  };

  const idTypeOf = (typeName: string, fields: FieldInfo[]): IdType | undefined => {
    const id = fields.find((f) => f.name === 'id');
    if (!id) {
      errors.push(`Type ${typeName} is missing an \`id\` field`);
      return undefined;
    }
    switch (id.typeName) {
      case 'ID':
      case 'String':
        return 'String';
      case 'Bytes':
        return 'Bytes';
      case 'Int8':
        return 'Int8';
      default:
        errors.push(`Entity type ${typeName} uses illegal type ${id.typeName} for id column`);
        return undefined;
    }
  };

  const entities = new Map<string, EntityTypeInfo>();
  for (const o of objects) {
    const name = o.name.value;
    const dir = directive(o, 'entity')!;
    const boolArg = (arg: string): boolean | undefined => {
      const v = directiveArg(dir, arg);
      if (v === undefined) return undefined;
      if (v.kind !== Kind.BOOLEAN) {
        errors.push(`The \`${arg}\` argument of the @entity directive must be a boolean`);
        return undefined;
      }
      return v.value;
    };
    const timeseries = boolArg('timeseries') ?? false;
    const immutable = boolArg('immutable') ?? timeseries;
    if (timeseries) {
      errors.push(
        `Type \`${name}\` is a timeseries (@entity(timeseries: true)): timeseries and aggregations are not supported by the devnode (use graph-node)`,
      );
    }
    if ((boolArg('skipDuplicates') ?? false) && !immutable) {
      errors.push(`Type \`${name}\`: skipDuplicates requires the entity to be immutable`);
    }
    const fields = toFields(name, o.fields);
    const idType = idTypeOf(name, fields) ?? 'String';
    const [singular, plural] = camelCasedNames(name);
    entities.set(name, {
      kind: 'entity',
      name,
      description: o.description?.value,
      fields,
      fieldMap: new Map(fields.map((f) => [f.name, f])),
      idType,
      immutable,
      interfaces: (o.interfaces ?? []).map((i) => i.name.value),
      singular,
      plural,
    });
  }

  const interfaceInfos = new Map<string, InterfaceInfo>();
  for (const i of interfaces) {
    const name = i.name.value;
    const fields = toFields(name, i.fields);
    const implementers = [...entities.values()].filter((e) => e.interfaces.includes(name)).map((e) => e.name);
    const [singular, plural] = camelCasedNames(name);
    const idTypes = new Set(implementers.map((n) => entities.get(n)!.idType));
    if (idTypes.size > 1) {
      errors.push(
        `Implementors of interface \`${name}\` use different id types \`${[...idTypes].join(', ')}\`. They must all use the same type`,
      );
    }
    interfaceInfos.set(name, {
      kind: 'interface',
      name,
      description: i.description?.value,
      fields,
      fieldMap: new Map(fields.map((f) => [f.name, f])),
      idType: implementers.length > 0 ? entities.get(implementers[0]!)!.idType : 'String',
      implementers,
      singular,
      plural,
    });
  }

  // Interfaces must be defined and satisfied.
  for (const e of entities.values()) {
    for (const iname of e.interfaces) {
      const intf = interfaceInfos.get(iname);
      if (!intf) {
        errors.push(`Interface \`${iname}\` not defined`);
        continue;
      }
      const missing = intf.fields
        .filter((f) => {
          const own = e.fieldMap.get(f.name);
          return !own || !sameType(own.typeNode, f.typeNode);
        })
        .map((f) => `${f.name}: ${printType(f.typeNode)}`);
      if (missing.length > 0) {
        errors.push(
          `Entity type \`${e.name}\` does not satisfy interface \`${iname}\` because it is missing the following fields: ${missing.join(', ')}`,
        );
      }
    }
  }

  // @derivedFrom must point back (graph-node `validate_derived_from`).
  for (const e of entities.values()) {
    for (const f of e.fields) {
      if (f.derivedFrom === undefined) continue;
      const invalid = (reason: string) =>
        errors.push(`Field \`${f.name}\` in type \`${e.name}\` has invalid @derivedFrom: ${reason}`);
      const target = entities.get(f.typeName) ?? interfaceInfos.get(f.typeName);
      if (!target) {
        invalid('type must be an existing entity or interface');
        continue;
      }
      const tf = target.fieldMap.get(f.derivedFrom);
      if (!tf) {
        invalid(`field \`${f.derivedFrom}\` does not exist on type \`${f.typeName}\``);
        continue;
      }
      const ifaces = e.interfaces.filter((i) => interfaceInfos.get(i)?.fieldMap.has(f.name));
      if (tf.typeName !== e.name && tf.name !== 'id' && !ifaces.includes(tf.typeName)) {
        const sigs = (n: string) => [n, `${n}!`, `[${n}!]`, `[${n}!]!`];
        const valid = [...sigs(e.name), ...ifaces.flatMap(sigs)].join(', ');
        invalid(`field \`${tf.name}\` on type \`${f.typeName}\` must have one of the following types: ${valid}`);
      }
    }
  }

  // Query field names must not collide (e.g. `Stats` and `Stat`).
  const queryNames = new Map<string, string>();
  for (const t of [...entities.values(), ...interfaceInfos.values()]) {
    for (const n of [t.singular, t.plural]) {
      const other = queryNames.get(n);
      if (other && other !== t.name) errors.push(`Types \`${other}\` and \`${t.name}\` both map to the query field \`${n}\``);
      queryNames.set(n, t.name);
    }
  }

  if (errors.length > 0) {
    throw new SchemaError(
      errors.length === 1 ? errors[0]! : `Schema validation failed:\n${errors.map((e) => `  - ${e}`).join('\n')}`,
      errors,
    );
  }
  return { sdl, entities, interfaces: interfaceInfos, enums };
}

export function printType(t: TypeNode): string {
  switch (t.kind) {
    case Kind.NAMED_TYPE:
      return t.name.value;
    case Kind.LIST_TYPE:
      return `[${printType(t.type)}]`;
    case Kind.NON_NULL_TYPE:
      return `${printType(t.type)}!`;
  }
}

function sameType(a: TypeNode, b: TypeNode): boolean {
  return printType(a) === printType(b);
}

/** The entity type or interface named `name`, if any. */
export function typeInfo(schema: SchemaInfo, name: string): EntityTypeInfo | InterfaceInfo | undefined {
  return schema.entities.get(name) ?? schema.interfaces.get(name);
}

/** The concrete entity types behind a type name (itself, or an interface's implementers). */
export function concreteTypes(schema: SchemaInfo, name: string): EntityTypeInfo[] {
  const e = schema.entities.get(name);
  if (e) return [e];
  const i = schema.interfaces.get(name);
  return i ? i.implementers.map((n) => schema.entities.get(n)!) : [];
}

export { camelCasedNames } from './names.js';
