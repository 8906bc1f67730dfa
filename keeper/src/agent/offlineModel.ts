/**
 * The local deterministic model: a BaseLlm that drives the same agent loop as Gemini without a network.
 * It calls the tools in order (catalog → constraints → ranking → SDL when the best is on Akash) and writes
 * short explanations from their results, ending with `PICK: <candidateId>` like Gemini is asked to.
 */
import { BaseLlm, LLMRegistry, type BaseLlmConnection, type LlmRequest, type LlmResponse } from '@google/adk';
import type { Part } from '@google/genai';
import { TOOL_NAMES } from './tools.js';

export const OFFLINE_MODEL_NAME = 'offline-necto-router-1';

type ToolResponse = Record<string, unknown>;

interface RankRow {
  rank: number;
  candidateId: string;
  market: string;
  name: string;
  gpu: string;
  region: string;
  pricePerGpuHourUsd: string;
  totalCostUsd: string;
  reliability: number;
  startLatencySec: number;
}

function asRecord(v: unknown): ToolResponse {
  return typeof v === 'object' && v !== null ? (v as ToolResponse) : {};
}

function errorOf(r: ToolResponse): string | null {
  return typeof r.error === 'string' ? r.error : null;
}

function text(t: string): Part {
  return { text: t };
}

function call(name: string, args: Record<string, unknown>, seq: number): Part {
  return { functionCall: { id: `offline-${seq}-${name}`, name, args } };
}

function describeSources(r: ToolResponse): string {
  const sources = Array.isArray(r.sources) ? (r.sources as ToolResponse[]) : [];
  const parts = sources.map((s) => {
    const age = typeof s.ageSec === 'number' && s.ageSec >= 0 ? formatAge(s.ageSec) : 'no data';
    return `${String(s.source)} ${String(s.origin)} ${age}${s.error ? ' (refresh failed)' : ''}`;
  });
  return `${String(r.candidateCount ?? 0)} candidates from ${sources.length} sources: ${parts.join(', ')}.`;
}

export function formatAge(sec: number): string {
  if (sec < 120) return `${sec}s old`;
  if (sec < 7200) return `${Math.round(sec / 60)}m old`;
  if (sec < 172800) return `${Math.round(sec / 3600)}h old`;
  return `${Math.round(sec / 86400)}d old`;
}

function describeExclusions(r: ToolResponse): string {
  const by = Array.isArray(r.excludedBy) ? (r.excludedBy as ToolResponse[]) : [];
  if (by.length === 0) return 'nothing was excluded';
  return `excluded by ${by.map((b) => `${String(b.constraint)} (${String(b.count)})`).join(', ')}`;
}

function describeChoice(top: RankRow, next: RankRow | undefined): string {
  const head = `Best: ${top.name} (${top.market}, ${top.gpu}, ${top.region}) at $${top.pricePerGpuHourUsd}/GPU-h, $${top.totalCostUsd} for the whole job, reliability ${top.reliability}, start in ~${Math.round(top.startLatencySec / 60)} min.`;
  if (!next) return `${head} It is the only feasible candidate.`;
  return `${head} Runner-up: ${next.name} (${next.market}) at $${next.totalCostUsd}.`;
}

export class OfflineRouterLlm extends BaseLlm {
  static override readonly supportedModels: Array<string | RegExp> = [/^offline-.*/];

  constructor(params: { model: string }) {
    super(params);
  }

  override async *generateContentAsync(llmRequest: LlmRequest): AsyncGenerator<LlmResponse, void> {
    const results = new Map<string, ToolResponse>();
    for (const content of llmRequest.contents) {
      for (const part of content.parts ?? []) {
        const fr = part.functionResponse;
        if (fr?.name) results.set(fr.name, asRecord(fr.response));
      }
    }
    yield this.next(results);
  }

  private next(results: Map<string, ToolResponse>): LlmResponse {
    const model = (parts: Part[], done = false): LlmResponse => ({
      content: { role: 'model', parts },
      ...(done ? { turnComplete: true } : {}),
    });

    const lookup = results.get(TOOL_NAMES.lookup);
    if (!lookup) {
      return model([text('Looking up the catalog of every market for this job.'), call(TOOL_NAMES.lookup, {}, 1)]);
    }
    if (errorOf(lookup)) return model([text(`The catalog lookup failed: ${errorOf(lookup)}. PICK: none`)], true);

    const check = results.get(TOOL_NAMES.check);
    if (!check) {
      return model([text(`${describeSources(lookup)} Checking the job's hard constraints.`), call(TOOL_NAMES.check, {}, 2)]);
    }
    if (errorOf(check)) return model([text(`The constraint check failed: ${errorOf(check)}. PICK: none`)], true);
    const feasible = Number(check.feasibleCount ?? 0);
    if (feasible === 0) {
      return model([text(`No candidate satisfies every constraint: ${describeExclusions(check)}.\nPICK: none`)], true);
    }

    const rank = results.get(TOOL_NAMES.rank);
    if (!rank) {
      return model([
        text(`${feasible} feasible, ${describeExclusions(check)}. Ranking by total cost for the whole duration, then reliability, start latency and region.`),
        call(TOOL_NAMES.rank, { limit: 5 }, 3),
      ]);
    }
    const rows = (Array.isArray(rank.top) ? rank.top : []) as RankRow[];
    const top = rows[0];
    if (errorOf(rank) || !top) return model([text(`Ranking failed: ${errorOf(rank) ?? 'no rows'}. PICK: none`)], true);

    const sdl = results.get(TOOL_NAMES.sdl);
    if (top.market === 'akash' && !sdl) {
      return model([text(`${describeChoice(top, rows[1])} It is an Akash provider: building its SDL.`), call(TOOL_NAMES.sdl, { candidateId: top.candidateId }, 4)]);
    }
    const sdlNote = sdl
      ? errorOf(sdl)
        ? ` The SDL did not validate: ${errorOf(sdl)}.`
        : ` SDL validated, manifest version ${String(sdl.sdlHash).slice(0, 18)}….`
      : '';
    return model([text(`${describeChoice(top, rows[1])}${sdlNote}\nPICK: ${top.candidateId}`)], true);
  }

  override async connect(_llmRequest: LlmRequest): Promise<BaseLlmConnection> {
    throw new Error(`${this.model} has no live (bidirectional) mode`);
  }
}

LLMRegistry.register(OfflineRouterLlm);
