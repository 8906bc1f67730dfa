// The execution screens' queries against the API generated from subgraph/schema.graphql. The tracked document and
// the per-job dispute terms are fields the subgraph gains with the contracts that emit them: until then the only
// errors allowed are about exactly those fields (the panels that use them degrade on their own).
import { describe, expect, it } from 'vitest';
import { validateQuery } from '../../../subgraph/devnode/src/graphql/validate';
import { parseSchema } from '../../../subgraph/devnode/src/schema/index';
import schemaSdl from '../../../subgraph/schema.graphql?raw';
import * as queries from './execution';

const schema = parseSchema(schemaSdl);
const PENDING: Record<string, string[]> = {
  JOB_DOCUMENT_QUERY: ['document'],
  JOB_TERMS_QUERY: ['disputeWindow', 'disputeTimeout'],
};
const all = Object.entries(queries).filter(([name, value]) => name.endsWith('_QUERY') && typeof value === 'string') as Array<[string, string]>;

describe('execution subgraph queries', () => {
  it('covers the job, arbiter and provider panels', () => {
    expect(all.map(([name]) => name).sort()).toEqual(['DISPUTES_QUERY', 'JOB_DOCUMENT_QUERY', 'JOB_RESULT_QUERY', 'JOB_TERMS_QUERY', 'PROVIDER_LOAD_QUERY']);
  });
  it.each(all)('%s is valid against the generated API', (name, query) => {
    const pending = (PENDING[name] ?? []).map((field) => `Cannot query field "${field}" on type "Job".`);
    const unexpected = validateQuery(schema, query).filter((message) => !pending.some((p) => message.startsWith(p)));
    expect(unexpected).toEqual([]);
  });
});
