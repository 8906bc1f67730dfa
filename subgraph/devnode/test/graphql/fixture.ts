/**
 * A hand-built history for the conformance tests:
 *   block 1: accounts 0xaa (alice) and 0xbb (Bob); tokens t1..t4; event e1; counter 1
 *   block 2: t1.amount 5 → 50; t3 removed; t5 (unicode name) created
 *   block 3: t2 moves from 0xaa to 0xbb; event e2
 *   block 4: nothing changes
 */
import type { SchemaInfo } from '../../src/schema/index.js';
import type { VersionedStore } from '../../src/store/memory.js';
import { block, entity } from './helpers.js';

export const BIG = (2n ** 256n + 1n).toString();

export function tokenData() {
  return {
    t1: {
      id: 't1', name: 'Alpha', owner: '0xaa', amount: 5, price: '1.5', count: 1, big: 100, active: true,
      data: '0x0102', createdAt: 1000, color: 'RED', tags: ['a', 'b'], nullableText: 'hello', friends: ['t2', 't3'],
    },
    t2: {
      id: 't2', name: 'beta', owner: '0xaa', amount: BIG, price: '-0.001', count: -3, big: -7, active: false,
      data: '0x01020304', createdAt: 2000, color: 'GREEN', tags: ['b', 'c'], nullableText: null, friends: [],
    },
    t3: {
      id: 't3', name: 'Gamma_%', owner: '0xbb', amount: -100, price: '1e3', count: 10, big: 2 ** 40, active: true,
      data: '0xff', createdAt: 3000, color: 'BLUE', tags: [], nullableText: 'HeLLo world', friends: ['t1'],
    },
    t4: {
      id: 't4', name: 'delta', owner: '0xbb', amount: 0, price: '0.10', count: 7, big: 0, active: true,
      data: '0x', createdAt: 4000, color: 'RED', tags: ['A'], nullableText: 'x', friends: ['t1', 't1', 't2'],
    },
  } as const;
}

export const T5 = {
  id: 't5', name: 'Ünïcødé 🚀', owner: '0xaa', amount: 7, price: '123456789.123456789123456789123456789', count: 2,
  big: 1, active: false, data: '0xabcd', createdAt: 5000, color: 'GREEN', tags: ['ü'], friends: [],
};

export function buildHistory(store: VersionedStore, schema: SchemaInfo) {
  const e = (type: string, obj: Record<string, unknown>) => entity(schema, type, obj);
  store.beginBlock(block(1));
  store.set('Account', '0xaa', e('Account', { id: '0xaa', name: 'alice', balance: 10 }));
  store.set('Account', '0xBB', e('Account', { id: '0xbb', name: 'Bob', balance: -5 }));
  for (const t of Object.values(tokenData())) store.set('Token', t.id, e('Token', t as unknown as Record<string, unknown>));
  store.set('Event', 'e1', e('Event', { id: 'e1', name: 'minted', token: 't1', amounts: [1, 2] }));
  store.set('Counter', '1', e('Counter', { id: 1, value: 1 }));
  store.commitBlock();

  store.beginBlock(block(2));
  // graph-ts sends only the fields set on the object; graph-node merges them onto the stored entity.
  store.set('Token', 't1', e('Token', { id: 't1', amount: 50 }));
  store.remove('Token', 't3');
  store.set('Token', 't5', e('Token', T5));
  store.commitBlock();

  store.beginBlock(block(3));
  store.set('Token', 't2', e('Token', { id: 't2', owner: '0xbb' }));
  store.set('Event', 'e2', e('Event', { id: 'e2', name: 'moved', token: 't2', amounts: [] }));
  store.commitBlock();

  store.beginBlock(block(4));
  store.commitBlock();
}
