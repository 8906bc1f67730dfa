import { encodeAbiParameters, keccak256, pad } from 'viem';
import type { Hex } from '../domain/types.js';
import { REGION_ALIASES } from '../domain/regions.js';

/** `bytes32(uint256(uint160(provider)))`, lower-case: how the contracts name an on-chain provider. */
export function onchainProviderRef(provider: Hex): Hex {
  return pad(provider.toLowerCase() as Hex, { size: 32 });
}

/** `keccak256(abi.encode(market, externalId))`: how the contracts name a provider of an external market. */
export function externalProviderRef(market: string, externalId: string): Hex {
  return keccak256(encodeAbiParameters([{ type: 'string' }, { type: 'string' }], [market, externalId]));
}

/** USD as a JS number (as APIs publish it) to USDC 6-decimals, rounded to the nearest micro-dollar. */
export function usdToMicros(usd: number): bigint {
  if (!Number.isFinite(usd) || usd < 0) throw new Error(`invalid USD amount ${usd}`);
  return BigInt(Math.round(usd * 1_000_000));
}

const MODEL_ALIASES: Record<string, string> = {
  a10g: 'a10g',
  a10: 'a10',
  a100: 'a100',
  a40: 'a40',
  a4000: 'a4000',
  a5000: 'a5000',
  a6000: 'a6000',
  rtxa6000: 'a6000',
  rtxa5000: 'a5000',
  rtxa4000: 'a4000',
  rtx6000: 'rtx6000',
  rtx6000ada: 'rtx6000ada',
  quadrortx6000: 'rtx6000',
  h100: 'h100',
  h200: 'h200',
  h800: 'h800',
  gh200: 'gh200',
  b200: 'b200',
  l4: 'l4',
  l40: 'l40',
  l40s: 'l40s',
  t4: 't4',
  v100: 'v100',
  rtx3090: 'rtx3090',
  rtx3080: 'rtx3080',
  rtx4090: 'rtx4090',
  rtx4080: 'rtx4080',
  rtx5090: 'rtx5090',
  '3090': 'rtx3090',
  '4090': 'rtx4090',
  '5090': 'rtx5090',
};

const DROP_TOKENS = /^(nvidia|amd|tesla|geforce|gpu|\d+x|x\d+|sxm\d*|pcie|nvl|nvlink|hbm\d*e?|\d+(gb|gib|gi|g))$/;
const MEMORY_UNIT = /^(gb|gib|gi|g)$/;

/**
 * One spelling per GPU model across markets: `NVIDIA A100-SXM4-80GB` → `a100`, `RTX 4090` → `rtx4090`,
 * `RTX A6000 (48 GB)` → `a6000`, `Tesla V100` → `v100`. VRAM and form factor are kept elsewhere. Unknown
 * names are lower-cased and stripped of separators so they still compare equal to themselves.
 */
export function canonicalGpuModel(raw: string): string {
  const tokens = raw.toLowerCase().split(/[\s_\-(),/]+/).filter((t) => t.length > 0);
  const kept: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (/^\d+$/.test(t) && MEMORY_UNIT.test(tokens[i + 1] ?? '')) {
      i++; // `80 GB`
      continue;
    }
    if (DROP_TOKENS.test(t)) continue;
    kept.push(t);
  }
  const compact = kept.join('');
  return MODEL_ALIASES[compact] ?? compact;
}

/** `80Gi`, `80GB`, `80 GiB`, `24576Mi` → whole GB (binary units are treated as GB, as GPU sellers do). */
export function parseSizeGb(raw: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ti|tb|gi|gb|g|mi|mb|m)?\w*\s*$/i.exec(raw);
  if (!m) return 0;
  const n = Number(m[1]);
  const unit = (m[2] ?? 'gi').toLowerCase();
  if (unit.startsWith('t')) return Math.round(n * 1024);
  if (unit.startsWith('m')) return Math.round(n / 1024);
  return Math.round(n);
}


/**
 * One vocabulary of regions across markets (`us-east`, `eu-central`, `asia-southeast`, …):
 * `us-east-1`, `na-us-east`, `useast` all become `us-east`. Unknown values are slugged as they are.
 * A request's allow-list entry matches a region equal to it or starting with it plus `-` (so `us` allows `us-east`).
 */
export function canonicalRegion(raw: string | null | undefined): string {
  if (!raw) return 'unknown';
  const s = raw.toLowerCase().trim().replace(/[\s_]+/g, '-');
  if (s === 'ap-southeast-2') return 'oceania';
  for (const [re, region] of REGION_ALIASES) if (re.test(s)) return region;
  return s;
}

/** Two-letter country codes to regions, for sources that only publish a country (Akash ipCountryCode). */
const COUNTRY_REGIONS: Record<string, string> = {
  US: 'us-central', CA: 'ca-central', GB: 'eu-west', IE: 'eu-west', FR: 'eu-west', NL: 'eu-west', BE: 'eu-west',
  DE: 'eu-central', PL: 'eu-central', CZ: 'eu-central', AT: 'eu-central', CH: 'eu-central', SE: 'eu-north',
  FI: 'eu-north', NO: 'eu-north', DK: 'eu-north', IT: 'eu-south', ES: 'eu-south', PT: 'eu-south',
  JP: 'asia-east', KR: 'asia-east', HK: 'asia-east', TW: 'asia-east', CN: 'asia-east', IN: 'asia-south',
  SG: 'asia-southeast', VN: 'asia-southeast', TH: 'asia-southeast', MY: 'asia-southeast', ID: 'asia-southeast',
  AU: 'oceania', NZ: 'oceania', BR: 'sa-east', AR: 'sa-east', CL: 'sa-east', AE: 'me-central', IL: 'me-central',
  ZA: 'af-south',
};

export function regionOfCountry(code: string | null | undefined): string | null {
  if (!code) return null;
  return COUNTRY_REGIONS[code.toUpperCase()] ?? null;
}

/** An allow-list entry prepared once per request: its raw lower-case form and its canonical form. */
export interface RegionRule {
  raw: string;
  canonical: string;
}

export function regionRule(allowed: string): RegionRule {
  return { raw: allowed.toLowerCase().trim(), canonical: canonicalRegion(allowed) };
}

/** Does candidate region `region` (canonical) satisfy an allow-list entry? */
export function regionMatches(region: string, rule: RegionRule): boolean {
  return (
    region === rule.raw ||
    region === rule.canonical ||
    region.startsWith(`${rule.raw}-`) ||
    region.startsWith(`${rule.canonical}-`)
  );
}
