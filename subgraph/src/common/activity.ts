import { Bytes, ethereum } from '@graphprotocol/graph-ts';
import { ActivityEvent } from '../../generated/schema';
import { eventId } from './ids';

/**
 * Starts the feed entry of a user-visible event: kind, actor (the transaction sender), summary and block data.
 * The caller links job/provider/offer/team, sets `amount` and `involves` as relevant, then saves.
 */
export function newActivity(event: ethereum.Event, kind: string, summary: string): ActivityEvent {
  let activity = new ActivityEvent(eventId(event));
  activity.kind = kind;
  activity.actor = event.transaction.from;
  activity.involves = [event.transaction.from];
  activity.summary = summary;
  activity.blockNumber = event.block.number;
  activity.timestamp = event.block.timestamp;
  activity.txHash = event.transaction.hash;
  return activity;
}

/** Adds an address to an activity's `involves` list (once). */
export function involve(activity: ActivityEvent, address: Bytes): void {
  let list = activity.involves;
  for (let i = 0; i < list.length; i++) if (list[i].equals(address)) return;
  list.push(address);
  activity.involves = list;
}
