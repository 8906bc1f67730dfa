/**
 * Client of an Akash provider's gateway (akash-network/provider `gateway/rest`): send the manifest, read the
 * lease status and the service logs, each with a short-lived JWT. Responses are parsed with zod.
 */
import { z } from 'zod';

export class GatewayError extends Error {
  override name = 'GatewayError';
  constructor(message: string, readonly status?: number) {
    super(message);
  }
}

const serviceStatus = z.object({ name: z.string(), available: z.number().int().optional(), total: z.number().int().optional(), ready_replicas: z.number().int().default(0), available_replicas: z.number().int().default(0), uris: z.array(z.string()).nullable().optional() }).loose();
const leaseStatusSchema = z.object({ services: z.record(z.string(), serviceStatus).nullable().transform((s) => s ?? {}), forwarded_ports: z.unknown().optional() }).loose();
export type LeaseStatus = z.output<typeof leaseStatusSchema>;

export type ManifestOutcome = { ok: true } | { ok: false; reason: 'no-lease' | 'hash-mismatch' | 'unauthorized' | 'rejected'; status: number; message: string };

export function createGatewayClient(opts: { fetch?: typeof fetch; timeoutMs?: number } = {}) {
  const f = opts.fetch ?? fetch;
  const timeout = opts.timeoutMs ?? 15_000;
  const call = async (url: string, init: RequestInit) => {
    try {
      return await f(url, { ...init, signal: AbortSignal.timeout(timeout) });
    } catch (err) {
      throw new GatewayError(`${init.method ?? 'GET'} ${url}: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  const trim = (u: string) => u.replace(/\/+$/, '');
  return {
    async sendManifest(hostUri: string, dseq: bigint, manifestJson: string, token: string): Promise<ManifestOutcome> {
      const res = await call(`${trim(hostUri)}/deployment/${dseq}/manifest`, { method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: manifestJson });
      if (res.ok) return { ok: true };
      const message = (await res.text().catch(() => '')).slice(0, 200);
      const reason = res.status === 404 ? 'no-lease' : res.status === 422 ? 'hash-mismatch' : res.status === 401 || res.status === 403 ? 'unauthorized' : 'rejected';
      return { ok: false, reason, status: res.status, message };
    },
    async leaseStatus(hostUri: string, lease: { dseq: bigint; gseq: number; oseq: number }, token: string): Promise<LeaseStatus | null> {
      const res = await call(`${trim(hostUri)}/lease/${lease.dseq}/${lease.gseq}/${lease.oseq}/status`, { headers: { authorization: `Bearer ${token}` } });
      if (res.status === 404) return null;
      if (!res.ok) throw new GatewayError(`lease status: HTTP ${res.status}`, res.status);
      const parsed = leaseStatusSchema.safeParse(await res.json().catch(() => null));
      if (!parsed.success) throw new GatewayError('lease status: unexpected response shape');
      return parsed.data;
    },
    /** The service logs so far, as text lines (at most `maxBytes`). */
    async logs(hostUri: string, lease: { dseq: bigint; gseq: number; oseq: number }, token: string, maxBytes: number): Promise<{ text: string; truncated: boolean } | null> {
      const res = await call(`${trim(hostUri)}/lease/${lease.dseq}/${lease.gseq}/${lease.oseq}/logs?follow=false`, { headers: { authorization: `Bearer ${token}` } });
      if (res.status === 404) return null;
      if (!res.ok) throw new GatewayError(`lease logs: HTTP ${res.status}`, res.status);
      const body = await res.text();
      const lines: string[] = [];
      for (const line of body.split('\n')) {
        if (!line.trim()) continue;
        const m = z.object({ message: z.string() }).loose().safeParse(JSON.parse(line));
        if (m.success) lines.push(m.data.message);
      }
      let text = lines.map((l) => `${l}\n`).join('');
      const truncated = Buffer.byteLength(text) > maxBytes;
      if (truncated) text = Buffer.from(text).subarray(Buffer.byteLength(text) - maxBytes).toString();
      return { text, truncated };
    },
  };
}

export type GatewayClient = ReturnType<typeof createGatewayClient>;
