// `sync`: the config's profile and offers applied to ProviderRegistry. The plan is computed from what the chain
// holds (the provider record, its profile and offer events, each offer's stored price/capacity/active flag), so a
// second run with the same config finds nothing to do and sends no transaction.
// An offer's on-chain capacity is its free units: JobMarket takes one for each job routed to it and gives it back when
// the job leaves Routed, Accepted or Running. So the capacity sync aims for is the configured units less the units
// the provider's live jobs hold, and a sync while jobs run neither frees their units nor takes more.
import { jobMarketAbi, providerRegistryAbi } from '@necto/contracts';
import type { Address } from 'viem';
import { offerKey, type OfferConfig } from '../config/schema.js';
import type { ProviderConfig } from '../config/load.js';
import { sendTx, type ChainClients } from './clients.js';

/** DataTypes.ProviderStatus */
export const ProviderStatus = { None: 0, Active: 1, Paused: 2, Suspended: 3, Deregistered: 4 } as const;

export interface OnchainProfile {
  status: number;
  payout: Address;
  name: string;
  metadataURI: string;
  region: string;
}

export interface OnchainOffer {
  offerId: bigint;
  gpuModel: string;
  gpuCount: number;
  vramGb: number;
  vcpu: number;
  ramGb: number;
  region: string;
  pricePerGpuHour: bigint;
  availableUnits: number;
  active: boolean;
}

export type SyncAction =
  | { kind: 'register'; name: string; metadataURI: string; region: string; payout: Address }
  | { kind: 'update'; name: string; metadataURI: string; region: string; payout: Address }
  | { kind: 'pause' }
  | { kind: 'resume' }
  | { kind: 'list'; offer: OfferConfig }
  | { kind: 'reprice'; offerId: bigint; from: bigint; to: bigint }
  | { kind: 'capacity'; offerId: bigint; from: number; to: number }
  | { kind: 'activate'; offerId: bigint }
  | { kind: 'deactivate'; offerId: bigint };

export class SyncError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SyncError';
  }
}

export async function readProfile(clients: ChainClients, registry: Address, provider: Address, fromBlock: bigint): Promise<OnchainProfile | null> {
  const record = await clients.publicClient.readContract({ address: registry, abi: providerRegistryAbi, functionName: 'getProvider', args: [provider] });
  if (record.status === ProviderStatus.None) return null;
  const [registered, updated] = await Promise.all([
    clients.publicClient.getContractEvents({ address: registry, abi: providerRegistryAbi, eventName: 'ProviderRegistered', args: { provider }, fromBlock }),
    clients.publicClient.getContractEvents({ address: registry, abi: providerRegistryAbi, eventName: 'ProviderUpdated', args: { provider }, fromBlock }),
  ]);
  const latest = [...registered, ...updated].sort((a, b) => Number((a.blockNumber ?? 0n) - (b.blockNumber ?? 0n)) || (a.logIndex ?? 0) - (b.logIndex ?? 0)).at(-1);
  return {
    status: record.status,
    payout: record.payout,
    name: latest?.args.name ?? '',
    metadataURI: latest?.args.metadataURI ?? '',
    region: latest?.args.region ?? '',
  };
}

export async function readOffers(clients: ChainClients, registry: Address, provider: Address, fromBlock: bigint): Promise<OnchainOffer[]> {
  const listed = await clients.publicClient.getContractEvents({ address: registry, abi: providerRegistryAbi, eventName: 'OfferListed', args: { provider }, fromBlock });
  const offers: OnchainOffer[] = [];
  for (const ev of listed) {
    const a = ev.args;
    const offerId = a.offerId!;
    const stored = await clients.publicClient.readContract({ address: registry, abi: providerRegistryAbi, functionName: 'getOffer', args: [offerId] });
    offers.push({
      offerId,
      gpuModel: a.gpuModel!,
      gpuCount: a.gpuCount!,
      vramGb: a.vramGb!,
      vcpu: a.vcpu!,
      ramGb: a.ramGb!,
      region: a.region!,
      pricePerGpuHour: BigInt(stored.pricePerGpuHour),
      availableUnits: stored.availableUnits,
      active: stored.active,
    });
  }
  return offers.sort((x, y) => (x.offerId < y.offerId ? -1 : 1));
}

/** JobStatus values in which a job holds a unit of its offer (Routed, Accepted, Running). */
const UNIT_HOLDING = new Set([2, 3, 4]);

/** Units of each of the provider's offers held by its live jobs, from the routes committed to it. */
export async function readHeldUnits(clients: ChainClients, jobMarket: Address, provider: Address, fromBlock: bigint): Promise<Map<bigint, number>> {
  const routes = await clients.publicClient.getContractEvents({ address: jobMarket, abi: jobMarketAbi, eventName: 'RouteCommitted', fromBlock });
  const jobIds = new Set<bigint>();
  for (const ev of routes) {
    if (ev.args.provider?.toLowerCase() === provider.toLowerCase() && ev.args.jobId !== undefined) jobIds.add(ev.args.jobId);
  }
  const held = new Map<bigint, number>();
  for (const jobId of jobIds) {
    const job = await clients.publicClient.readContract({ address: jobMarket, abi: jobMarketAbi, functionName: 'getJob', args: [jobId] });
    if (!UNIT_HOLDING.has(job.status) || job.offerId === 0 || job.operator.toLowerCase() !== provider.toLowerCase()) continue;
    const offerId = BigInt(job.offerId);
    held.set(offerId, (held.get(offerId) ?? 0) + 1);
  }
  return held;
}

/**
 * What must change on-chain for the chain to match the config. Pure: the same inputs give the same plan.
 * `held`: units of each offer held by live jobs (see readHeldUnits); the free capacity wanted is units − held.
 */
export function planSync(
  cfg: Pick<ProviderConfig, 'profile' | 'offers' | 'address'>,
  profile: OnchainProfile | null,
  offers: OnchainOffer[],
  held: ReadonlyMap<bigint, number> = new Map(),
): SyncAction[] {
  const actions: SyncAction[] = [];
  const want = { name: cfg.profile.name, metadataURI: cfg.profile.metadataURI, region: cfg.profile.region, payout: cfg.profile.payout ?? cfg.address };
  if (profile === null) {
    actions.push({ kind: 'register', ...want });
  } else {
    if (profile.status === ProviderStatus.Deregistered) throw new SyncError(`${cfg.address} deregistered from ProviderRegistry; a deregistered wallet cannot come back — use a new wallet`);
    if (profile.status === ProviderStatus.Suspended) throw new SyncError(`${cfg.address} is suspended by the protocol; nothing was changed`);
    if (profile.name !== want.name || profile.metadataURI !== want.metadataURI || profile.region !== want.region || profile.payout.toLowerCase() !== want.payout.toLowerCase()) {
      actions.push({ kind: 'update', ...want });
    }
  }
  const paused = profile?.status === ProviderStatus.Paused;
  if (cfg.profile.paused && !paused) actions.push({ kind: 'pause' });
  if (!cfg.profile.paused && paused) actions.push({ kind: 'resume' });

  // Several on-chain offers may share a hardware key (listed, deactivated, listed again): prefer an active one.
  const byKey = new Map<string, OnchainOffer>();
  for (const o of offers) {
    const k = offerKey(o);
    const seen = byKey.get(k);
    if (!seen || (!seen.active && o.active)) byKey.set(k, o);
  }
  const wanted = new Set<string>();
  for (const offer of cfg.offers) {
    const k = offerKey(offer);
    wanted.add(k);
    const onchain = byKey.get(k);
    if (!onchain) {
      actions.push({ kind: 'list', offer });
      continue;
    }
    if (onchain.pricePerGpuHour !== offer.pricePerGpuHour) actions.push({ kind: 'reprice', offerId: onchain.offerId, from: onchain.pricePerGpuHour, to: offer.pricePerGpuHour });
    const free = Math.max(0, offer.units - (held.get(onchain.offerId) ?? 0));
    if (onchain.availableUnits !== free) actions.push({ kind: 'capacity', offerId: onchain.offerId, from: onchain.availableUnits, to: free });
    if (!onchain.active) actions.push({ kind: 'activate', offerId: onchain.offerId });
  }
  for (const o of offers) {
    if (o.active && (!wanted.has(offerKey(o)) || byKey.get(offerKey(o)) !== o)) actions.push({ kind: 'deactivate', offerId: o.offerId });
  }
  return actions;
}

export function describeAction(a: SyncAction): string {
  switch (a.kind) {
    case 'register':
      return `register "${a.name}" (${a.region}), payout ${a.payout}`;
    case 'update':
      return `update profile to "${a.name}" (${a.region}), payout ${a.payout}`;
    case 'pause':
      return 'pause the provider';
    case 'resume':
      return 'resume the provider';
    case 'list':
      return `list offer ${a.offer.gpuModel} x${a.offer.gpuCount} ${a.offer.vramGb} GB, ${a.offer.vcpu} vCPU, ${a.offer.ramGb} GB RAM, ${a.offer.region} at ${a.offer.pricePerGpuHour} per GPU-hour, ${a.offer.units} unit(s)`;
    case 'reprice':
      return `reprice offer ${a.offerId}: ${a.from} → ${a.to} per GPU-hour`;
    case 'capacity':
      return `set offer ${a.offerId} capacity: ${a.from} → ${a.to}`;
    case 'activate':
      return `reactivate offer ${a.offerId}`;
    case 'deactivate':
      return `deactivate offer ${a.offerId} (not in the config)`;
  }
}

export interface SyncResult {
  actions: SyncAction[];
  transactions: number;
}

export async function syncRegistry(clients: ChainClients, cfg: ProviderConfig, opts: { dryRun?: boolean; onAction?: (a: SyncAction) => void } = {}): Promise<SyncResult> {
  const registry = cfg.deployment.contracts.ProviderRegistry;
  const fromBlock = BigInt(cfg.deployment.startBlock);
  const profile = await readProfile(clients, registry, cfg.address, fromBlock);
  const offers = await readOffers(clients, registry, cfg.address, fromBlock);
  const held = await readHeldUnits(clients, cfg.deployment.contracts.JobMarket, cfg.address, fromBlock);
  const actions = planSync(cfg, profile, offers, held);
  if (opts.dryRun) return { actions, transactions: 0 };
  let transactions = 0;
  const call = (functionName: string, args: readonly unknown[]) =>
    sendTx(clients, functionName, { address: registry, abi: providerRegistryAbi, functionName, args } as Parameters<typeof sendTx>[2]);
  for (const a of actions) {
    opts.onAction?.(a);
    switch (a.kind) {
      case 'register':
        await call('registerProvider', [a.name, a.metadataURI, a.region, a.payout]);
        break;
      case 'update':
        await call('updateProvider', [a.name, a.metadataURI, a.region, a.payout]);
        break;
      case 'pause':
        await call('setPaused', [true]);
        break;
      case 'resume':
        await call('setPaused', [false]);
        break;
      case 'list': {
        const o = a.offer;
        await call('listOffer', [{ gpuModel: o.gpuModel, gpuCount: o.gpuCount, vramGb: o.vramGb, vcpu: o.vcpu, ramGb: o.ramGb, region: o.region, pricePerGpuHour: Number(o.pricePerGpuHour), availableUnits: o.units }]);
        break;
      }
      case 'reprice':
        await call('repriceOffer', [a.offerId, Number(a.to)]);
        break;
      case 'capacity':
        await call('setOfferCapacity', [a.offerId, a.to]);
        break;
      case 'activate':
        await call('setOfferActive', [a.offerId, true]);
        break;
      case 'deactivate':
        await call('setOfferActive', [a.offerId, false]);
        break;
    }
    transactions++;
  }
  return { actions, transactions };
}
