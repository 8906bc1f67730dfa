/**
 * Runs the routing agent (an ADK LlmAgent with the catalog, constraint, ranking and SDL tools) for one
 * decision, turning every ADK event into an AgentStep as it happens. The model is Gemini when configured,
 * else the local deterministic model; either way its pick is only a proposal (the router validates it).
 */
import { InMemoryRunner, LlmAgent, LogLevel, StreamingMode, setLogLevel, type Event } from '@google/adk';
import type { AgentStep, ModelInfo } from '../domain/types.js';
import { NectoGemini, type GeminiConfig } from './geminiModel.js';
import { OFFLINE_MODEL_NAME } from './offlineModel.js';
import { createTools, type DecisionContext } from './tools.js';
import { formatUsdc } from '../engine/index.js';

// ADK logs every model request at INFO; the keeper has its own logger and streams steps instead.
setLogLevel(LogLevel.WARN);

export type ModelConfig = 'local' | { gemini: GeminiConfig };

export type StepSink = (kind: AgentStep['kind'], title: string, detail: unknown) => void;

export interface AgentRun {
  model: ModelInfo;
  /** Candidate id after `PICK:` in the model's final answer (null: none given or `none`). */
  proposedId: string | null;
  /** The model's final text. */
  explanation: string;
  /** Set when the model or the loop failed (the router falls back to the engine). */
  error: string | null;
}

const INSTRUCTION = `You are Necto's compute router. A buyer posted a GPU job; choose where it runs.
Work only through your tools, in this order: ${'lookup_catalog'}, then check_constraints, then rank_candidates,
then build_akash_sdl if the best candidate is on Akash. The ranking is the protocol's deterministic scorer:
the keeper only accepts its top-ranked feasible candidate, so pick rank 1 unless a tool shows it is infeasible.
Use the job description (if any) to explain trade-offs to the buyer in two or three short sentences: price
over the whole duration, reliability, start latency, region, and how the runner-up compares.
End your answer with one line exactly: PICK: <candidateId>   (or PICK: none when nothing is feasible).`;

export function modelInfoOf(model: ModelConfig): ModelInfo {
  return model === 'local' ? { kind: 'local', name: OFFLINE_MODEL_NAME } : { kind: 'gemini', name: model.gemini.model };
}

/** The user turn: the job, with money in USD and no buyer secrets (there are none in a request). */
function jobMessage(ctx: DecisionContext): string {
  const r = ctx.request;
  const job = {
    job: r.jobId === null ? 'quote' : r.jobId.toString(),
    gpuModels: r.gpuModels.length > 0 ? r.gpuModels : 'any',
    gpuCount: r.gpuCount,
    minVramGb: r.minVramGb,
    minVcpu: r.minVcpu,
    minRamGb: r.minRamGb,
    regions: r.regions.length > 0 ? r.regions : 'any',
    maxPricePerGpuHourUsd: formatUsdc(r.maxPricePerGpuHour),
    durationHours: Math.round((r.durationSec / 3600) * 100) / 100,
    budgetUsd: r.budget === null ? null : formatUsdc(r.budget),
    teamCapLeftUsd: r.teamRemainingCap === null ? null : formatUsdc(r.teamRemainingCap),
    externalMarketsAllowed: r.allowExternal,
    auditedOnly: r.trust.auditedOnly,
  };
  const description = r.description ? `\nBuyer's description: """${r.description.slice(0, 2000)}"""` : '';
  return `Route this job:\n${JSON.stringify(job)}${description}`;
}

export function parsePick(text: string): string | null {
  const matches = [...text.matchAll(/PICK:\s*`?([^\s`]+)`?/g)];
  const last = matches[matches.length - 1]?.[1];
  if (!last || last.toLowerCase() === 'none') return null;
  return last;
}

function firstSentence(t: string, max = 90): string {
  const line = t.trim().split('\n')[0] ?? '';
  const sentence = /^(.+?[.!?])(\s|$)/.exec(line)?.[1] ?? line;
  return sentence.length > max ? `${sentence.slice(0, max - 1)}…` : sentence;
}

function emitEvent(event: Event, agentName: string, emit: StepSink, texts: string[], errors: string[], redact: (s: string) => string): void {
  if (event.partial) return; // streamed chunks are re-sent aggregated; one step per message
  if (event.errorMessage) {
    const message = redact(event.errorMessage).slice(0, 300);
    errors.push(message);
    emit('error', 'Model error', { code: event.errorCode ?? null, message });
  }
  for (const part of event.content?.parts ?? []) {
    if (part.text !== undefined && part.text.trim() !== '' && !part.thought && event.author === agentName) {
      texts.push(part.text);
      emit('thought', firstSentence(part.text), { text: part.text });
    }
    if (part.functionCall) {
      emit('tool_call', part.functionCall.name ?? 'tool', { args: part.functionCall.args ?? {} });
    }
    if (part.functionResponse) {
      emit('tool_result', part.functionResponse.name ?? 'tool', part.functionResponse.response ?? {});
    }
  }
}

export async function runRoutingAgent(
  ctx: DecisionContext,
  modelConfig: ModelConfig,
  emit: StepSink,
  opts: { timeoutMs?: number; maxLlmCalls?: number } = {},
): Promise<AgentRun> {
  const model = modelInfoOf(modelConfig);
  const agent = new LlmAgent({
    name: 'necto_router',
    description: 'Chooses a compute provider for a GPU job.',
    model: modelConfig === 'local' ? OFFLINE_MODEL_NAME : new NectoGemini(modelConfig.gemini),
    instruction: INSTRUCTION,
    tools: createTools(ctx),
    generateContentConfig: { temperature: 0 },
  });
  const runner = new InMemoryRunner({ agent, appName: 'necto-keeper' });
  const texts: string[] = [];
  const errors: string[] = [];
  const secret = modelConfig === 'local' ? '' : modelConfig.gemini.apiKey;
  const redact = (m: string) => (secret ? m.replaceAll(secret, '[redacted]') : m);
  try {
    const session = await runner.sessionService.createSession({ appName: 'necto-keeper', userId: 'keeper' });
    const stream = modelConfig !== 'local' && modelConfig.gemini.stream === true;
    for await (const event of runner.runAsync({
      userId: 'keeper',
      sessionId: session.id,
      newMessage: { role: 'user', parts: [{ text: jobMessage(ctx) }] },
      runConfig: { streamingMode: stream ? StreamingMode.SSE : StreamingMode.NONE, maxLlmCalls: opts.maxLlmCalls ?? 12 },
      abortSignal: AbortSignal.timeout(opts.timeoutMs ?? 60_000),
    })) {
      emitEvent(event, agent.name, emit, texts, errors, redact);
    }
  } catch (err) {
    const message = redact(err instanceof Error ? err.message : String(err));
    emit('error', 'Agent failed', { message: message.slice(0, 300) });
    return { model, proposedId: null, explanation: texts.join('\n'), error: message.slice(0, 300) };
  }
  const final = texts[texts.length - 1] ?? '';
  const proposedId = parsePick(final);
  // A model error that left no pick is a failed run; one the model recovered from is just a step.
  return { model, proposedId, explanation: final, error: proposedId === null && errors.length > 0 ? errors[0]! : null };
}
