// Escrow movements: one immutable row per USDC movement into, inside or out of the JobMarket escrow.
import { BigInt, ethereum } from '@graphprotocol/graph-ts';
import { EscrowMovement } from '../../generated/schema';

export function movement(id: string, kind: string, job: string | null, account: string | null, amount: BigInt, event: ethereum.Event): void {
  let m = new EscrowMovement(id);
  m.kind = kind;
  m.job = job;
  m.account = account;
  m.amount = amount;
  m.blockNumber = event.block.number;
  m.timestamp = event.block.timestamp;
  m.txHash = event.transaction.hash;
  m.save();
}
