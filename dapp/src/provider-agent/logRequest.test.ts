import { nectoTypes, verifySigned, checkExpiry, SIGNATURE_HEADERS, MAX_SIGNATURE_LIFETIME_SEC } from '@necto/keeper/domain';
import { privateKeyToAccount } from 'viem/accounts';
import { describe, expect, it } from 'vitest';
import { buildLogRequest, logAccess, streamLogs } from './logRequest';

const buyer = privateKeyToAccount('0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d');
const stranger = privateKeyToAccount('0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a');
const jobMarket = '0x5FbDB2315678afecb367f032d93F642f64180aa3';

describe('LogRequest', () => {
  const now = 1_800_000_000;
  const typed = buildLogRequest({ chainId: 31337, jobMarket, jobId: '42', requester: buyer.address, nowSec: now });

  it('uses the shared Necto domain and LogRequest type', () => {
    expect(typed.primaryType).toBe('LogRequest');
    expect(typed.types).toBe(nectoTypes);
    expect(typed.domain).toEqual({ name: 'Necto', version: '1', chainId: 31337, verifyingContract: jobMarket });
    expect(typed.message.jobId).toBe(42n);
    expect(typed.message.requester).toBe(buyer.address);
  });

  it('expires within the lifetime the verifier accepts', () => {
    expect(typed.message.expires > BigInt(now)).toBe(true);
    expect(typed.message.expires <= BigInt(now + MAX_SIGNATURE_LIFETIME_SEC)).toBe(true);
    expect(() => checkExpiry(typed.message.expires, now)).not.toThrow();
  });

  it('is accepted by the shared verifier when the requester signs it, refused otherwise', async () => {
    const signature = await buyer.signTypedData(typed);
    await expect(verifySigned({ ...typed, signature, claimed: buyer.address })).resolves.toBe(buyer.address);
    const forged = await stranger.signTypedData(typed);
    await expect(verifySigned({ ...typed, signature: forged, claimed: buyer.address })).rejects.toMatchObject({ reason: 'wrong_signer' });
    const other = buildLogRequest({ chainId: 1, jobMarket, jobId: '42', requester: buyer.address, nowSec: now });
    await expect(verifySigned({ ...other, signature, claimed: buyer.address })).rejects.toMatchObject({ reason: 'wrong_signer' });
  });
});

describe('who may read the logs', () => {
  const job = { buyer: { id: buyer.address.toLowerCase() }, provider: { id: '0x00000000000000000000000000000000000000aa' }, operator: null };
  it('lets the buyer and the provider, and says why not to others', () => {
    expect(logAccess(job, buyer.address)).toEqual({ allowed: true, role: 'buyer' });
    expect(logAccess(job, '0x00000000000000000000000000000000000000AA')).toEqual({ allowed: true, role: 'provider' });
    const refused = logAccess(job, stranger.address);
    expect(refused.allowed).toBe(false);
    expect(refused.allowed ? '' : refused.reason).toMatch(/buyer and its provider/);
    expect(logAccess(job, undefined).allowed).toBe(false);
  });
});

describe('streamLogs', () => {
  it('sends the signature headers and yields the parsed stream', async () => {
    let seen: Headers | null = null;
    let url = '';
    const fetchImpl = (async (input: RequestInfo | URL, init?: RequestInit) => {
      url = String(input);
      seen = new Headers(init?.headers);
      return new Response('data: hello\n\nevent: end\ndata: {"exitCode":0}\n\n', { headers: { 'Content-Type': 'text/event-stream' } });
    }) as typeof fetch;
    const events = [];
    for await (const e of streamLogs({ endpoint: 'http://agent.test/', jobId: '7', requester: buyer.address, expires: 99n, signature: `0x${'1'.repeat(130)}`, fetchImpl })) events.push(e);
    expect(url).toBe('http://agent.test/jobs/7/logs?follow=1');
    expect(seen!.get(SIGNATURE_HEADERS.requester)).toBe(buyer.address);
    expect(seen!.get(SIGNATURE_HEADERS.expires)).toBe('99');
    expect(seen!.get(SIGNATURE_HEADERS.signature)).toBe(`0x${'1'.repeat(130)}`);
    expect(events).toEqual([{ type: 'text', text: 'hello\n' }, { type: 'end', exitCode: 0, reason: null }]);
  });

  it('turns a refusal into a typed error', async () => {
    const fetchImpl = (async () => new Response('{}', { status: 403 })) as unknown as typeof fetch;
    const run = async () => {
      for await (const _ of streamLogs({ endpoint: 'http://agent.test', jobId: '7', requester: buyer.address, expires: 1n, signature: `0x${'1'.repeat(130)}`, fetchImpl })) void _;
    };
    await expect(run()).rejects.toMatchObject({ code: 'forbidden', status: 403 });
  });
});
