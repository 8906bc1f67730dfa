// Admin and access: protocol settings, external market settlement accounts, the authority and the pause switch.
import {
  AuthorityUpdated as AuthorityUpdatedEvent,
  DisputeTimeoutSet as DisputeTimeoutSetEvent,
  MarketSettlementSet as MarketSettlementSetEvent,
  Paused as PausedEvent,
  ProtocolFeeSet as ProtocolFeeSetEvent,
  TermsSet as TermsSetEvent,
  TreasurySet as TreasurySetEvent,
  Unpaused as UnpausedEvent,
  WindowsSet as WindowsSetEvent,
} from '../../generated/JobMarket/JobMarket';
import { Terms } from '../../generated/schema';
import { getMarketSettlement, getProtocol, recordAuthority } from '../common/getters';
import { isZeroAddress } from '../common/ids';

export function handleProtocolFeeSet(event: ProtocolFeeSetEvent): void {
  let protocol = getProtocol(event.block.timestamp);
  protocol.feeBps = event.params.feeBps;
  protocol.save();
}

export function handleTreasurySet(event: TreasurySetEvent): void {
  let protocol = getProtocol(event.block.timestamp);
  protocol.treasury = event.params.treasury;
  protocol.save();
}

export function handleWindowsSet(event: WindowsSetEvent): void {
  let p = event.params;
  let protocol = getProtocol(event.block.timestamp);
  protocol.startWindow = p.startWindow;
  protocol.disputeWindow = p.disputeWindow;
  protocol.defaultStartBy = p.defaultStartBy;
  protocol.save();
}

export function handleTermsSet(event: TermsSetEvent): void {
  let p = event.params;
  let terms = new Terms(p.termsId.toString());
  terms.feeBps = p.feeBps;
  terms.disputeWindow = p.disputeWindow;
  terms.disputeTimeout = p.disputeTimeout;
  terms.setAt = event.block.timestamp;
  terms.save();
  let protocol = getProtocol(event.block.timestamp);
  protocol.currentTerms = terms.id;
  protocol.save();
}

export function handleDisputeTimeoutSet(event: DisputeTimeoutSetEvent): void {
  let protocol = getProtocol(event.block.timestamp);
  protocol.disputeTimeout = event.params.disputeTimeout;
  protocol.save();
}

export function handleMarketSettlementSet(event: MarketSettlementSetEvent): void {
  let p = event.params;
  let settlement = getMarketSettlement(p.market, event.block.timestamp);
  settlement.marketKey = p.marketKey;
  settlement.account = p.account;
  settlement.enabled = !isZeroAddress(p.account);
  settlement.save();
}

export function handleAuthorityUpdated(event: AuthorityUpdatedEvent): void {
  recordAuthority(event.params.authority, event.block.timestamp);
}

export function handlePaused(event: PausedEvent): void {
  let protocol = getProtocol(event.block.timestamp);
  protocol.paused = true;
  protocol.save();
}

export function handleUnpaused(event: UnpausedEvent): void {
  let protocol = getProtocol(event.block.timestamp);
  protocol.paused = false;
  protocol.save();
}
