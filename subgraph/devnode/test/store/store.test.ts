import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createStore } from '../../src/store/memory.js';
import { block, entity, makeEngine, testSchema } from '../graphql/helpers.js';
import { buildHistory } from '../graphql/fixture.js';

const schema = testSchema();
const e = (type: string, obj: Record<string, unknown>) => entity(schema, type, obj);
const dirs: string[] = [];
const tmpDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'devnode-store-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A battery of queries whose answers must survive close/reopen and compaction. */
const PROBES = [
  '{ tokens { id name amount price big data createdAt tags owner { id } } }',
  '{ tokens(block: { number: 1 }) { id amount } }',
  '{ tokens(where: { _change_block: { number_gte: 2 } }) { id } }',
  '{ accounts { id tokens { id } } }',
  '{ nameds(orderBy: name) { id } }',
  '{ _meta { block { number hash timestamp parentHash } hasIndexingErrors } }',
];

describe('write semantics', () => {
  it('merges set onto the current entity and removes fields set to Null', () => {
    const s = createStore({ schema });
    s.beginBlock(block(1));
    s.set('Account', '0xaa', e('Account', { id: '0xaa', name: 'a', balance: 1 }));
    s.set('Account', '0xaa', e('Account', { id: '0xaa', balance: 2 }));
    expect(s.get('Account', '0xaa')!.get('name')).toEqual({ kind: 'String', value: 'a' });
    expect(s.getInBlock('Account', '0xaa')!.get('balance')).toEqual({ kind: 'BigInt', value: 2n });
    s.commitBlock();
    expect(s.getInBlock('Account', '0xaa')).toBeNull();
    s.beginBlock(block(2));
    s.set('Token', 't', e('Token', { id: 't', name: 'x', nullableText: 'y' }));
    s.set('Token', 't', e('Token', { id: 't', nullableText: null }));
    expect(s.get('Token', 't')!.has('nullableText')).toBe(false);
    // remove then set starts from an empty entity (graph-node's Overwrite)
    s.remove('Account', '0xaa');
    expect(s.get('Account', '0xaa')).toBeNull();
    s.set('Account', '0xaa', e('Account', { id: '0xaa', balance: 3 }));
    expect(s.get('Account', '0xaa')!.has('name')).toBe(false);
    s.commitBlock();
  });

  it('creates no version for a set that changes nothing', () => {
    const s = createStore({ schema });
    s.beginBlock(block(1));
    s.set('Account', '0xaa', e('Account', { id: '0xaa', name: 'a', balance: 1 }));
    s.commitBlock();
    s.beginBlock(block(2));
    s.set('Account', '0xaa', e('Account', { id: '0xaa', name: 'a' }));
    s.commitBlock();
    expect(s.getAt('Account', '0xaa', 2)!.start).toBe(1);
  });

  it('refuses to change or remove an immutable entity in a later block', () => {
    const s = createStore({ schema });
    s.beginBlock(block(1));
    s.set('Event', 'e', e('Event', { id: 'e', name: 'a', token: 't', amounts: [] }));
    s.set('Event', 'e', e('Event', { id: 'e', name: 'b' })); // same block: allowed
    s.commitBlock();
    s.beginBlock(block(2));
    s.set('Event', 'e', e('Event', { id: 'e', name: 'b' })); // no change: allowed
    expect(() => s.set('Event', 'e', e('Event', { id: 'e', name: 'c' }))).toThrow(/immutable/);
    expect(() => s.remove('Event', 'e')).toThrow(/immutable/);
    s.discardBlock();
  });

  it('discards the writes and data sources of a failed block', () => {
    const s = createStore({ schema });
    s.beginBlock(block(1));
    s.set('Account', '0xaa', e('Account', { id: '0xaa', name: 'a', balance: 1 }));
    s.addDataSource({ template: 'T', address: '0x01', context: null, createdAtBlock: 1 });
    s.discardBlock();
    expect(s.get('Account', '0xaa')).toBeNull();
    expect(s.dataSources()).toEqual([]);
    expect(s.head()).toBeNull();
  });

  it('loads related entities including the writes of the current block', () => {
    const s = createStore({ schema });
    buildHistory(s, schema);
    s.beginBlock(block(5));
    s.set('Token', 't9', e('Token', { id: 't9', name: 'new', owner: '0xaa' }));
    const related = s.loadRelated('Account', '0xaa', 'tokens').map((x) => (x.get('id') as { value: string }).value);
    expect(related.sort()).toEqual(['t1', 't5', 't9']);
    s.discardBlock();
  });

  it('rejects blocks that do not advance the head', () => {
    const s = createStore({ schema });
    s.beginBlock(block(1));
    s.commitBlock();
    expect(() => s.beginBlock(block(1))).toThrow(/does not advance/);
    expect(() => s.set('Account', '0x01', new Map())).toThrow(/outside beginBlock/);
  });
});

describe('revertTo', () => {
  it('undoes later blocks, their data sources and a later fatal error', () => {
    const s = createStore({ schema });
    buildHistory(s, schema);
    s.beginBlock(block(5));
    s.addDataSource({ template: 'Child', address: '0x05', context: null, createdAtBlock: 5 });
    s.commitBlock();
    s.setFatalError({ message: 'boom', block: block(6), deterministic: true });
    const q = makeEngine(s, schema);
    s.revertTo(block(2));
    expect(s.head()!.number).toBe(2);
    expect(s.blockHash(3)).toBeNull();
    expect(s.dataSources()).toEqual([]);
    expect(s.fatalError()).toBeNull();
    expect(q('{ token(id: "t2") { owner { id } } events { id } }').data).toEqual({
      token: { owner: { id: '0xaa' } },
      events: [{ id: 'e1' }],
    });
    s.revertTo({ number: 1, hash: block(1).hash });
    expect(q('{ _meta { block { number timestamp parentHash } } }').data).toEqual({
      _meta: { block: { number: 1, timestamp: Number(block(1).timestamp), parentHash: block(0).hash } },
    });
    expect(q('{ tokens { id amount } }').data).toEqual({
      tokens: [
        { id: 't1', amount: '5' },
        { id: 't2', amount: (2n ** 256n + 1n).toString() },
        { id: 't3', amount: '-100' },
        { id: 't4', amount: '0' },
      ],
    });
    // indexing continues on the new branch
    s.beginBlock({ ...block(2), hash: `0x${'ab'.repeat(32)}` });
    s.set('Token', 't1', e('Token', { id: 't1', amount: 6 }));
    s.commitBlock();
    expect(q('{ token(id: "t1") { amount } _meta { block { hash } } }').data).toEqual({
      token: { amount: '6' },
      _meta: { block: { hash: `0x${'ab'.repeat(32)}` } },
    });
  });
});

describe('persistence', () => {
  it('gives the same answers after close and reopen, and after compaction', () => {
    const dir = tmpDir();
    const s1 = createStore({ schema, dir });
    buildHistory(s1, schema);
    s1.addDataSource({ template: 'Child', address: '0x05', context: e('Account', { name: 'ctx' }), createdAtBlock: 4 });
    s1.setFatalError({ message: 'boom', block: block(5), handler: 'handleX', deterministic: true });
    const before = PROBES.map((p) => makeEngine(s1, schema)(p));
    s1.close();

    const s2 = createStore({ schema, dir });
    expect(PROBES.map((p) => makeEngine(s2, schema)(p))).toEqual(before);
    expect(s2.dataSources()).toHaveLength(1);
    expect(s2.dataSources()[0]!.context!.get('name')).toEqual({ kind: 'String', value: 'ctx' });
    expect(s2.fatalError()).toEqual({ message: 'boom', block: block(5), handler: 'handleX', deterministic: true });
    s2.compact();
    s2.close();

    const s3 = createStore({ schema, dir });
    expect(PROBES.map((p) => makeEngine(s3, schema)(p))).toEqual(before);
    // reverts after a compaction still work (history rebuilt from the snapshot)
    s3.revertTo(block(1));
    const afterRevert = makeEngine(s3, schema)('{ tokens { id amount } }');
    s3.close();
    const s4 = createStore({ schema, dir });
    expect(makeEngine(s4, schema)('{ tokens { id amount } }')).toEqual(afterRevert);
    expect(s4.head()!.number).toBe(1);
    s4.close();
  });

  it('compacts automatically and ignores a torn last log line', () => {
    const dir = tmpDir();
    const s1 = createStore({ schema, dir, compactAfterBytes: 200 });
    buildHistory(s1, schema);
    const expected = makeEngine(s1, schema)(PROBES[0]!);
    s1.close();
    expect(fs.existsSync(path.join(dir, 'snapshot.json'))).toBe(true);
    fs.appendFileSync(path.join(dir, 'log.jsonl'), '{"t":"c","q":999,"b":{"n":');
    const s2 = createStore({ schema, dir });
    expect(makeEngine(s2, schema)(PROBES[0]!)).toEqual(expected);
    expect(s2.head()!.number).toBe(4);
    s2.close();
  });
});
