/**
 * What the host functions need to know about the subgraph schema: which entity types exist, their fields
 * (to reject undefined fields and missing required values like graph-node's store.set), id types, and
 * `@derivedFrom` links (for `store.loadRelated`). Parsed straight from the SDL so the runtime does not depend
 * on the GraphQL layer's richer model.
 */
import { Kind, parse, type FieldDefinitionNode, type TypeNode } from 'graphql';

export interface FieldView {
  name: string;
  /** named GraphQL type (`BigInt`, `String`, an entity name…) */
  type: string;
  required: boolean;
  list: boolean;
  derivedFrom: string | null;
}

export interface EntityView {
  name: string;
  fields: Map<string, FieldView>;
  idType: 'String' | 'Bytes' | 'Int8';
  immutable: boolean;
}

export interface SchemaView {
  entities: Map<string, EntityView>;
  interfaces: Set<string>;
}

function unwrap(type: TypeNode): { name: string; required: boolean; list: boolean } {
  let required = false;
  let list = false;
  let node = type;
  if (node.kind === Kind.NON_NULL_TYPE) {
    required = true;
    node = node.type;
  }
  if (node.kind === Kind.LIST_TYPE) {
    list = true;
    node = node.type;
    if (node.kind === Kind.NON_NULL_TYPE) node = node.type;
  }
  if (node.kind !== Kind.NAMED_TYPE) throw new Error('nested lists are not supported in subgraph schemas');
  return { name: node.name.value, required, list };
}

function fieldView(field: FieldDefinitionNode): FieldView {
  const { name, required, list } = unwrap(field.type);
  const derived = field.directives?.find((d) => d.name.value === 'derivedFrom');
  const derivedArg = derived?.arguments?.find((a) => a.name.value === 'field');
  return {
    name: field.name.value,
    type: name,
    required,
    list,
    derivedFrom: derivedArg && derivedArg.value.kind === Kind.STRING ? derivedArg.value.value : null,
  };
}

export function buildSchemaView(sdl: string): SchemaView {
  const document = parse(sdl);
  const entities = new Map<string, EntityView>();
  const interfaces = new Set<string>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.INTERFACE_TYPE_DEFINITION) interfaces.add(definition.name.value);
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION) continue;
    const entityDirective = definition.directives?.find((d) => d.name.value === 'entity');
    if (!entityDirective) continue;
    const immutableArg = entityDirective.arguments?.find((a) => a.name.value === 'immutable' || a.name.value === 'timeseries');
    const fields = new Map<string, FieldView>();
    for (const field of definition.fields ?? []) fields.set(field.name.value, fieldView(field));
    const idField = fields.get('id');
    const idType = idField?.type === 'Bytes' ? 'Bytes' : idField?.type === 'Int8' ? 'Int8' : 'String';
    entities.set(definition.name.value, {
      name: definition.name.value,
      fields,
      idType,
      immutable: immutableArg?.value.kind === Kind.BOOLEAN && immutableArg.value.value,
    });
  }
  return { entities, interfaces };
}
