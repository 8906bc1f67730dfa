// Every query the dApp sends must be valid against the API graph-node generates from subgraph/schema.graphql
// (the devnode generates the same API): a renamed field or a mistyped variable fails here, not in a user's browser.
import { describe, expect, it } from 'vitest';
import { validateQuery } from '../../../subgraph/devnode/src/graphql/validate';
import { parseSchema } from '../../../subgraph/devnode/src/schema/index';
import * as queries from './queries';
import schemaSdl from '../../../subgraph/schema.graphql?raw';

const schema = parseSchema(schemaSdl);
const all = Object.entries(queries).filter(([name, value]) => name.endsWith('_QUERY') && typeof value === 'string') as Array<[string, string]>;

describe('dApp subgraph queries', () => {
  it('covers every screen', () => {
    expect(all.length).toBeGreaterThanOrEqual(8);
  });
  it.each(all)('%s is valid against the generated API', (_name, query) => {
    expect(validateQuery(schema, query)).toEqual([]);
  });
});
