import { describe, expect, it } from 'vitest';
import { camelCasedNames, parseSchema } from '../../src/schema/index.js';
import { normalizeBigDecimalString } from '../../src/store/values.js';
import { testSchema } from '../graphql/helpers.js';

describe('parseSchema', () => {
  it('reads entities, interfaces, enums, ids, derived fields and docs', () => {
    const s = testSchema();
    const account = s.entities.get('Account')!;
    expect(account.idType).toBe('Bytes');
    expect(account.description).toBe('An account with a Bytes id');
    expect(account.fieldMap.get('name')!.description).toBe('Display name');
    expect(account.fieldMap.get('tokens')).toMatchObject({ list: true, derivedFrom: 'owner', kind: 'entity', typeName: 'Token' });
    expect(s.entities.get('Event')!.immutable).toBe(true);
    expect(s.entities.get('Token')!.immutable).toBe(false);
    expect(s.entities.get('Counter')!.idType).toBe('Int8');
    expect(s.interfaces.get('Named')!.implementers).toEqual(['Token', 'Event']);
    expect(s.enums.get('Color')!.values).toEqual(['RED', 'GREEN', 'BLUE']);
    expect(s.entities.get('Token')!.fieldMap.get('tags')).toMatchObject({ list: true, itemNonNull: true, scalar: 'String' });
  });

  it.each([
    ['type A { id: ID! }', /@entity directive missing on the following types: `A`/],
    ['type A @entity { name: String }', /Type A is missing an `id` field/],
    ['type A @entity { id: BigInt! }', /Entity type A uses illegal type BigInt for id column/],
    ['type A @entity { id: ID! b: Nope }', /Type `A`, field `b`: type `Nope` is not defined/],
    ['type A @entity(immutable: "yes") { id: ID! }', /The `immutable` argument of the @entity directive must be a boolean/],
    [
      'type A @entity { id: ID! bs: [B!]! @derivedFrom(field: "nope") } type B @entity { id: ID! }',
      /Field `bs` in type `A` has invalid @derivedFrom: field `nope` does not exist on type `B`/,
    ],
    [
      'type A @entity { id: ID! bs: [B!]! @derivedFrom(field: "x") } type B @entity { id: ID! x: String }',
      /field `x` on type `B` must have one of the following types: A, A!, \[A!\], \[A!\]!/,
    ],
    ['type A @entity(timeseries: true) { id: Int8! timestamp: Timestamp! }', /timeseries and aggregations are not supported/],
    ['type S @aggregation(intervals: ["hour"], source: "A") { id: Int8! }', /aggregations are not supported/],
    [
      'type _Schema_ @fulltext(name: "s", language: en, algorithm: rank, include: [{entity: "A", fields: [{name: "n"}]}]) type A @entity { id: ID! n: String! }',
      /@fulltext search is not supported/,
    ],
    ['interface I { id: ID! } type A implements I @entity { id: Bytes! }', /does not satisfy interface `I`/],
    ['type BigInt @entity { id: ID! }', /The following type names are reserved: `BigInt`/],
    ['type A @entity { id: ID! } type A_filter @entity { id: ID! }', /reserved: `A_filter`/],
  ])('rejects %s', (sdl, message) => {
    expect(() => parseSchema(sdl)).toThrow(message);
  });
});

describe('query field names (graph-node camel_cased_names)', () => {
  it.each([
    ['Token', 'token', 'tokens'],
    ['ProviderStats', 'providerStats', 'providerStats_collection'],
    ['Stats', 'stats', 'stats_collection'],
    ['Activity', 'activity', 'activities'],
    ['ActivityEvent', 'activityEvent', 'activityEvents'],
    ['TeamMember', 'teamMember', 'teamMembers'],
    ['EscrowAccount', 'escrowAccount', 'escrowAccounts'],
    ['RouteDecision', 'routeDecision', 'routeDecisions'],
    ['Withdrawal', 'withdrawal', 'withdrawals'],
    ['Protocol', 'protocol', 'protocols'],
    ['Box', 'box', 'boxes'],
    ['Person', 'person', 'persons'], // the crate's rules are case-sensitive
    ['Status', 'status', 'statuses'],
    ['DailySpending', 'dailySpending', 'dailySpendings'],
    ['ABCToken', 'abctoken', 'abctokens'],
    ['Pool2Day', 'pool2Day', 'pool2Days'],
  ])('%s → %s / %s', (type, singular, plural) => {
    expect(camelCasedNames(type)).toEqual([singular, plural]);
  });
});

describe('BigDecimal normalisation', () => {
  it.each([
    ['1.50', '1.5'],
    ['1e3', '1000'],
    ['0.000', '0'],
    ['-0.10', '-0.1'],
    ['1324000000', '1324000000'],
    ['0.00000093937698', '0.00000093937698'],
    ['98765587998098786876.0', '98765587998098786876'],
    ['1.23456789012345678901234567890123456789', '1.234567890123456789012345678901235'], // bigdecimal 0.1.2 with_prec rounds, it does not truncate,
  ])('%s → %s', (input, expected) => {
    expect(normalizeBigDecimalString(input)).toBe(expected);
  });
});
