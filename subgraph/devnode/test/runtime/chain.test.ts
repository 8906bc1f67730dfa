/** Chain behaviour: reorgs revert the store to the common ancestor; restarts resume from the persisted head. */
import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevnode, type Devnode } from '../../src/index.js';
import { buildDir, buildFixture, deployConformance, send, startAnvil, type Artifacts, type Chain } from './harness.js';

const quiet = () => undefined;

describe('reorgs and restarts', { timeout: 60_000 }, () => {
  let artifacts: Artifacts;
  const cleanups: Array<() => Promise<void> | void> = [];

  beforeAll(async () => {
    artifacts = buildFixture();
  }, 180_000);

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  async function chainWithContract(): Promise<Chain> {
    const chain = await startAnvil();
    cleanups.push(() => chain.stop());
    await deployConformance(chain, artifacts);
    return chain;
  }

  it('a reorg drops the entities of the abandoned blocks and indexes the new ones', async () => {
    const chain = await chainWithContract();
    // graph-node's one-instance-per-trigger policy here (the other tests use the default snapshot reset)
    const node = await startDevnode({ subgraph: buildDir, rpc: chain.url, port: null, pollMs: 20, log: quiet, instancePolicy: 'fresh' });
    cleanups.push(() => node.close());

    const kept = await send(chain, artifacts, 'setItem', [1n, 'kept', 1n]);
    const snapshot = await chain.rpc<string>('evm_snapshot');
    await send(chain, artifacts, 'setItem', [2n, 'dropped', 1n]);
    await send(chain, artifacts, 'setItem', [1n, 'dropped update', 2n]);
    const abandonedHead = await send(chain, artifacts, 'setItem', [3n, 'dropped', 1n]);
    await node.waitForBlock(abandonedHead);
    expect(node.store().get('Item', '2')).not.toBeNull();
    const abandonedHash = node.store().blockHash(kept + 1);

    await chain.rpc('evm_revert', [snapshot]);
    const replacement = await send(chain, artifacts, 'setItem', [4n, 'new', 1n]);
    expect(replacement).toBe(kept + 1);
    await chain.rpc('anvil_mine', ['0x4']);
    const newHead = replacement + 4;
    await node.waitForBlock(newHead);

    expect(node.store().get('Item', '2')).toBeNull();
    expect(node.store().get('Item', '3')).toBeNull();
    expect(node.store().get('Item', '4')).not.toBeNull();
    const item1 = node.store().get('Item', '1');
    expect(item1?.get('name')).toEqual({ kind: 'String', value: 'kept' });
    expect(item1?.get('writes')).toEqual({ kind: 'Int', value: 1 });
    const replacementHash = (await chain.publicClient.getBlock({ blockNumber: BigInt(replacement) })).hash;
    expect(node.store().blockHash(replacement)).toBe(replacementHash);
    expect(replacementHash).not.toBe(abandonedHash);
    expect(node.store().head()?.number).toBe(newHead);
  });

  it('a restart resumes from the persisted head without applying a block twice', async () => {
    const chain = await chainWithContract();
    const db = mkdtempSync(join(tmpdir(), 'devnode-restart-'));
    cleanups.push(() => rmSync(db, { recursive: true, force: true }));

    const first = await startDevnode({ subgraph: buildDir, rpc: chain.url, db, port: null, pollMs: 20, log: quiet, name: 'restart' });
    await send(chain, artifacts, 'setItem', [1n, 'one', 1n]);
    const written = await send(chain, artifacts, 'setItem', [1n, 'two', 2n]);
    await first.waitForBlock(written);
    const headBefore = first.store().head()!;
    await first.close();

    // blocks produced while the devnode is down
    const whileDown = await send(chain, artifacts, 'setItem', [1n, 'three', 3n]);
    const second = await startDevnode({ subgraph: buildDir, rpc: chain.url, db, port: null, pollMs: 20, log: quiet, name: 'restart' });
    cleanups.push(() => second.close());
    expect(second.store().head()).toEqual(headBefore);
    await second.waitForBlock(whileDown);
    const item = second.store().get('Item', '1');
    expect(item?.get('writes')).toEqual({ kind: 'Int', value: 3 });
    expect(item?.get('name')).toEqual({ kind: 'String', value: 'three' });
    expect(second.progress().events).toBe(1);
  });
  it('re-indexes from scratch when the build output changes (watch)', async () => {
    const chain = await chainWithContract();
    const copy = mkdtempSync(join(tmpdir(), 'devnode-watch-'));
    cleanups.push(() => rmSync(copy, { recursive: true, force: true }));
    cpSync(buildDir, copy, { recursive: true });
    const node = await startDevnode({ subgraph: copy, rpc: chain.url, port: null, pollMs: 20, log: quiet, watch: true });
    cleanups.push(() => node.close());

    const head = await send(chain, artifacts, 'setItem', [7n, 'before rebuild', 1n]);
    await node.waitForBlock(head);
    const before = node.store();
    expect(before.get('Item', '7')).not.toBeNull();

    // A new build lands (graph build rewrites files in place): the devnode drops its store and indexes again.
    appendFileSync(join(copy, 'schema.graphql'), '\n# rebuilt\n');
    const deadline = Date.now() + 20_000;
    while (node.store() === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(node.store()).not.toBe(before);
    await node.waitForBlock(head);
    expect(node.store().get('Item', '7')?.get('name')).toEqual({ kind: 'String', value: 'before rebuild' });
  });
});
