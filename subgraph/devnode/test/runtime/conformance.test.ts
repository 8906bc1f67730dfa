/**
 * The conformance fixture end to end: anvil + the real WASM from `graph build` + the devnode, asserting what
 * every host function family wrote to the store and what the GraphQL API answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeAbiParameters, keccak256, parseEventLogs, toBytes, toHex, type Address } from 'viem';
import type { Entity, Value } from '../../src/store/api.js';
import { startDevnode, type Devnode } from '../../src/index.js';
import * as Dec from '../../src/runtime/bigdecimal.js';
import { normalizeBigDecimalString } from '../../src/store/values.js';
import {
  CONFORMANCE_ADDRESS,
  buildDir,
  buildFixture,
  deployConformance,
  send,
  startAnvil,
  type Artifacts,
  type Chain,
} from './harness.js';

const quiet = () => undefined;

export function plain(entity: Entity | null): Record<string, unknown> | null {
  if (!entity) return null;
  const out: Record<string, unknown> = {};
  for (const [key, value] of entity) out[key] = plainValue(value);
  return out;
}

function plainValue(value: Value): unknown {
  switch (value.kind) {
    case 'Bytes':
      return `0x${Buffer.from(value.value).toString('hex')}`;
    case 'List':
      return value.value.map(plainValue);
    case 'Null':
      return null;
    default:
      return value.value;
  }
}

async function graphql(node: Devnode, query: string): Promise<Record<string, unknown>> {
  const response = await fetch(node.url!, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown };
  if (body.errors) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data!;
}

describe('conformance subgraph', { timeout: 60_000 }, () => {
  let chain: Chain;
  let artifacts: Artifacts;
  let node: Devnode;
  let me: string;

  beforeAll(async () => {
    artifacts = buildFixture();
    chain = await startAnvil();
    await deployConformance(chain, artifacts);
    me = chain.account.address.toLowerCase();
    node = await startDevnode({ subgraph: buildDir, rpc: chain.url, port: 0, pollMs: 20, log: quiet, name: 'conformance' });
  }, 180_000);

  afterAll(async () => {
    await node?.close();
    await chain?.stop();
  });

  const get = (type: string, id: string) => plain(node.store().get(type, id));

  it('store.set / get / get_in_block / loadRelated', async () => {
    const block = await send(chain, artifacts, 'setItem', [1n, 'first', 10n]);
    await node.waitForBlock(block);
    expect(get('Item', '1')).toMatchObject({ id: '1', name: 'first', value: 10n, owner: me, writes: 1, seenInBlock: false, updatedAtBlock: BigInt(block) });
    expect(get('Owner', me)).toMatchObject({ id: me, relatedCount: 1 });

    const twice = await send(chain, artifacts, 'setItemTwice', [4n, 'x', 1n]);
    await node.waitForBlock(twice);
    expect(get('Item', '4')).toMatchObject({ name: 'x!', value: 2n, writes: 2, seenInBlock: true });
    expect(get('Owner', me)).toMatchObject({ relatedCount: 2 });
  });

  it('BigInt and BigDecimal host functions match graph-node', async () => {
    const a = -(2n ** 200n) - 7n;
    const b = 2n ** 256n - 1n;
    const block = await send(chain, artifacts, 'emitNumbers', [1n, a, b, -1n]);
    await node.waitForBlock(block);
    const timestamp = (await chain.publicClient.getBlock({ blockNumber: BigInt(block) })).timestamp;
    expect(get('NumberProbe', '1')).toEqual({
      id: '1',
      signedValue: a,
      unsignedValue: b,
      signedIndexed: -1n,
      sum: a + b,
      difference: a - b,
      product: a * b,
      quotient: a / b,
      remainder: a % b,
      power: a ** 3n,
      orBits: a | b,
      andBits: a & b,
      leftShifted: a << 7n,
      rightShifted: a >> 9n,
      parsed: -123456789012345678901234567890n,
      signedString: a.toString(),
      signedHex: `0x${(-a).toString(16)}`,
      unsignedHex: `0x${b.toString(16)}`,
      roundTrip: a,
      roundTripEqual: true,
      // 1.000…001 (40 digits) is rounded to 34 significant digits, i.e. 1
      decimalSum: '0.9975',
      decimalDifference: '1.0025',
      decimalProduct: '-0.0025',
      decimalQuotient: '-400',
      decimalThird: '0.3333333333333333333333333333333333',
      // the host hands graph-node's value to the store (see bigdecimal.test.ts); the store canonicalises it
      decimalNegativeThird: normalizeBigDecimalString('-0.66666666666666666666666666666666666'),
      decimalParsed: '12345678901234567890.12345678901235',
      decimalParsedString: '150000',
      decimalEquals: true,
      bigIntOverDecimal: normalizeBigDecimalString(Dec.toString(Dec.div(Dec.fromBigInt(a), Dec.fromBigInt(7n)))),
      int8Value: -9007199254740993n,
      timestampValue: timestamp * 1_000_000n,
      decimalList: ['0.1', '0', '115792089237316195423570985008687900000000000000000000000000000000000000000000'],
    });
  });

  it('strings, bytes, crypto, JSON, ethereum.encode/decode and dataSource', async () => {
    const text = 'héllo 🌍 世界';
    const data = toHex(new Uint8Array([104, 105, 0, 0]));
    const fixed = keccak256(toHex('fixed'));
    const block = await send(chain, artifacts, 'emitText', [7n, 'greeting', text, data, fixed, true]);
    await node.waitForBlock(block);
    const probe = get('TextProbe', '7');
    expect(probe).toEqual({
      id: '7',
      tagHash: keccak256(toHex('greeting')),
      text,
      textLength: text.length,
      data,
      fixedData: fixed,
      flag: true,
      dataAsString: 'hi',
      dataHex: data,
      dataBase58: '3fnysd',
      keccak: keccak256(toBytes(text)),
      h160: '0x00000000000000000000000000000000000000ab',
      jsonBig: 18446744073709551617123n,
      jsonI64: -7n,
      jsonU64: '18446744073709551615',
      jsonF64: '1500.0',
      jsonKeys: ['a', 'b', 'f', 'l', 's', 'u'],
      jsonText: 'hé:3:null',
      jsonOk: true,
      jsonBadIsError: true,
      encoded: encodeAbiParameters(
        [{ type: 'tuple', components: [{ type: 'address' }, { type: 'uint256' }, { type: 'string' }] }],
        [[CONFORMANCE_ADDRESS, 1234567n, text]],
      ),
      decodedAddress: CONFORMANCE_ADDRESS,
      decodedNumber: 1234567n,
      decodedNull: true,
      network: 'anvil',
      dataSourceAddress: CONFORMANCE_ADDRESS,
    });
  });

  it('lists', async () => {
    const accounts = ['0x1111111111111111111111111111111111111111', '0x00000000000000000000000000000000000000ff'] as Address[];
    const block = await send(chain, artifacts, 'emitList', [3n, [0n, 2n ** 256n - 1n, 5n], accounts, ['a', '', 'ü']]);
    await node.waitForBlock(block);
    expect(get('ListProbe', '3')).toEqual({
      id: '3',
      numbers: [0n, 2n ** 256n - 1n, 5n],
      accounts,
      words: ['a', '', 'ü'],
      nested: [1, -2, 2147483647],
    });
  });

  it('templates: createWithContext takes effect in the same block, then for later blocks', async () => {
    const hash = await chain.wallet.writeContract({
      address: CONFORMANCE_ADDRESS,
      abi: artifacts.Conformance.abi,
      functionName: 'createChild',
      args: ['kid', 7n],
      account: chain.account,
      chain: null,
    });
    const receipt = await chain.publicClient.waitForTransactionReceipt({ hash });
    const [created] = parseEventLogs({ abi: artifacts.Conformance.abi, logs: receipt.logs, eventName: 'ChildCreated' }) as unknown as Array<{ args: { child: Address } }>;
    const child = created!.args.child.toLowerCase();
    await node.waitForBlock(Number(receipt.blockNumber));
    expect(get('ChildContract', child)).toMatchObject({ label: 'kid', contextLabel: 'kid', contextNumber: 42, pings: 7n, pingCount: 1, network: 'anvil' });

    const pingHash = await chain.wallet.writeContract({ address: child as Address, abi: artifacts.Child.abi, functionName: 'ping', args: [5n], account: chain.account, chain: null });
    const pingReceipt = await chain.publicClient.waitForTransactionReceipt({ hash: pingHash });
    await node.waitForBlock(Number(pingReceipt.blockNumber));
    expect(get('ChildContract', child)).toMatchObject({ pings: 12n, pingCount: 2 });
    expect(node.store().dataSources()).toEqual([
      expect.objectContaining({ template: 'Child', address: child, createdAtBlock: Number(receipt.blockNumber) }),
    ]);
  });

  it('ethereum.call at the handler block, with try_ for reverts', async () => {
    const counterBefore = (await chain.publicClient.readContract({ address: CONFORMANCE_ADDRESS, abi: artifacts.Conformance.abi, functionName: 'counter' })) as bigint;
    const block = await send(chain, artifacts, 'setItem', [2n, 'call', 1n]);
    await send(chain, artifacts, 'setItem', [20n, 'later', 1n]); // moves the counter after the call's block
    await node.waitForBlock(block + 1);
    expect(get('CallProbe', '2')).toEqual({ id: '2', counter: counterBefore + 1n, reverted: true, echoNumber: 42n, echoText: 'abab' });
  });

  it('receipt: true handlers see the receipt, transaction and block', async () => {
    const hash = await chain.wallet.writeContract({ address: CONFORMANCE_ADDRESS, abi: artifacts.Conformance.abi, functionName: 'requestReceipt', args: [100n, 9n], account: chain.account, chain: null });
    const receipt = await chain.publicClient.waitForTransactionReceipt({ hash });
    await node.waitForBlock(Number(receipt.blockNumber));
    const expected = {
      amount: 9n,
      gasUsed: receipt.gasUsed,
      status: 1n,
      logCount: 2,
      firstLogAddress: CONFORMANCE_ADDRESS,
      transactionFrom: me,
      transactionHash: hash,
      blockNumber: receipt.blockNumber,
      blockHash: receipt.blockHash,
    };
    expect(get('ReceiptProbe', '100')).toMatchObject({ ...expected, logIndex: 0n });
    expect(get('ReceiptProbe', '101')).toMatchObject({ ...expected, logIndex: 1n });
  });

  it('update then delete keeps history for time travel (store and GraphQL)', async () => {
    const created = await send(chain, artifacts, 'setItem', [3n, 'a', 1n]);
    const updated = await send(chain, artifacts, 'setItem', [3n, 'b', 2n]);
    const removed = await send(chain, artifacts, 'removeItem', [3n]);
    await node.waitForBlock(removed);
    expect(node.store().get('Item', '3')).toBeNull();
    expect(plain(node.store().getAt('Item', '3', created)?.data ?? null)).toMatchObject({ name: 'a', value: 1n });
    expect(plain(node.store().getAt('Item', '3', updated)?.data ?? null)).toMatchObject({ name: 'b', value: 2n, writes: 2 });

    const data = await graphql(
      node,
      `{ before: item(id: "3", block: { number: ${created} }) { name value owner { id } }
         after: item(id: "3", block: { number: ${updated} }) { name value }
         now: item(id: "3") { name }
         owner(id: "${me}") { items(orderBy: id) { id } }
         nameds(first: 100, orderBy: id) { id name }
         _meta { block { number } hasIndexingErrors } }`,
    );
    expect(data.before).toEqual({ name: 'a', value: '1', owner: { id: me } });
    expect(data.after).toEqual({ name: 'b', value: '2' });
    expect(data.now).toBeNull();
    expect((data.owner as { items: Array<{ id: string }> }).items.map((i) => i.id)).toEqual(['1', '2', '20', '4']);
    expect((data.nameds as Array<{ id: string }>).length).toBeGreaterThanOrEqual(4);
    expect(data._meta).toMatchObject({ hasIndexingErrors: false });
    expect(node.status()).toMatchObject({ health: 'healthy', fatalError: null, network: 'anvil' });
  });
});
