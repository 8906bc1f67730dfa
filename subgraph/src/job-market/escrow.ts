// Escrow accounts: credited payments, accrued protocol fees and withdrawals out of the market.
import {
  FeeAccrued as FeeAccruedEvent,
  FeesWithdrawn as FeesWithdrawnEvent,
  PaymentCredited as PaymentCreditedEvent,
  Withdrawn as WithdrawnEvent,
} from '../../generated/JobMarket/JobMarket';
import { Withdrawal } from '../../generated/schema';
import { involve, newActivity } from '../common/activity';
import { ActivityKind, MovementKind } from '../common/constants';
import { formatUsdc, shortAddress } from '../common/format';
import { getAccount, getProtocol } from '../common/getters';
import { eventId } from '../common/ids';
import { movement } from './movements';

export function handlePaymentCredited(event: PaymentCreditedEvent): void {
  let p = event.params;
  let account = getAccount(p.account);
  account.withdrawable = p.withdrawable;
  account.save();
  let protocol = getProtocol(event.block.timestamp);
  protocol.withdrawableTotal = protocol.withdrawableTotal.plus(p.amount);
  protocol.save();
}

export function handleFeeAccrued(event: FeeAccruedEvent): void {
  let protocol = getProtocol(event.block.timestamp);
  protocol.accruedFees = event.params.accruedFees;
  protocol.save();
}

export function handleWithdrawn(event: WithdrawnEvent): void {
  let p = event.params;
  let id = eventId(event);
  let account = getAccount(p.account);
  account.withdrawable = account.withdrawable.minus(p.amount);
  account.totalWithdrawn = account.totalWithdrawn.plus(p.amount);
  account.save();

  let withdrawal = new Withdrawal(id);
  withdrawal.account = account.id;
  withdrawal.to = p.to;
  withdrawal.amount = p.amount;
  withdrawal.protocolFees = false;
  withdrawal.blockNumber = event.block.number;
  withdrawal.timestamp = event.block.timestamp;
  withdrawal.txHash = event.transaction.hash;
  withdrawal.save();
  movement(id, MovementKind.WITHDRAWAL, null, account.id, p.amount, event);

  let protocol = getProtocol(event.block.timestamp);
  protocol.withdrawableTotal = protocol.withdrawableTotal.minus(p.amount);
  protocol.withdrawnTotal = protocol.withdrawnTotal.plus(p.amount);
  protocol.save();

  let toSelf = p.to.equals(p.account);
  let activity = newActivity(
    event,
    ActivityKind.WITHDRAWAL,
    shortAddress(p.account) + ' withdrew ' + formatUsdc(p.amount) + ' USDC' + (toSelf ? '' : ' to ' + shortAddress(p.to)),
  );
  involve(activity, p.account);
  involve(activity, p.to);
  activity.amount = p.amount;
  activity.save();
}

export function handleFeesWithdrawn(event: FeesWithdrawnEvent): void {
  let p = event.params;
  let id = eventId(event);
  let treasury = getAccount(p.treasury);
  treasury.save();
  let withdrawal = new Withdrawal(id);
  withdrawal.account = treasury.id;
  withdrawal.to = p.treasury;
  withdrawal.amount = p.amount;
  withdrawal.protocolFees = true;
  withdrawal.blockNumber = event.block.number;
  withdrawal.timestamp = event.block.timestamp;
  withdrawal.txHash = event.transaction.hash;
  withdrawal.save();
  movement(id, MovementKind.FEE_WITHDRAWAL, null, treasury.id, p.amount, event);

  let protocol = getProtocol(event.block.timestamp);
  protocol.accruedFees = protocol.accruedFees.minus(p.amount);
  protocol.feesWithdrawn = protocol.feesWithdrawn.plus(p.amount);
  protocol.save();

  let activity = newActivity(event, ActivityKind.FEES_WITHDRAWN, formatUsdc(p.amount) + ' USDC of protocol fees sent to the treasury ' + shortAddress(p.treasury));
  involve(activity, p.treasury);
  activity.amount = p.amount;
  activity.save();
}
