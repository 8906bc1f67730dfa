/**
 * Static validation of a client's query against a subgraph's generated API, without a store: lets consumers
 * (keeper, dApp) check in their tests that every query they send is one graph-node would accept.
 */
import { parse, validate, type GraphQLSchema } from 'graphql';
import type { SchemaInfo } from '../schema/index.js';
import { buildApiSchema } from './api-schema.js';

const cache = new WeakMap<SchemaInfo, GraphQLSchema>();

/** The validation errors of `query` against the API generated for `schema` (empty when valid). */
export function validateQuery(schema: SchemaInfo, query: string): string[] {
  let api = cache.get(schema);
  if (!api) {
    api = buildApiSchema(schema);
    cache.set(schema, api);
  }
  try {
    return validate(api, parse(query)).map((e) => e.message);
  } catch (e) {
    return [e instanceof Error ? e.message : String(e)];
  }
}
