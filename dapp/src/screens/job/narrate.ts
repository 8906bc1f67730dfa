// Turns the routing agent's raw steps (tool calls, tool results, model text) into sentences a buyer reads: what was
// looked up, how many offers fit, what excluded the rest, the pick and the runner-up. The raw payloads stay
// attached to each sentence for the disclosure. Pure, unit tested.
import type { AgentStep as DomainStep } from '@necto/keeper/domain';

/** An agent step as the stream (with its round) or a reasoning log (without) holds it. */
export type AgentStep = DomainStep & { round?: number };
import { formatPricePerGpuHour, formatUsdc, shortAddress } from '../../lib/format';
import { constraintName } from '../../lib/constraints';
import { regionName } from '../../lib/regions';
import { marketName } from '../submit/QuoteTable';

export interface NarratedStep {
  key: string;
  kind: 'lookup' | 'constraints' | 'ranking' | 'sdl' | 'thought' | 'decision' | 'error' | 'tool';
  title: string;
  lines: string[];
  /** The raw tool arguments and results (or the step's detail) this sentence was written from. */
  raw: unknown[];
}

export const NARRATED_KIND_LABEL: Record<NarratedStep['kind'], string> = {
  lookup: 'Looked up',
  constraints: 'Filtered',
  ranking: 'Ranked',
  sdl: 'Deployment',
  thought: 'Thinking',
  decision: 'Decision',
  error: 'Error',
  tool: 'Tool',
};

const SOURCE_NAMES: Record<string, string> = { subgraph: 'Necto providers (on-chain)', onchain: 'Necto providers (on-chain)', akash: 'Akash', lambda: 'Lambda', 'aws-spot': 'AWS Spot', ionet: 'io.net' };

function age(sec: number): string {
  if (!Number.isFinite(sec)) return '?';
  if (sec < 90) return `${Math.round(sec)} s`;
  if (sec < 5400) return `${Math.round(sec / 60)} min`;
  if (sec < 172_800) return `${Math.round(sec / 3600)} h`;
  return `${Math.round(sec / 86_400)} d`;
}

/** "$1.290000" → "$1.29"; "@ 2490000" (base units) → "@ $2.49/GPU·h"; padded bytes32 addresses → 0x1234…abcd. */
export function tidyProse(text: string, names: ReadonlyMap<string, string> = new Map()): string {
  let out = text
    .split('\n')
    .filter((line) => !/^\s*PICK:/i.test(line))
    .join('\n')
    .replace(/\$(\d+)\.(\d{2})\d*/g, (_, whole: string, cents: string) => `$${whole}.${cents}`)
    .replace(/@\s*(\d{4,})\b/g, (_, units: string) => `@ ${formatPricePerGpuHour(BigInt(units))}`)
    .replace(/0x0{24}([0-9a-fA-F]{40})\b/g, (_, addr: string) => shortAddress(`0x${addr}`))
    .replace(/\bonchain\b(?!:)/g, 'Necto provider');
  for (const [id, name] of names) out = out.split(id).join(name);
  return out.trim();
}

const record = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const num = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN);
const usd = (v: unknown) => {
  const n = num(v);
  return Number.isFinite(n) ? `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: n < 1 ? 4 : 2 })}` : '?';
};

interface Ranked { candidateId: string; name: string; market: string; gpu: string; region: string; price: string; total: number }

function rankedOf(result: unknown): Ranked[] {
  const top = record(result).top;
  if (!Array.isArray(top)) return [];
  return top.map((t) => {
    const r = record(t);
    return {
      candidateId: String(r.candidateId ?? ''),
      name: String(r.name ?? r.candidateId ?? 'provider'),
      market: String(r.market ?? ''),
      gpu: String(r.gpu ?? ''),
      region: String(r.region ?? ''),
      price: usd(r.pricePerGpuHourUsd),
      total: num(r.totalCostUsd),
    };
  });
}

function lookupLines(result: unknown): { title: string; lines: string[] } {
  const r = record(result);
  const perMarket = record(r.perMarket);
  const markets = Object.entries(perMarket).map(([m, n]) => `${marketName(m)} ${String(n)}`);
  const sources = Array.isArray(r.sources) ? r.sources.map(record) : [];
  const live = sources.filter((s) => s.origin === 'live').map((s) => `${SOURCE_NAMES[String(s.source)] ?? String(s.source)} read ${age(num(s.ageSec))} ago`);
  const snapshots = sources.filter((s) => s.origin !== 'live').map((s) => `${SOURCE_NAMES[String(s.source)] ?? String(s.source)} (${age(num(s.ageSec))} old)`);
  const count = num(r.candidateCount);
  const lines: string[] = [];
  if (markets.length) lines.push(`Per market: ${markets.join(' · ')}.`);
  if (live.length) lines.push(`Live prices: ${live.join(', ')}.`);
  if (snapshots.length) lines.push(`From price snapshots: ${snapshots.join(', ')}.`);
  return { title: `Looked up ${Number.isFinite(count) ? count : 'the'} offers across ${markets.length || sources.length} markets`, lines };
}

function constraintLines(result: unknown): { title: string; lines: string[] } {
  const r = record(result);
  const fit = num(r.feasibleCount);
  const excluded = num(r.excludedCount);
  const by = (Array.isArray(r.excludedBy) ? r.excludedBy.map(record) : [])
    .filter((e) => num(e.count) > 0)
    .sort((a, b) => num(b.count) - num(a.count))
    .map((e) => `${constraintName(String(e.constraint))} ${num(e.count)}`);
  const lines = by.length ? [`What excluded the rest (an offer can fail several): ${by.join(' · ')}.`] : [];
  return { title: `${fit} of ${fit + excluded} offers fit the job; ${excluded} excluded`, lines };
}

function rankingLines(result: unknown): { title: string; lines: string[] } {
  const ranked = rankedOf(result);
  if (ranked.length === 0) return { title: 'Nothing to rank: no offer fits', lines: [] };
  const [first, second] = ranked;
  const describe = (x: Ranked) => `${x.name} (${marketName(x.market)}${x.gpu ? `, ${x.gpu}` : ''}${x.region ? `, ${regionName(x.region)}` : ''}) at ${x.price}/GPU·h, ${usd(x.total)} for the whole job`;
  const lines = [`Pick: ${describe(first!)}.`];
  if (second) {
    const diff = second.total - first!.total;
    lines.push(`Runner-up: ${describe(second)}${Number.isFinite(diff) && diff > 0 ? `, ${usd(diff)} more` : ''}.`);
  } else {
    lines.push('No runner-up: it is the only offer that fits.');
  }
  return { title: `Ranked ${num(record(result).feasibleCount) || ranked.length} offers by total cost, reliability and start time`, lines };
}

function decisionLines(detail: unknown, names: ReadonlyMap<string, string>, title: string): { title: string; lines: string[] } {
  const d = record(detail);
  if (Array.isArray(d.exclusions) || /no candidate/i.test(title)) {
    const exclusions = (Array.isArray(d.exclusions) ? d.exclusions.map(record) : []).filter((e) => e.constraint !== undefined);
    const lines = exclusions.map((e) => `${constraintName(String(e.constraint))}: ${num(e.count)} offers`);
    return { title: 'No offer fits this job', lines };
  }
  const name = names.get(String(d.candidateId ?? '')) ?? tidyProse(title.replace(/^Chose\s+/, ''), names);
  const lines: string[] = [];
  if (d.pricePerGpuHour !== undefined) {
    lines.push(`${formatPricePerGpuHour(BigInt(String(d.pricePerGpuHour)))}${d.totalCost !== undefined ? `, ${formatUsdc(BigInt(String(d.totalCost)))} for the whole job` : ''}.`);
  }
  if (d.overridden === true) lines.push('The model proposed another offer; the protocol’s ranking decided.');
  return { title: `Chose ${name}`, lines };
}

/** The narrated steps of one routing round, in order. */
export function narrate(steps: readonly AgentStep[]): NarratedStep[] {
  // Names for candidate ids, from the ranking (the prose mentions ids like "onchain:3").
  const names = new Map<string, string>();
  for (const s of steps) if (s.kind === 'tool_result' && s.title === 'rank_candidates') for (const r of rankedOf(s.detail)) names.set(r.candidateId, r.name);

  const out: NarratedStep[] = [];
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    const key = `${step.round ?? 0}-${step.seq}`;
    if (step.kind === 'tool_call') {
      // A call is told together with its result (the next result of the same tool).
      const result = steps.slice(i + 1).find((s) => s.kind === 'tool_result' && s.title === step.title);
      if (!result) out.push({ key, kind: 'tool', title: `Calling ${step.title}…`, lines: [], raw: [step.detail] });
      continue;
    }
    if (step.kind === 'tool_result') {
      const call = steps.slice(0, i).reverse().find((s) => s.kind === 'tool_call' && s.title === step.title);
      const raw = call ? [call.detail, step.detail] : [step.detail];
      const told =
        step.title === 'lookup_catalog' ? { kind: 'lookup' as const, ...lookupLines(step.detail) }
        : step.title === 'check_constraints' ? { kind: 'constraints' as const, ...constraintLines(step.detail) }
        : step.title === 'rank_candidates' ? { kind: 'ranking' as const, ...rankingLines(step.detail) }
        : step.title === 'build_akash_sdl' ? { kind: 'sdl' as const, title: 'Built the Akash deployment manifest (SDL)', lines: [] }
        : { kind: 'tool' as const, title: `Used ${step.title}`, lines: [] };
      out.push({ key, raw, ...told });
      continue;
    }
    if (step.kind === 'decision') {
      out.push({ key, kind: 'decision', raw: [step.detail], ...decisionLines(step.detail, names, step.title) });
      continue;
    }
    const d = record(step.detail);
    const text = typeof d.text === 'string' ? d.text : typeof d.reason === 'string' ? d.reason : typeof d.message === 'string' ? d.message : typeof step.detail === 'string' ? step.detail : '';
    const prose = tidyProse(text || step.title, names);
    if (!prose) continue;
    if (step.kind === 'error') {
      out.push({ key, kind: 'error', title: tidyProse(step.title, names), lines: text ? [prose] : [], raw: [step.detail] });
    } else {
      out.push({ key, kind: 'thought', title: step.title === 'Model pick overridden' ? `Model pick overridden: ${prose}` : prose, lines: [], raw: [step.detail] });
    }
  }
  return out;
}
