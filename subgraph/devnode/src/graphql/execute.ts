/**
 * Executes GraphQL queries against a subgraph's store with graph-node's API and response shape.
 * Built on graphql-js (parse, validate, execute, introspection); the resolvers read the versioned store
 * at the block each top-level field asks for.
 */
import {
  GraphQLError,
  execute,
  parse,
  validate,
  Kind,
  type DocumentNode,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  type GraphQLTypeResolver,
  type OperationDefinitionNode,
} from 'graphql';
import type { BlockPtr, FatalError } from '../store/api.js';
import type { VersionedStore } from '../store/memory.js';
import type { FieldInfo, SchemaInfo } from '../schema/index.js';
import { concreteTypes, typeInfo } from '../schema/index.js';
import { storedHex } from '../store/values.js';
import { buildApiSchema } from './api-schema.js';
import { QueryError, valueParseError } from './errors.js';
import { runCollection, type CollectionArgs, type QueryContext, type Row } from './query.js';
import { toJson } from './values.js';
import {
  VALIDATION_RULES,
  acceptEnumStrings,
  checkDepth,
  checkListArguments,
  checkListVariables,
  checkNesting,
  soleOperation,
} from './graph-node-rules.js';

export interface GraphQLRequest {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

export interface GraphQLErrorJson {
  message: string;
  locations?: Array<{ line: number; column: number }>;
}

export interface GraphQLResponse {
  data?: Record<string, unknown> | null;
  errors?: GraphQLErrorJson[];
}

export interface SubgraphQueryOptions {
  schema: SchemaInfo;
  store: VersionedStore;
  /** The deployment id reported by `_meta { deployment }` and used in error messages. */
  deployment: string;
  /** The first block with data (graph-node refuses `block: { number }` below it). Default 0. */
  earliestBlock?: () => number;
}

interface RequestContext {
  opts: SubgraphQueryOptions;
  head: BlockPtr;
  fatal: FatalError | null;
  /** Response keys of top-level fields whose block has indexing errors, with their error policy. */
  indexingErrors: Map<string, 'allow' | 'deny'>;
}

type BlockArg = { hash?: string | null; number?: number | null; number_gte?: number | null } | null | undefined;

/** A prepared executor for one subgraph. */
export class SubgraphQueryEngine {
  readonly apiSchema: GraphQLSchema;
  private readonly prepared = new Map<string, { document: DocumentNode; operation: OperationDefinitionNode }>();

  constructor(readonly opts: SubgraphQueryOptions) {
    this.apiSchema = buildApiSchema(opts.schema);
  }

  run(req: GraphQLRequest): GraphQLResponse {
    if (typeof req.query !== 'string' || req.query.trim() === '') return { errors: [{ message: 'The query is empty' }] };
    let prepared = this.prepared.get(req.query);
    if (!prepared) {
      try {
        prepared = this.prepare(req.query);
      } catch (e) {
        return { errors: e instanceof InvalidQuery ? e.errors : [errorJson(e as Error)] };
      }
      if (this.prepared.size > 500) this.prepared.clear();
      this.prepared.set(req.query, prepared);
    }
    const { document: doc, operation } = prepared;
    try {
      checkListVariables(operation, req.variables);
    } catch (e) {
      return { errors: [errorJson(e as Error)] };
    }
    const head = this.opts.store.head();
    if (!head) {
      return {
        errors: [
          {
            message: `Subgraph \`${this.opts.deployment}\` has not started syncing yet. Wait for it to ingest a few blocks before querying it`,
          },
        ],
      };
    }
    const ctx: RequestContext = {
      opts: this.opts,
      head,
      fatal: this.opts.store.fatalError(),
      indexingErrors: new Map(),
    };
    // Block constraints are resolved before execution, as graph-node's `locate_blocks` does.
    try {
      checkBlocks(ctx, operation, req);
    } catch (e) {
      return { errors: [errorJson(e as Error)] };
    }
    const result = execute({
      schema: this.apiSchema,
      document: doc,
      variableValues: req.variables ?? undefined,
      // graph-node does not read `operationName`: the document's one operation runs.
      contextValue: ctx,
      fieldResolver,
      typeResolver,
    });
    if ('then' in result) throw new Error('unexpected asynchronous execution');
    if (result.errors && result.errors.length > 0) {
      // graph-node reports query execution errors without partial data.
      return { errors: dedupe(result.errors.map(errorJson)) };
    }
    const data = (result.data ?? null) as Record<string, unknown> | null;
    if (ctx.indexingErrors.size > 0 && data) {
      const debugOnly = Object.keys(data).every((k) => k === '_meta');
      if (!debugOnly) {
        for (const [key, policy] of ctx.indexingErrors) if (policy === 'deny') delete data[key];
        return { data, errors: [{ message: 'indexing_error' }] };
      }
    }
    return { data };
  }

  /**
   * Parses and checks a query the way graph-node does before executing it (graph-node-rules.ts): one operation, the
   * depth limit, graphql-js's validation less the rules graph-node skips, enum values given as strings, no single
   * value where a list is expected. Throws the error (or errors) to answer with.
   */
  private prepare(query: string): { document: DocumentNode; operation: OperationDefinitionNode } {
    checkNesting(query);
    const parsed = parse(query);
    const operation = soleOperation(parsed);
    checkDepth(parsed, operation);
    const document = acceptEnumStrings(this.apiSchema, parsed);
    const errors = validate(this.apiSchema, document, VALIDATION_RULES);
    // graph-node's validator (graphql-tools-rs) gives graphql-js's messages without the suggestions.
    if (errors.length > 0) {
      throw new InvalidQuery(errors.map(errorJson).map((e) => ({ ...e, message: e.message.replace(/ Did you mean .*\?$/, '') })));
    }
    checkListArguments(this.apiSchema, document);
    return { document, operation: soleOperation(document) };
  }
}

/** The validation errors of a query, answered together. */
class InvalidQuery extends Error {
  constructor(readonly errors: GraphQLErrorJson[]) {
    super(errors.map((e) => e.message).join('; '));
    this.name = 'InvalidQuery';
  }
}

function dedupe(errors: GraphQLErrorJson[]): GraphQLErrorJson[] {
  const seen = new Set<string>();
  return errors.filter((e) => (seen.has(e.message) ? false : (seen.add(e.message), true)));
}

function errorJson(e: Error): GraphQLErrorJson {
  if (e instanceof GraphQLError) {
    const original = e.originalError;
    if (original instanceof QueryError) return { message: original.message };
    const out: GraphQLErrorJson = { message: original?.message ?? e.message };
    if (e.locations && e.locations.length > 0 && !original) out.locations = e.locations.map((l) => ({ line: l.line, column: l.column }));
    return out;
  }
  return { message: e.message };
}

/** Validate every `block:` argument up front so that block errors are reported alone, as graph-node does. */
function checkBlocks(ctx: RequestContext, op: OperationDefinitionNode, req: GraphQLRequest) {
  for (const sel of op.selectionSet.selections) {
    if (sel.kind !== Kind.FIELD) continue;
    const arg = sel.arguments?.find((a) => a.name.value === 'block');
    if (!arg) continue;
    const value = literalValue(arg.value, req.variables ?? {}) as BlockArg;
    resolveBlock(ctx, value);
  }
}

function literalValue(node: import('graphql').ValueNode, vars: Record<string, unknown>): unknown {
  switch (node.kind) {
    case Kind.VARIABLE:
      return vars[node.name.value];
    case Kind.INT:
      return Number(node.value);
    case Kind.FLOAT:
      return Number(node.value);
    case Kind.STRING:
    case Kind.ENUM:
      return node.value;
    case Kind.BOOLEAN:
      return node.value;
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return node.values.map((v) => literalValue(v, vars));
    case Kind.OBJECT:
      return Object.fromEntries(node.fields.map((f) => [f.name.value, literalValue(f.value, vars)]));
  }
}

interface ResolvedBlock {
  number: number;
  /** null when the block was given by number (graph-node then reports no hash). */
  ptr: BlockPtr | null;
}

function resolveBlock(ctx: RequestContext, arg: BlockArg): ResolvedBlock {
  const { head, opts } = ctx;
  const queryable = (n: number) => {
    if (n > head.number) {
      throw valueParseError(
        'block.number',
        `subgraph ${opts.deployment} has only indexed up to block number ${head.number} and data for block number ${n} is therefore not yet available`,
      );
    }
    const earliest = opts.earliestBlock?.() ?? 0;
    if (n < earliest) {
      throw valueParseError(
        'block.number',
        `subgraph ${opts.deployment} only has data starting at block number ${earliest} and data for block number ${n} is therefore not available`,
      );
    }
  };
  if (!arg) return { number: head.number, ptr: head };
  if (arg.hash !== undefined && arg.hash !== null) {
    const n = opts.store.blockNumberByHash(arg.hash);
    if (n === null) throw valueParseError('block.hash', 'no block with that hash found');
    queryable(n);
    return { number: n, ptr: opts.store.block(n) };
  }
  if (arg.number !== undefined && arg.number !== null) {
    queryable(arg.number);
    return { number: arg.number, ptr: null };
  }
  if (arg.number_gte !== undefined && arg.number_gte !== null) {
    if (head.number < arg.number_gte) {
      throw valueParseError(
        'block.number_gte',
        `subgraph ${opts.deployment} has only indexed up to block number ${head.number} and data for block number ${arg.number_gte} is therefore not yet available`,
      );
    }
    return { number: head.number, ptr: head };
  }
  return { number: head.number, ptr: head };
}

/** graph-node `has_deterministic_errors`: a deterministic failure at or before `block`. */
function hasIndexingErrors(ctx: RequestContext, block: number): boolean {
  return !!ctx.fatal && ctx.fatal.deterministic && ctx.fatal.block.number <= block;
}

// ------------------------------------------------------------------------------------------- resolvers

/** An entity handed to graphql-js: a row plus the block the query reads at. */
class EntityValue {
  constructor(
    readonly row: Row,
    readonly qctx: QueryContext,
  ) {}
}

interface MetaValue {
  block: { number: number; hash: string | null; timestamp: number | null; parentHash: string | null };
  deployment: string;
  hasIndexingErrors: boolean;
}

const typeResolver: GraphQLTypeResolver<unknown, RequestContext> = (value) =>
  value instanceof EntityValue ? value.row.type.name : undefined;

const fieldResolver: GraphQLFieldResolver<unknown, RequestContext> = (source, args, ctx, info) => {
  if (info.parentType.name === 'Query') return resolveQueryField(ctx, info.fieldName, info.path.key as string, args);
  if (source instanceof EntityValue) return resolveEntityField(source, info.fieldName, args as CollectionArgs);
  return (source as Record<string, unknown> | null)?.[info.fieldName];
};

function queryContext(ctx: RequestContext, block: number): QueryContext {
  return { schema: ctx.opts.schema, store: ctx.opts.store, block, atHead: block >= ctx.head.number };
}

function resolveQueryField(ctx: RequestContext, fieldName: string, responseKey: string, args: Record<string, unknown>) {
  const block = resolveBlock(ctx, args['block'] as BlockArg);
  if (fieldName === '_meta') {
    const ptr = block.ptr;
    const meta: MetaValue = {
      block: {
        number: block.number,
        hash: ptr ? ptr.hash.toLowerCase() : null,
        timestamp: ptr?.timestamp !== undefined ? Number(ptr.timestamp) : null,
        parentHash: ptr?.parentHash ? ptr.parentHash.toLowerCase() : null,
      },
      deployment: ctx.opts.deployment,
      hasIndexingErrors: hasIndexingErrors(ctx, block.number),
    };
    return meta;
  }
  if (fieldName.startsWith('__')) return undefined;
  if (hasIndexingErrors(ctx, block.number)) {
    ctx.indexingErrors.set(responseKey, (args['subgraphError'] as 'allow' | 'deny' | undefined) ?? 'deny');
  }
  const schema = ctx.opts.schema;
  const qctx = queryContext(ctx, block.number);
  for (const t of [...schema.entities.values(), ...schema.interfaces.values()]) {
    if (t.singular === fieldName) {
      const id = String(args['id']);
      for (const ct of concreteTypes(schema, t.name)) {
        const v = ctx.opts.store.getAt(ct.name, id, block.number);
        if (v) return new EntityValue({ type: ct, v }, qctx);
      }
      return null;
    }
    if (t.plural === fieldName) {
      return runCollection(qctx, t.name, args as CollectionArgs).map((row) => new EntityValue(row, qctx));
    }
  }
  throw new QueryError(`Type \`Query\` has no field \`${fieldName}\``);
}

function resolveEntityField(src: EntityValue, fieldName: string, args: CollectionArgs): unknown {
  const { row, qctx } = src;
  const field: FieldInfo | undefined = row.type.fieldMap.get(fieldName);
  if (!field) return null;
  if (field.kind !== 'entity' && field.kind !== 'interface') {
    const v = row.v.data.get(fieldName);
    return v === undefined ? null : toJson(v);
  }
  const targets = concreteTypes(qctx.schema, field.typeName);
  if (field.derivedFrom !== undefined) {
    const back = field.derivedFrom;
    const children: Row[] = [];
    for (const t of targets) {
      for (const v of qctx.store.referencing(t.name, back, row.v.id, qctx.block)) children.push({ type: t, v });
    }
    if (field.list) return runCollection(qctx, field.typeName, args, children).map((r) => new EntityValue(r, qctx));
    if (children.length > 1) {
      throw new QueryError(
        `Ambiguous result for derived field \`${field.name}\`: Multiple \`${row.type.name}\` entities refer back via \`${back}\``,
      );
    }
    return children[0] ? new EntityValue(children[0], qctx) : null;
  }
  const value = row.v.data.get(fieldName);
  if (!value || value.kind === 'Null') return field.list ? [] : null;
  const ids = (value.kind === 'List' ? value.value : [value]).map((x) =>
    x.kind === 'Bytes' ? storedHex(x.value) : x.kind === 'String' ? x.value : String((x as { value: unknown }).value),
  );
  const lookup = (id: string): Row | null => {
    for (const t of targets) {
      const v = qctx.store.getAt(t.name, id, qctx.block);
      if (v) return { type: t, v };
    }
    return null;
  };
  if (!field.list) {
    const r = lookup(ids[0]!);
    return r ? new EntityValue(r, qctx) : null;
  }
  const seen = new Set<string>();
  const rows: Row[] = [];
  for (const id of ids) {
    if (seen.has(id)) continue;
    seen.add(id);
    const r = lookup(id);
    if (r) rows.push(r);
  }
  return runCollection(qctx, field.typeName, args, rows).map((r) => new EntityValue(r, qctx));
}

export function createQueryEngine(opts: SubgraphQueryOptions): SubgraphQueryEngine {
  return new SubgraphQueryEngine(opts);
}

export { typeInfo };
