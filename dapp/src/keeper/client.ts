// A small client for the keeper API. Request and response shapes are the keeper's own wire contract
// (`@necto/keeper/domain`: types and zod schemas, browser-safe), so the two cannot drift; every response is
// validated with those schemas. Chosen over `hc<AppType>` so the dApp does not type-check the keeper's server
// code and its dependencies.
import {
  akashBidsViewSchema,
  akashDeploymentViewSchema,
  akashLeaseLogsViewSchema,
  akashLeaseStatusViewSchema,
  akashSelfSignViewSchema,
  apiErrorBodySchema,
  decisionViewSchema,
  quoteSchema,
  type AkashBidsView,
  type AkashDeploymentView,
  type AkashSelfSignView,
  type DecisionView,
  type Quote,
  type quoteBodySchema,
} from '@necto/keeper/domain';
import type { z } from 'zod';

export class KeeperError extends Error {
  override name = 'KeeperError';
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
  ) {
    super(message);
  }
}

/** The draft job the quote endpoint takes (amounts as decimal strings of USDC base units). */
export type QuoteDraft = z.input<typeof quoteBodySchema>;

export interface KeeperClient {
  baseUrl: string;
  quote(draft: QuoteDraft, signal?: AbortSignal): Promise<Quote>;
  decision(jobId: string, signal?: AbortSignal): Promise<DecisionView | null>;
  /** The exact stored bytes of a reasoning log (hashing needs the bytes, not a re-serialised object). */
  log(root: string, signal?: AbortSignal): Promise<Uint8Array>;
  sdl(jobId: string): Promise<{ yaml: string; filename: string; hash: string | null }>;
  /** The keeper deployer's view of the job's Akash deployment; null when it deployed none. */
  akashDeployment(jobId: string, signal?: AbortSignal): Promise<AkashDeploymentView | null>;
  /** The job's Akash round the buyer signs with Keplr (null: none, the managed wallet deploys). */
  akashSelfSign(jobId: string, signal?: AbortSignal): Promise<AkashSelfSignView | null>;
  reportAkashDeployment(jobId: string, dseq: bigint): Promise<AkashSelfSignView>;
  /** Provider calls relayed by the keeper for the job's own deployment (providers serve self-signed TLS). */
  akashBids(jobId: string, signal?: AbortSignal): Promise<AkashBidsView['bids']>;
  sendAkashManifest(jobId: string, token: string): Promise<AkashSelfSignView>;
  akashLeaseStatus(jobId: string, token: string, signal?: AbortSignal): Promise<z.output<typeof akashLeaseStatusViewSchema> | null>;
  akashLeaseLogs(jobId: string, token: string, signal?: AbortSignal): Promise<z.output<typeof akashLeaseLogsViewSchema> | null>;
  submitSpec(jobId: string, document: Record<string, unknown>): Promise<void>;
  stepsUrl(jobId: string): string;
}

async function errorOf(response: Response): Promise<KeeperError> {
  let message = `The keeper answered ${response.status} ${response.statusText}`;
  let code = 'http_error';
  try {
    const body = apiErrorBodySchema.safeParse(await response.json());
    if (body.success) {
      code = body.data.error.code;
      message = body.data.error.message + (body.data.error.issues?.length ? ` (${body.data.error.issues.map((i) => `${i.path}: ${i.message}`).join('; ')})` : '');
    }
  } catch {
    // not JSON: keep the status line
  }
  return new KeeperError(message, response.status, code);
}

export function createKeeperClient(baseUrl: string, fetchImpl: typeof fetch = (...args) => fetch(...args)): KeeperClient {
  const base = baseUrl.replace(/\/$/, '');

  async function request(path: string, init?: RequestInit): Promise<Response> {
    let response: Response;
    try {
      response = await fetchImpl(`${base}${path}`, init);
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      throw new KeeperError(`The keeper at ${base} is unreachable`, 0, 'network');
    }
    if (!response.ok) throw await errorOf(response);
    return response;
  }

  async function json<S extends z.ZodType>(schema: S, path: string, init?: RequestInit): Promise<z.infer<S>> {
    const response = await request(path, init);
    const parsed = schema.safeParse(await response.json());
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new KeeperError(`Unexpected keeper response: ${issue?.path.join('.')} ${issue?.message}`, response.status, 'invalid_response');
    }
    return parsed.data;
  }

  return {
    baseUrl: base,
    quote: (draft, signal) =>
      json(quoteSchema, '/quote', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(draft), signal }),
    async decision(jobId, signal) {
      try {
        return await json(decisionViewSchema, `/jobs/${jobId}/decision`, { signal });
      } catch (error) {
        if (error instanceof KeeperError && error.status === 404) return null;
        throw error;
      }
    },
    async log(root, signal) {
      const response = await request(`/logs/${root}`, { signal });
      return new Uint8Array(await response.arrayBuffer());
    },
    async sdl(jobId) {
      const response = await request(`/jobs/${jobId}/sdl`);
      const disposition = response.headers.get('Content-Disposition') ?? '';
      const filename = /filename="([^"]+)"/.exec(disposition)?.[1] ?? `necto-job-${jobId}.yaml`;
      return { yaml: await response.text(), filename, hash: response.headers.get('X-Sdl-Hash') };
    },
    async akashDeployment(jobId, signal) {
      try {
        return await json(akashDeploymentViewSchema, `/jobs/${jobId}/akash`, { signal });
      } catch (error) {
        if (error instanceof KeeperError && error.status === 404) return null;
        throw error;
      }
    },
    async akashSelfSign(jobId, signal) {
      try {
        return await json(akashSelfSignViewSchema, `/jobs/${jobId}/akash/self-sign`, { signal });
      } catch (error) {
        if (error instanceof KeeperError && (error.status === 404 || error.status === 503)) return null;
        throw error;
      }
    },
    reportAkashDeployment: (jobId, dseq) =>
      json(akashSelfSignViewSchema, `/jobs/${jobId}/akash/self-sign/deployment`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ dseq: dseq.toString() }) }),
    akashBids: async (jobId, signal) => (await json(akashBidsViewSchema, `/jobs/${jobId}/akash/self-sign/bids`, { signal })).bids,
    sendAkashManifest: (jobId, token) => json(akashSelfSignViewSchema, `/jobs/${jobId}/akash/self-sign/manifest`, { method: 'POST', headers: { 'X-Akash-Token': token } }),
    async akashLeaseStatus(jobId, token, signal) {
      try {
        return await json(akashLeaseStatusViewSchema, `/jobs/${jobId}/akash/self-sign/lease/status`, { headers: { 'X-Akash-Token': token }, signal });
      } catch (error) {
        if (error instanceof KeeperError && error.status === 404) return null;
        throw error;
      }
    },
    async akashLeaseLogs(jobId, token, signal) {
      try {
        return await json(akashLeaseLogsViewSchema, `/jobs/${jobId}/akash/self-sign/lease/logs`, { headers: { 'X-Akash-Token': token }, signal });
      } catch (error) {
        if (error instanceof KeeperError && error.status === 404) return null;
        throw error;
      }
    },
    async submitSpec(jobId, document) {
      await request(`/jobs/${jobId}/spec`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ document }) });
    },
    stepsUrl: (jobId) => `${base}/jobs/${jobId}/steps`,
  };
}
