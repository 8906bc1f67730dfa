/** Handler failures: a WASM trap and an unsupported host function fail the subgraph deterministically. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevnode, type Devnode } from '../../src/index.js';
import { buildDir, buildFixture, deployConformance, send, startAnvil, type Artifacts, type Chain } from './harness.js';

const quiet = () => undefined;

async function post(url: string, query: string): Promise<Record<string, unknown>> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data!;
}

async function waitForFailure(node: Devnode, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const status = node.status();
    if (status.fatalError) return status;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the subgraph did not fail');
}

describe('handler failures', { timeout: 60_000 }, () => {
  let chain: Chain;
  let artifacts: Artifacts;
  let node: Devnode | undefined;

  beforeAll(async () => {
    artifacts = buildFixture();
  }, 180_000);

  async function fresh(): Promise<Devnode> {
    await node?.close();
    await chain?.stop();
    chain = await startAnvil();
    await deployConformance(chain, artifacts);
    node = await startDevnode({ subgraph: buildDir, rpc: chain.url, port: 0, pollMs: 20, log: quiet, name: 'failures' });
    return node;
  }

  afterAll(async () => {
    await node?.close();
    await chain?.stop();
  });

  it('a division by zero traps: fatal error recorded, block discarded, indexing stopped', async () => {
    const devnode = await fresh();
    const before = await send(chain, artifacts, 'setItem', [1n, 'kept', 1n]);
    await devnode.waitForBlock(before);
    const failing = await send(chain, artifacts, 'divide', [5n, 10, 0]);
    await expect(devnode.waitForBlock(failing, 20_000)).rejects.toThrow(/subgraph failed/);
    const status = await waitForFailure(devnode);
    expect(status.health).toBe('failed');
    expect(status.fatalError).toMatchObject({ handler: 'handleDivided', deterministic: true, block: { number: failing } });
    expect(status.fatalError!.message).toContain('wasm trap: integer divide by zero');
    expect(status.fatalError!.message).toMatch(new RegExp(`^block #${failing} \\(0x[0-9a-f]{64}\\), transaction [0-9a-f]{64}: `));
    // the writes made before the trap in the same handler are discarded with the block
    expect(devnode.store().get('DivisionProbe', '5-before')).toBeNull();
    expect(devnode.store().head()?.number).toBe(before);

    const later = await send(chain, artifacts, 'setItem', [2n, 'ignored', 1n]);
    await new Promise((r) => setTimeout(r, 300));
    expect(devnode.store().head()?.number).toBe(before);
    expect(devnode.store().get('Item', '2')).toBeNull();
    expect(later).toBeGreaterThan(failing);

    // graph-node semantics: `_meta` at the head (before the failed block) has no indexing errors, while the
    // index-node API reports the failure
    const meta = await post(devnode.url!, '{ _meta { hasIndexingErrors block { number } } }');
    expect(meta._meta).toEqual({ hasIndexingErrors: false, block: { number: before } });
    const statuses = await post(
      `${devnode.serverUrl!.replace(/\/$/, '')}/graphql`,
      '{ indexingStatuses { subgraph health fatalError { message handler deterministic block { number } } } }',
    );
    expect(statuses.indexingStatuses).toEqual([
      {
        subgraph: 'failures',
        health: 'failed',
        fatalError: { message: status.fatalError!.message, handler: 'handleDivided', deterministic: true, block: { number: String(failing) } },
      },
    ]);
  });

  it('an unsupported host function fails the subgraph with a message naming it', async () => {
    const devnode = await fresh();
    const failing = await send(chain, artifacts, 'requestUnsupported', ['QmHash']);
    const status = await waitForFailure(devnode);
    expect(status.fatalError).toMatchObject({ handler: 'handleUnsupported', block: { number: failing } });
    expect(status.fatalError!.message).toContain('Host function `ipfs.cat` is not supported by the devnode');
  });
});
