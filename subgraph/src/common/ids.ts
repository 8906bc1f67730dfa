import { Address, BigInt, Bytes, ethereum } from '@graphprotocol/graph-ts';
import { SECONDS_PER_DAY } from './constants';

/** Id of an immutable, event-like entity: `<txHash>-<logIndex>`. */
export function eventId(event: ethereum.Event): string {
  return event.transaction.hash.toHexString() + '-' + event.logIndex.toString();
}

/** UTC day index of a unix timestamp: floor(timestamp / 86400). */
export function dayIndex(timestamp: BigInt): i32 {
  return timestamp.toI32() / SECONDS_PER_DAY;
}

/** Id of a day bucket: `<key>-<day>`. */
export function dayId(key: string, day: i32): string {
  return key + '-' + day.toString();
}

/** Id of a team membership: `<teamId>-<address>`. */
export function teamMemberId(teamId: string, member: Address): string {
  return teamId + '-' + member.toHexString();
}

/** Whether an address is the zero address. */
export function isZeroAddress(address: Bytes): boolean {
  return address.equals(Address.zero());
}
