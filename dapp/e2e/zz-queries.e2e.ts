import { readFileSync } from 'node:fs';
import { it, expect } from 'vitest';
import * as Q from '../src/subgraph/queries';
it('queries', async () => {
  const stack = JSON.parse(readFileSync('/tmp/necto-e2e/stack.json', 'utf8'));
  const vars: Record<string, Record<string, unknown>> = {
    ACTIVITY_QUERY: { first: 5, where: { involves_contains: ['0x90f79bf6eb2c4f870365e785982e1f101e93b906'] } },
    PROTOCOL_QUERY: {},
    JOBS_QUERY: { where: { buyer: '0x90f79bf6eb2c4f870365e785982e1f101e93b906' }, first: 5 },
    JOB_QUERY: { id: '1' },
    PROVIDER_QUERY: { id: '0xa0ee7a142d267c1f36714e4a8f75612f20a79720', address: '0xa0ee7a142d267c1f36714e4a8f75612f20a79720' },
    ACCOUNT_QUERY: { id: '0xa0ee7a142d267c1f36714e4a8f75612f20a79720' },
    MARKET_OFFERS_QUERY: {},
    MY_TEAMS_QUERY: { member: '0x90f79bf6eb2c4f870365e785982e1f101e93b906' },
    TEAM_QUERY: { id: '1', teamId: '1' },
  };
  const errors: string[] = [];
  for (const [name, variables] of Object.entries(vars)) {
    const query = (Q as Record<string, unknown>)[name] as string;
    const r = await fetch(stack.subgraphUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
    const body = await r.json();
    if (body.errors) errors.push(`${name}: ${JSON.stringify(body.errors)}`);
    else console.log(name, JSON.stringify(body.data).slice(0, 300));
  }
  expect(errors).toEqual([]);
});
