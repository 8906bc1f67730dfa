// Every GraphQL query the keeper sends (the dApp's are checked in dapp/src/subgraph/queries.schema.test.ts) to the subgraph must be valid against the API generated from
// schema.graphql (the devnode generates graph-node's API, so this is what graph-node would accept too). A field
// renamed in the schema, or a variable typed `String!` where graph-node expects `ID`, fails here, not in production.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSchema } from '@necto/devnode/src/schema/index.ts';
import { validateQuery } from '@necto/devnode/src/graphql/validate.ts';
import { OFFERS_QUERY } from '../../keeper/src/catalog/sources/subgraph.ts';
import { ROUTE_BY_LOG_ROOT_QUERY } from '../../keeper/src/services/log-service.ts';

const schema = parseSchema(readFileSync(join(__dirname, '..', 'schema.graphql'), 'utf8'));

const queries: Array<[string, string]> = [
  ['keeper OFFERS_QUERY', OFFERS_QUERY],
  ['keeper ROUTE_BY_LOG_ROOT_QUERY', ROUTE_BY_LOG_ROOT_QUERY],
];

describe('queries sent by the keeper', () => {
  it.each(queries)('%s is valid against the generated API', (_name, query) => {
    expect(validateQuery(schema, query)).toEqual([]);
  });
  it('rejects a query graph-node would reject (the check can fail)', () => {
    expect(validateQuery(schema, 'query Q($lastId: String!) { offers(where: { id_gt: $lastId }) { id } }')).not.toEqual([]);
  });
});
