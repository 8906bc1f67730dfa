// ProviderRegistry: providers, their offers and price history. One handler per contract event.
import { Address, BigInt, ethereum, log } from '@graphprotocol/graph-ts';
import {
  OfferActiveChanged as OfferActiveChangedEvent,
  OfferCapacityChanged as OfferCapacityChangedEvent,
  OfferListed as OfferListedEvent,
  OfferRepriced as OfferRepricedEvent,
  ProviderRegistered as ProviderRegisteredEvent,
  ProviderStatusChanged as ProviderStatusChangedEvent,
  ProviderUpdated as ProviderUpdatedEvent,
  AuthorityUpdated as AuthorityUpdatedEvent,
  MarketSet as MarketSetEvent,
} from '../generated/ProviderRegistry/ProviderRegistry';
import { ActivityEvent, Offer, OfferPriceChange, Provider, RegistryMarket } from '../generated/schema';
import { involve, newActivity } from './common/activity';
import { ActivityKind, ONE, ProviderStatus, providerStatusName } from './common/constants';
import { formatUsdc, shortAddress } from './common/format';
import { getProtocol, recordAuthority } from './common/getters';
import { eventId } from './common/ids';
import { newProviderStats } from './common/provider-stats';

function providerActivity(event: ethereum.Event, kind: string, provider: Provider, summary: string): ActivityEvent {
  let activity = newActivity(event, kind, summary);
  activity.provider = provider.id;
  involve(activity, provider.address);
  return activity;
}

function offerActivity(event: ethereum.Event, kind: string, offer: Offer, summary: string): ActivityEvent {
  let activity = newActivity(event, kind, summary);
  activity.provider = offer.provider;
  activity.offer = offer.id;
  return activity;
}

function recordPrice(event: ethereum.Event, offer: Offer, previousPrice: BigInt | null): void {
  let change = new OfferPriceChange(eventId(event));
  change.offer = offer.id;
  change.provider = offer.provider;
  change.previousPrice = previousPrice;
  change.pricePerGpuHour = offer.pricePerGpuHour;
  change.blockNumber = event.block.number;
  change.timestamp = event.block.timestamp;
  change.txHash = event.transaction.hash;
  change.save();
}

function offerLabel(offer: Offer): string {
  return 'Offer #' + offer.id + ' (' + offer.gpuCount.toString() + '× ' + offer.gpuModel + ')';
}

// ---------------------------------------------------------------- providers

export function handleProviderRegistered(event: ProviderRegisteredEvent): void {
  let p = event.params;
  let id = p.provider.toHexString();
  let timestamp = event.block.timestamp;
  let protocol = getProtocol(timestamp);
  let provider = Provider.load(id);
  if (provider === null) {
    provider = new Provider(id);
    provider.address = p.provider;
    provider.registeredAt = timestamp;
    provider.offerCount = 0;
    provider.activeOfferCount = 0;
    provider.stats = id;
    newProviderStats(id).save();
    protocol.providersTotal = protocol.providersTotal.plus(ONE);
    protocol.activeProviders = protocol.activeProviders.plus(ONE);
    provider.status = ProviderStatus.ACTIVE;
  } else if (provider.status != ProviderStatus.ACTIVE) {
    protocol.activeProviders = protocol.activeProviders.plus(ONE);
    provider.status = ProviderStatus.ACTIVE;
  }
  provider.name = p.name;
  provider.metadataURI = p.metadataURI;
  provider.region = p.region;
  provider.payout = p.payout;
  provider.updatedAt = timestamp;
  provider.save();
  protocol.save();

  let activity = providerActivity(event, ActivityKind.PROVIDER_REGISTERED, provider, p.name + ' registered as a provider in ' + p.region);
  involve(activity, p.payout);
  activity.save();
}

export function handleProviderUpdated(event: ProviderUpdatedEvent): void {
  let p = event.params;
  let provider = Provider.load(p.provider.toHexString());
  if (provider === null) {
    log.error('ProviderUpdated: unknown provider {}', [p.provider.toHexString()]);
    return;
  }
  provider.name = p.name;
  provider.metadataURI = p.metadataURI;
  provider.region = p.region;
  provider.payout = p.payout;
  provider.updatedAt = event.block.timestamp;
  provider.save();
  providerActivity(event, ActivityKind.PROVIDER_UPDATED, provider, p.name + ' updated its profile').save();
}

export function handleProviderStatusChanged(event: ProviderStatusChangedEvent): void {
  let p = event.params;
  let status = providerStatusName(p.status);
  let provider = Provider.load(p.provider.toHexString());
  // Registration (None → Active) is covered by ProviderRegistered, whichever order the two are emitted in.
  if (provider === null || status == '') return;
  let timestamp = event.block.timestamp;
  let previous = provider.status;
  if (previous != status) {
    let protocol = getProtocol(timestamp);
    if (previous == ProviderStatus.ACTIVE) protocol.activeProviders = protocol.activeProviders.minus(ONE);
    if (status == ProviderStatus.ACTIVE) protocol.activeProviders = protocol.activeProviders.plus(ONE);
    protocol.save();
  }
  provider.status = status;
  provider.updatedAt = timestamp;
  provider.save();

  let previousStatus = providerStatusName(p.previousStatus);
  if (previousStatus == '' || previousStatus == status) return;
  let kind: string;
  let verb: string;
  if (status == ProviderStatus.PAUSED) {
    kind = ActivityKind.PROVIDER_PAUSED;
    verb = 'paused';
  } else if (status == ProviderStatus.SUSPENDED) {
    kind = ActivityKind.PROVIDER_SUSPENDED;
    verb = 'was suspended';
  } else if (status == ProviderStatus.DEREGISTERED) {
    kind = ActivityKind.PROVIDER_DEREGISTERED;
    verb = 'deregistered';
  } else if (previousStatus == ProviderStatus.SUSPENDED) {
    kind = ActivityKind.PROVIDER_REINSTATED;
    verb = 'was reinstated';
  } else {
    kind = ActivityKind.PROVIDER_RESUMED;
    verb = 'resumed';
  }
  providerActivity(event, kind, provider, provider.name + ' ' + verb).save();
}

// ---------------------------------------------------------------- offers

export function handleOfferListed(event: OfferListedEvent): void {
  let p = event.params;
  let timestamp = event.block.timestamp;
  let providerId = p.provider.toHexString();
  let offer = new Offer(p.offerId.toString());
  offer.offerId = p.offerId;
  offer.provider = providerId;
  offer.gpuModel = p.gpuModel;
  offer.gpuCount = p.gpuCount;
  offer.vramGb = p.vramGb;
  offer.vcpu = p.vcpu;
  offer.ramGb = p.ramGb.toI32();
  offer.region = p.region;
  offer.pricePerGpuHour = p.pricePerGpuHour;
  offer.pricePerHour = p.pricePerGpuHour.times(BigInt.fromI32(p.gpuCount));
  offer.availableUnits = p.availableUnits.toI32();
  offer.active = true;
  offer.listedAt = timestamp;
  offer.updatedAt = timestamp;
  offer.jobsRouted = 0;
  offer.save();
  recordPrice(event, offer, null);

  let provider = Provider.load(providerId);
  if (provider !== null) {
    provider.offerCount += 1;
    provider.activeOfferCount += 1;
    provider.updatedAt = timestamp;
    provider.save();
  }
  let protocol = getProtocol(timestamp);
  protocol.offersTotal = protocol.offersTotal.plus(ONE);
  protocol.activeOffers = protocol.activeOffers.plus(ONE);
  protocol.save();

  let activity = offerActivity(
    event,
    ActivityKind.OFFER_LISTED,
    offer,
    (provider !== null ? provider.name : shortAddress(p.provider)) + ' listed ' + p.gpuCount.toString() + '× ' + p.gpuModel + ' ' +
      p.vramGb.toString() + ' GB in ' + p.region + ' at ' + formatUsdc(p.pricePerGpuHour) + ' USDC/GPU-hour',
  );
  involve(activity, p.provider);
  activity.amount = p.pricePerGpuHour;
  activity.save();
}

export function handleOfferRepriced(event: OfferRepricedEvent): void {
  let p = event.params;
  let offer = Offer.load(p.offerId.toString());
  if (offer === null) {
    log.error('OfferRepriced: unknown offer {}', [p.offerId.toString()]);
    return;
  }
  offer.pricePerGpuHour = p.pricePerGpuHour;
  offer.pricePerHour = p.pricePerGpuHour.times(BigInt.fromI32(offer.gpuCount));
  offer.updatedAt = event.block.timestamp;
  offer.save();
  recordPrice(event, offer, p.previousPrice);

  let activity = offerActivity(
    event,
    ActivityKind.OFFER_REPRICED,
    offer,
    offerLabel(offer) + ' repriced from ' + formatUsdc(p.previousPrice) + ' to ' + formatUsdc(p.pricePerGpuHour) + ' USDC/GPU-hour',
  );
  involve(activity, p.provider);
  activity.amount = p.pricePerGpuHour;
  activity.save();
}

export function handleOfferCapacityChanged(event: OfferCapacityChangedEvent): void {
  let p = event.params;
  let offer = Offer.load(p.offerId.toString());
  if (offer === null) {
    log.error('OfferCapacityChanged: unknown offer {}', [p.offerId.toString()]);
    return;
  }
  offer.availableUnits = p.availableUnits.toI32();
  offer.updatedAt = event.block.timestamp;
  offer.save();
  // Units taken and given back by jobs (the transaction went to a market, not to the registry) are not activity of
  // their own: the job's routed / completed / cancelled entries already tell it.
  let to = event.transaction.to;
  if (to === null || !(to as Address).equals(event.address)) return;
  let activity = offerActivity(
    event,
    ActivityKind.OFFER_CAPACITY_CHANGED,
    offer,
    offerLabel(offer) + ': ' + p.availableUnits.toString() + (p.availableUnits.equals(ONE) ? ' unit' : ' units') + ' available',
  );
  involve(activity, p.provider);
  activity.save();
}

export function handleOfferActiveChanged(event: OfferActiveChangedEvent): void {
  let p = event.params;
  let offer = Offer.load(p.offerId.toString());
  if (offer === null) {
    log.error('OfferActiveChanged: unknown offer {}', [p.offerId.toString()]);
    return;
  }
  let timestamp = event.block.timestamp;
  if (offer.active != p.active) {
    let delta = p.active ? 1 : -1;
    let provider = Provider.load(offer.provider);
    if (provider !== null) {
      provider.activeOfferCount += delta;
      provider.updatedAt = timestamp;
      provider.save();
    }
    let protocol = getProtocol(timestamp);
    protocol.activeOffers = protocol.activeOffers.plus(BigInt.fromI32(delta));
    protocol.save();
  }
  offer.active = p.active;
  offer.updatedAt = timestamp;
  offer.save();
  let activity = offerActivity(
    event,
    p.active ? ActivityKind.OFFER_ACTIVATED : ActivityKind.OFFER_DEACTIVATED,
    offer,
    offerLabel(offer) + (p.active ? ' activated' : ' deactivated'),
  );
  involve(activity, p.provider);
  activity.save();
}

// ---------------------------------------------------------------- access

export function handleAuthorityUpdated(event: AuthorityUpdatedEvent): void {
  recordAuthority(event.params.authority, event.block.timestamp);
}

/** A market added (it takes and gives back offer units) or retired (it only gives back what its jobs hold). */
export function handleMarketSet(event: MarketSetEvent): void {
  let market = RegistryMarket.load(event.params.market);
  if (market === null) market = new RegistryMarket(event.params.market);
  market.active = event.params.active;
  market.updatedAt = event.block.timestamp;
  market.save();
}
