/**
 * Query micro-benchmark: builds a store with N tokens (default 20,000) over 500 accounts and 50 blocks
 * of history (updates and removals), then times typical filtered, ordered, paginated queries.
 * Run: pnpm --filter @necto/devnode exec tsx bench/query.ts [entities]
 */
import { createStore } from '../src/store/memory.js';
import { SubgraphQueryEngine } from '../src/graphql/execute.js';
import { block, entity, testSchema } from '../test/graphql/helpers.js';

const N = Number(process.argv[2] ?? 20_000);
const ACCOUNTS = 500;
const BLOCKS = 50;
const ROUNDS = 200;

const schema = testSchema();
const store = createStore({ schema });
const e = (type: string, obj: Record<string, unknown>) => entity(schema, type, obj);
const account = (i: number) => `0x${i.toString(16).padStart(40, '0')}`;
let seed = 42;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);

const t0 = performance.now();
const perBlock = Math.ceil(N / BLOCKS);
for (let b = 1; b <= BLOCKS; b++) {
  store.beginBlock(block(b));
  if (b === 1) {
    for (let a = 0; a < ACCOUNTS; a++) {
      store.set('Account', account(a), e('Account', { id: account(a), name: `account ${a}`, balance: Math.floor(rand() * 1e6) - 5e5 }));
    }
  }
  for (let i = (b - 1) * perBlock; i < Math.min(N, b * perBlock); i++) {
    store.set(
      'Token',
      `t${i}`,
      e('Token', {
        id: `t${i}`,
        name: `Token ${i} ${['alpha', 'beta', 'gamma', 'delta'][i % 4]}`,
        owner: account(i % ACCOUNTS),
        amount: BigInt(Math.floor(rand() * 1e12)) * 10n ** 6n,
        price: (rand() * 1000).toFixed(6),
        count: Math.floor(rand() * 1000),
        big: i,
        active: rand() < 0.5,
        data: `0x${i.toString(16).padStart(8, '0')}`,
        createdAt: 1_700_000_000_000_000 + i,
        color: ['RED', 'GREEN', 'BLUE'][i % 3],
        tags: [`tag${i % 10}`],
        friends: [],
      }),
    );
  }
  // Some churn: update and remove earlier tokens so that time travel has work to do.
  for (let k = 0; k < perBlock / 10 && b > 1; k++) {
    const i = Math.floor(rand() * (b - 1) * perBlock);
    if (rand() < 0.2) store.remove('Token', `t${i}`);
    else store.set('Token', `t${i}`, e('Token', { id: `t${i}`, amount: Math.floor(rand() * 1e9) }));
  }
  store.commitBlock();
}
const built = performance.now() - t0;

const engine = new SubgraphQueryEngine({ schema, store, deployment: 'QmBench' });
const QUERIES: Record<string, string> = {
  'filter+order+page': `{ tokens(first: 100, where: { active: true }, orderBy: amount, orderDirection: desc) { id name amount price owner { id } } }`,
  'ref eq + order + skip': `{ tokens(first: 20, skip: 10, where: { owner: "${account(7)}" }, orderBy: createdAt) { id amount } }`,
  'string nocase + range': `{ tokens(first: 50, where: { name_contains_nocase: "GAMMA", count_gt: 500 }, orderBy: price) { id price } }`,
  'deep skip': `{ tokens(first: 1000, skip: 5000, orderBy: createdAt) { id } }`,
  'derived nested': `{ accounts(first: 20, orderBy: balance) { id tokens(first: 5, orderBy: amount, orderDirection: desc) { id amount } } }`,
  'or filter': `{ tokens(first: 100, where: { or: [{ color: RED, active: true }, { count_lt: 10 }] }) { id } }`,
  'time travel': `{ tokens(first: 100, block: { number: ${Math.floor(BLOCKS / 2)} }, where: { active: false }, orderBy: amount) { id amount } }`,
  'child orderBy': `{ tokens(first: 100, orderBy: owner__balance, where: { color: BLUE }) { id } }`,
  'by id': `{ token(id: "t123") { id name owner { id name } } }`,
};

const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
console.log(`devnode query bench: ${N} tokens, ${ACCOUNTS} accounts, ${BLOCKS} blocks (built in ${built.toFixed(0)} ms)`);
console.log('query'.padEnd(24), 'p50 ms'.padStart(8), 'p95 ms'.padStart(8), 'rows'.padStart(6));
let worst = 0;
for (const [name, query] of Object.entries(QUERIES)) {
  const first = engine.run({ query });
  if (first.errors) throw new Error(`${name}: ${JSON.stringify(first.errors)}`);
  const rows = JSON.stringify(first.data).match(/"id"/g)?.length ?? 0;
  const times: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const s = performance.now();
    engine.run({ query });
    times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);
  worst = Math.max(worst, pct(times, 95));
  console.log(name.padEnd(24), pct(times, 50).toFixed(2).padStart(8), pct(times, 95).toFixed(2).padStart(8), String(rows).padStart(6));
}
console.log(`worst p95: ${worst.toFixed(2)} ms (goal < 25 ms)`);
