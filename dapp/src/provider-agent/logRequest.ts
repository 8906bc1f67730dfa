// The EIP-712 LogRequest a buyer or provider signs to read a job's live logs from the provider agent, and the
// streaming request itself (`GET <endpoint>/jobs/:id/logs?follow=1` with the X-Necto-* headers).
import {
  MAX_SIGNATURE_LIFETIME_SEC,
  nectoDomain,
  signedHeaders,
  typedDataFor,
} from '@necto/keeper/domain';
import { getAddress, type Address, type Hex } from 'viem';
import { LogStreamParser, streamFormatOf, type LogEvent } from './logStream';

/** How long a log signature lives: under the agent's limit, with room for clock skew. */
export const LOG_SIGNATURE_LIFETIME_SEC = Math.min(240, MAX_SIGNATURE_LIFETIME_SEC - 30);

export interface LogRequestInput {
  chainId: number;
  jobMarket: Address;
  jobId: string;
  requester: Address;
  nowSec: number;
}

/** Typed data for the wallet's `signTypedData` (domain = this deployment's JobMarket). */
export function buildLogRequest(input: LogRequestInput) {
  const expires = BigInt(Math.floor(input.nowSec) + LOG_SIGNATURE_LIFETIME_SEC);
  return typedDataFor(nectoDomain(input.chainId, input.jobMarket), 'LogRequest', {
    jobId: BigInt(input.jobId),
    requester: getAddress(input.requester),
    expires,
  });
}

export type LogAccess = { allowed: true; role: 'buyer' | 'provider' } | { allowed: false; reason: string };

/** Only the job's buyer and its provider (or the operator that runs it) may read its logs. */
export function logAccess(job: { buyer: { id: string }; provider?: { id: string } | null; operator?: string | null }, account: string | undefined): LogAccess {
  if (!account) return { allowed: false, reason: 'Connect the buyer’s or the provider’s wallet to read the live logs.' };
  const me = account.toLowerCase();
  if (job.buyer.id.toLowerCase() === me) return { allowed: true, role: 'buyer' };
  if (job.provider?.id.toLowerCase() === me || job.operator?.toLowerCase() === me) return { allowed: true, role: 'provider' };
  return { allowed: false, reason: 'Live logs are private to the job’s buyer and its provider; the connected wallet is neither.' };
}

export class AgentLogError extends Error {
  override name = 'AgentLogError';
  constructor(
    message: string,
    readonly status: number,
    readonly code: 'network' | 'unauthorized' | 'forbidden' | 'not_found' | 'not_started' | 'http_error' | 'no_body',
  ) {
    super(message);
  }
}

export function logsUrl(endpoint: string, jobId: string): string {
  return `${endpoint.replace(/\/$/, '')}/jobs/${jobId}/logs?follow=1`;
}

/** Opens the stream and yields its events until the agent closes it or `signal` aborts. */
export async function* streamLogs(opts: {
  endpoint: string;
  jobId: string;
  requester: Address;
  expires: bigint;
  signature: Hex;
  signal?: AbortSignal;
  fetchImpl?: typeof fetch;
}): AsyncGenerator<LogEvent> {
  const fetchImpl = opts.fetchImpl ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  let response: Response;
  try {
    response = await fetchImpl(logsUrl(opts.endpoint, opts.jobId), {
      headers: { Accept: 'text/event-stream, text/plain', ...signedHeaders(opts.requester, opts.expires, opts.signature) },
      signal: opts.signal,
      cache: 'no-store',
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') return;
    throw new AgentLogError(`The provider’s agent at ${opts.endpoint} is unreachable`, 0, 'network');
  }
  if (!response.ok) {
    const status = response.status;
    if (status === 401) throw new AgentLogError('The agent refused the signature (expired or malformed).', status, 'unauthorized');
    if (status === 403) throw new AgentLogError('The agent refused: only the job’s buyer and provider may read its logs.', status, 'forbidden');
    if (status === 404) throw new AgentLogError('The agent has no container for this job.', status, 'not_found');
    if (status === 409 || status === 425) throw new AgentLogError('The container has not started yet.', status, 'not_started');
    throw new AgentLogError(`The agent answered ${status} ${response.statusText}`, status, 'http_error');
  }
  if (!response.body) throw new AgentLogError('The agent sent no log stream', response.status, 'no_body');
  const parser = new LogStreamParser(streamFormatOf(response.headers.get('content-type')));
  const reader = response.body.getReader();
  try {
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (error) {
        if ((error as Error).name === 'AbortError' || opts.signal?.aborted) return;
        throw new AgentLogError('The log stream broke off', 0, 'network');
      }
      if (chunk.done) break;
      for (const event of parser.feed(chunk.value)) yield event;
    }
    for (const event of parser.finish()) yield event;
  } finally {
    reader.releaseLock();
  }
}
