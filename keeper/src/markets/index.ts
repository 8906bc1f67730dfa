// Every market as one module: its quote half (the catalog sources that price it) and its launch half (what starts
// a job there in Necto, or why it is quote only). The catalog builds its sources and its default launchers from
// this list; a deployment's `LAUNCHERS` may still name a launcher for a market declared quote only here.
import type { SourceDefinition } from '../catalog/source.js';
import { akashSource } from '../catalog/sources/akash.js';
import { awsSpotSource } from '../catalog/sources/awsSpot.js';
import { ionetSource } from '../catalog/sources/ionet.js';
import { ionetCaasSource } from '../catalog/sources/ionetCaas.js';
import { lambdaSource } from '../catalog/sources/lambda.js';
import { runpodSource } from '../catalog/sources/runpod.js';
import { subgraphSource } from '../catalog/sources/subgraph.js';
import { vastSource } from '../catalog/sources/vast.js';
import type { Market } from '../domain/types.js';

export type SourceName = 'subgraph' | 'akash' | 'lambda' | 'aws-spot' | 'vast' | 'runpod' | 'ionet' | 'ionet-caas';

/** The launch half: a launcher that creates, watches and stops the job, or the reason there is none. */
export type Launch = { launcher: string; via: string } | { quoteOnly: string };

export interface MarketModule {
  market: Market;
  name: string;
  /** The quote half: the catalog sources, in catalog order. */
  quote: ReadonlyArray<readonly [SourceName, SourceDefinition<unknown>]>;
  launch: Launch;
}

const src = <R>(name: SourceName, def: SourceDefinition<R>) => [name, def as SourceDefinition<unknown>] as const;

export const MARKETS: ReadonlyArray<MarketModule> = Object.freeze([
  { market: 'onchain', name: 'Necto providers', quote: [src('subgraph', subgraphSource)], launch: { launcher: 'provider-agent', via: 'the provider agent (provider/)' } },
  { market: 'akash', name: 'Akash', quote: [src('akash', akashSource)], launch: { launcher: 'akash-deployer', via: 'the Akash deployer (src/services/akash-deployer)' } },
  { market: 'lambda', name: 'Lambda', quote: [src('lambda', lambdaSource)], launch: { quoteOnly: 'Necto has no Lambda launcher' } },
  { market: 'aws-spot', name: 'AWS Spot', quote: [src('aws-spot', awsSpotSource)], launch: { quoteOnly: 'Necto has no AWS launcher' } },
  { market: 'vast', name: 'Vast.ai', quote: [src('vast', vastSource)], launch: { quoteOnly: 'Necto has no Vast.ai launcher' } },
  { market: 'runpod', name: 'RunPod', quote: [src('runpod', runpodSource)], launch: { quoteOnly: 'Necto has no RunPod launcher' } },
  { market: 'ionet', name: 'io.net', quote: [src('ionet', ionetSource), src('ionet-caas', ionetCaasSource)], launch: { quoteOnly: 'Necto has no io.net launcher' } },
]);

/** Every quote source of every market, in catalog order. */
export const QUOTE_SOURCES: ReadonlyArray<readonly [SourceName, SourceDefinition<unknown>]> = MARKETS.flatMap((m) => m.quote);

/** The launchers Necto ships, per market: the deployment default when `LAUNCHERS` is not set. */
export function defaultLaunchers(): Partial<Record<Market, string>> {
  return Object.fromEntries(MARKETS.flatMap((m) => ('launcher' in m.launch ? [[m.market, m.launch.launcher]] : [])));
}

/** Why a market cannot be routed to in this deployment, or null when `launchers` has one for it. */
export function quoteOnlyReason(market: Market, launchers: Partial<Record<Market, string>>): string | null {
  if (launchers[market] !== undefined) return null;
  const m = MARKETS.find((x) => x.market === market);
  return m && 'quoteOnly' in m.launch ? m.launch.quoteOnly : `no launcher configured for ${market}`;
}
