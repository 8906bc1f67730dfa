// The execution screens' queries against the API generated from subgraph/schema.graphql.
import { describe, expect, it } from 'vitest';
import { validateQuery } from '../../../subgraph/devnode/src/graphql/validate';
import { parseSchema } from '../../../subgraph/devnode/src/schema/index';
import schemaSdl from '../../../subgraph/schema.graphql?raw';
import * as queries from './execution';

const schema = parseSchema(schemaSdl);
const all = Object.entries(queries).filter(([name, value]) => name.endsWith('_QUERY') && typeof value === 'string') as Array<[string, string]>;

describe('execution subgraph queries', () => {
  it('covers the job, arbiter and provider panels', () => {
    expect(all.map(([name]) => name).sort()).toEqual(['DISPUTES_QUERY', 'DISPUTE_TERMS_QUERY', 'JOB_DOCUMENT_QUERY', 'JOB_RESULT_QUERY', 'PROVIDER_LOAD_QUERY']);
  });
  it.each(all)('%s is valid against the generated API', (_name, query) => {
    expect(validateQuery(schema, query)).toEqual([]);
  });
});
