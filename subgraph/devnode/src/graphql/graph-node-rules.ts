/**
 * What graph-node (v0.44, default settings) checks before it executes a query, and what it lets through, over
 * graphql-js's parser and validator:
 *
 * - Full GraphQL validation is off by default (`ENABLE_GRAPHQL_VALIDATIONS=false`, graph/src/env/graphql.rs; the plan
 *   is empty in graphql/src/execution/query.rs). Its own checks still reject unknown fields and bad values, so the
 *   devnode keeps graphql-js's rules except the ones graph-node has no counterpart for: unknown arguments are ignored,
 *   unused variables and fragments are accepted (`VALIDATION_RULES`), and an enum value may be given as a string
 *   (graphql/src/values/coercion.rs accepts `q::Value::String` for an enum: `acceptEnumStrings`).
 * - A document must hold exactly one operation; graph-node's HTTP server does not read `operationName`
 *   (server/http/src/request.rs) and `Query::new` answers "Operation name required" for a second one.
 * - Depth: `RawQuery::complexity_inner` fails with "query has a depth that exceeds the limit of `255`" once a selection
 *   set (a field's, a fragment's or an inline fragment's) sits 255 levels below the operation's
 *   (`GRAPH_GRAPHQL_MAX_DEPTH`, default `u8::MAX`).
 * - A list-typed argument or variable given a single value is refused (`coerce_value`: "Otherwise the list type is
 *   not coercible"), where graphql-js would wrap it in a list: "Invalid value provided for argument `where`: …".
 *
 * graph-node documents no limit on how deeply argument values nest; the devnode refuses more than
 * `MAX_VALUE_NESTING` levels so that parsing can never exhaust the stack.
 */
import {
  KnownArgumentNamesRule,
  Kind,
  NoUnusedFragmentsRule,
  NoUnusedVariablesRule,
  TypeInfo,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  specifiedRules,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { QueryError } from './errors.js';

/** `GRAPH_GRAPHQL_MAX_DEPTH`'s default (graph/src/env/graphql.rs). */
export const MAX_DEPTH = 255;
/** The devnode's own bound on `{`/`[` nesting inside arguments and variable defaults. */
export const MAX_VALUE_NESTING = 256;

/** graphql-js's validation rules less those graph-node does not apply by default. */
export const VALIDATION_RULES = specifiedRules.filter(
  (rule) => rule !== KnownArgumentNamesRule && rule !== NoUnusedVariablesRule && rule !== NoUnusedFragmentsRule,
);

export const tooDeepError = () => new QueryError(`query has a depth that exceeds the limit of \`${MAX_DEPTH}\``);
export const operationNameRequiredError = () => new QueryError('Operation name required');

/**
 * Checks the query text before it is parsed: selection sets nested `MAX_DEPTH` + 1 deep fail as in graph-node, values
 * nested more than `MAX_VALUE_NESTING` deep fail with the devnode's own message. Strings and comments are skipped.
 */
export function checkNesting(text: string): void {
  let selections = 0;
  let parens = 0;
  let values = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x23 /* # */) {
      while (i < n && text.charCodeAt(i) !== 0x0a && text.charCodeAt(i) !== 0x0d) i++;
    } else if (c === 0x22 /* " */) {
      if (text.startsWith('"""', i)) {
        const end = blockStringEnd(text, i + 3);
        i = end < 0 ? n : end + 2;
      } else {
        for (i++; i < n; i++) {
          const d = text.charCodeAt(i);
          if (d === 0x5c /* \ */) i++;
          else if (d === 0x22 || d === 0x0a || d === 0x0d) break;
        }
      }
    } else if (c === 0x28 /* ( */) {
      parens++;
    } else if (c === 0x29 /* ) */) {
      if (parens > 0) parens--;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (parens > 0) {
        if (++values > MAX_VALUE_NESTING) {
          throw new QueryError(`query has argument values nested deeper than the devnode's limit of ${MAX_VALUE_NESTING}`);
        }
      } else if (c === 0x7b && ++selections > MAX_DEPTH) {
        throw tooDeepError();
      }
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      if (parens > 0) {
        if (values > 0) values--;
      } else if (c === 0x7d && selections > 0) {
        selections--;
      }
    }
  }
}

/** Index of the `"""` closing a block string whose body starts at `from` (escaped `\"""` skipped), or -1. */
function blockStringEnd(text: string, from: number): number {
  for (let i = text.indexOf('"""', from); i >= 0; i = text.indexOf('"""', i + 1)) {
    if (text.charCodeAt(i - 1) !== 0x5c) return i;
  }
  return -1;
}

/** The one operation of a document; graph-node refuses a document with none or several. */
export function soleOperation(doc: DocumentNode): OperationDefinitionNode {
  let operation: OperationDefinitionNode | null = null;
  for (const def of doc.definitions) {
    if (def.kind !== Kind.OPERATION_DEFINITION) continue;
    if (operation) throw operationNameRequiredError();
    operation = def;
  }
  if (!operation) throw operationNameRequiredError();
  return operation;
}

/** graph-node's depth check, following fragment spreads from the operation (a fragment cycle is left to validation). */
export function checkDepth(doc: DocumentNode, operation: OperationDefinitionNode): void {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of doc.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  const walk = (set: SelectionSetNode, depth: number, visiting: ReadonlySet<string>): void => {
    if (depth >= MAX_DEPTH) throw tooDeepError();
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.selectionSet && selection.selectionSet.selections.length > 0) walk(selection.selectionSet, depth + 1, visiting);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet, depth + 1, visiting);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment || visiting.has(name)) continue;
        walk(fragment.selectionSet, depth + 1, new Set(visiting).add(name));
      }
    }
  };
  walk(operation.selectionSet, 0, new Set());
}

/**
 * Rewrites string values given where an enum is expected into that enum's value (when the string names one), as
 * graph-node's coercion accepts them; returns the document unchanged when there is none.
 */
export function acceptEnumStrings(schema: GraphQLSchema, doc: DocumentNode): DocumentNode {
  const typeInfo = new TypeInfo(schema);
  return visit(
    doc,
    visitWithTypeInfo(typeInfo, {
      StringValue(node) {
        const type = typeInfo.getInputType();
        const named = type ? getNullableType(type) : null;
        if (named && isEnumType(named) && named.getValue(node.value)) {
          return { kind: Kind.ENUM, value: node.value, ...(node.loc ? { loc: node.loc } : {}) };
        }
        return undefined;
      },
    }),
  );
}

/**
 * The first argument whose literal value puts a single value where a list is expected (at any depth of an input
 * object), refused with graph-node's InvalidArgumentError; variables are checked by `checkListVariables`.
 */
export function checkListArguments(schema: GraphQLSchema, doc: DocumentNode): void {
  const typeInfo = new TypeInfo(schema);
  visit(
    doc,
    visitWithTypeInfo(typeInfo, {
      Argument(node) {
        const arg = typeInfo.getArgument();
        if (arg && !listsFit(node.value, arg.type)) {
          throw new QueryError(`Invalid value provided for argument \`${node.name.value}\`: ${debugValue(node.value)}`);
        }
      },
    }),
  );
}

/** Whether every list-typed position in `value` holds a list (or null or a variable). */
function listsFit(value: ValueNode, type: GraphQLInputType): boolean {
  if (value.kind === Kind.NULL || value.kind === Kind.VARIABLE) return true;
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    if (value.kind !== Kind.LIST) return false;
    return value.values.every((item) => listsFit(item, nullable.ofType as GraphQLInputType));
  }
  if (isInputObjectType(nullable) && value.kind === Kind.OBJECT) {
    const fields = nullable.getFields();
    return value.fields.every((f) => {
      const field = fields[f.name.value];
      return !field || listsFit(f.value, field.type);
    });
  }
  return true;
}

/** Variables of a list type given a single value, refused like graph-node's `coerce_variable`. */
export function checkListVariables(
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | null | undefined,
): void {
  if (!variables) return;
  for (const def of operation.variableDefinitions ?? []) {
    const name = def.variable.name.value;
    const value = variables[name];
    if (value === undefined || value === null) continue;
    let type = def.type;
    if (type.kind === Kind.NON_NULL_TYPE) type = type.type;
    if (type.kind === Kind.LIST_TYPE && !Array.isArray(value)) {
      throw new QueryError(`Invalid value provided for argument \`${name}\`: ${debugJson(value)}`);
    }
  }
}

/** A literal as graph-node prints it in errors (Rust's `Debug` of `graphql_parser::query::Value`). */
export function debugValue(value: ValueNode): string {
  switch (value.kind) {
    case Kind.NULL:
      return 'Null';
    case Kind.BOOLEAN:
      return `Boolean(${value.value})`;
    case Kind.INT:
      return `Int(Number(${value.value}))`;
    case Kind.FLOAT:
      return `Float(${Number(value.value)})`;
    case Kind.STRING:
      return `String(${JSON.stringify(value.value)})`;
    case Kind.ENUM:
      return `Enum(${JSON.stringify(value.value)})`;
    case Kind.VARIABLE:
      return `Variable(${JSON.stringify(value.name.value)})`;
    case Kind.LIST:
      return `List([${value.values.map(debugValue).join(', ')}])`;
    case Kind.OBJECT: {
      // a BTreeMap: keys in order
      const fields = [...value.fields].sort((a, b) => (a.name.value < b.name.value ? -1 : a.name.value > b.name.value ? 1 : 0));
      return `Object({${fields.map((f) => `${JSON.stringify(f.name.value)}: ${debugValue(f.value)}`).join(', ')}})`;
    }
  }
}

/** A variable's JSON value as graph-node prints it in errors. */
function debugJson(value: unknown): string {
  if (value === null) return 'Null';
  if (typeof value === 'boolean') return `Boolean(${value})`;
  if (typeof value === 'number') return Number.isInteger(value) ? `Int(Number(${value}))` : `Float(${value})`;
  if (typeof value === 'string') return `String(${JSON.stringify(value)})`;
  if (Array.isArray(value)) return `List([${value.map(debugJson).join(', ')}])`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `Object({${entries.map(([k, v]) => `${JSON.stringify(k)}: ${debugJson(v)}`).join(', ')}})`;
}
