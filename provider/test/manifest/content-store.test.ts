// The content store client: the local store shares the keeper's layout, and uploads to a keeper carry the
// claimed root and a ContentUpload signature that the receiving side can verify (served here on 127.0.0.1 with
// the same domain checks the keeper's POST /content makes).
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkExpiry, nectoDomain, readSignedHeaders, verifySigned } from '@necto/keeper/domain';
import { createLogStore, zgRootOf } from '@necto/keeper/log';
import { privateKeyToAccount } from 'viem/accounts';
import type { Hex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContentIntegrityError, ContentUploadError, createContentStore } from '../../src/content/index.js';

const account = privateKeyToAccount('0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d');
const chainId = 31337;
const jobMarket = '0x5FbDB2315678afecb367f032d93F642f64180aa3' as const;
const enc = new TextEncoder();

let server: Server;
let url: string;
let dir: string;
const objects = new Map<string, Uint8Array>();
const uploads: Array<{ uploader: string; root: string }> = [];
let tamperGets = false;

async function body(req: IncomingMessage): Promise<Uint8Array> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return new Uint8Array(Buffer.concat(parts));
}

function reply(res: import('node:http').ServerResponse, status: number, json: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'necto-content-'));
  server = createServer(async (req, res) => {
    const header = (name: string) => {
      const v = req.headers[name.toLowerCase()];
      return Array.isArray(v) ? v[0] : v;
    };
    if (req.method === 'POST' && req.url === '/content') {
      const bytes = await body(req);
      const claimed = header('X-Content-Root') as Hex;
      const auth = readSignedHeaders(header);
      if (!auth) return reply(res, 401, { error: { code: 'signature_missing', message: 'no signature' } });
      try {
        checkExpiry(auth.expires, Date.now() / 1000);
        await verifySigned({
          domain: nectoDomain(chainId, jobMarket),
          primaryType: 'ContentUpload',
          message: { root: claimed, uploader: auth.requester, expires: auth.expires },
          signature: auth.signature,
          claimed: auth.requester,
        });
      } catch (err) {
        return reply(res, 401, { error: { code: 'signature_invalid', message: (err as Error).message } });
      }
      const actual = await zgRootOf(bytes);
      if (actual !== claimed) return reply(res, 422, { error: { code: 'root_mismatch', message: `hashes to ${actual}` } });
      objects.set(actual, bytes);
      uploads.push({ uploader: auth.requester, root: actual });
      return reply(res, 201, { status: 'stored', root: actual, bytes: bytes.length });
    }
    const get = /^\/content\/(0x[0-9a-f]{64})$/.exec(req.url ?? '');
    if (req.method === 'GET' && get) {
      const bytes = objects.get(get[1]!);
      if (!bytes) return reply(res, 404, { error: { code: 'unknown_content', message: 'none' } });
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(tamperGets ? Buffer.from('forged') : Buffer.from(bytes));
      return;
    }
    reply(res, 404, { error: { code: 'not_found', message: 'no route' } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  url = `http://127.0.0.1:${address.port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('keeper content store', () => {
  it('uploads with the claimed root and a ContentUpload signature from the provider wallet', async () => {
    const store = createContentStore({ kind: 'keeper', url }, { account, chainId, jobMarket });
    const bytes = enc.encode('{"kind":"necto.result/1"}');
    const { root } = await store.put(bytes);
    expect(root).toBe(await zgRootOf(bytes));
    expect(uploads.at(-1)).toEqual({ uploader: account.address, root });
    expect(await store.get(root)).toEqual(bytes);
    expect(await store.get(`0x${'0'.repeat(64)}`)).toBeNull();
  });

  it('reports a refused upload with its status and code', async () => {
    const store = createContentStore({ kind: 'keeper', url }, { account, chainId: 1, jobMarket }); // wrong domain
    const error = await store.put(enc.encode('x')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContentUploadError);
    expect(error).toMatchObject({ status: 401, code: 'signature_invalid' });
  });

  it('refuses downloaded bytes that do not hash to the root asked for', async () => {
    const store = createContentStore({ kind: 'keeper', url }, { account, chainId, jobMarket });
    const { root } = await store.put(enc.encode('genuine'));
    tamperGets = true;
    try {
      await expect(store.get(root)).rejects.toBeInstanceOf(ContentIntegrityError);
    } finally {
      tamperGets = false;
    }
  });

  it('names the keeper when it cannot be reached', async () => {
    const store = createContentStore({ kind: 'keeper', url: 'http://127.0.0.1:9' }, { account, chainId, jobMarket });
    await expect(store.put(enc.encode('x'))).rejects.toMatchObject({ code: 'unreachable', message: expect.stringContaining('127.0.0.1:9') });
  });
});

describe('local content store', () => {
  it('writes the keeper log store layout, so the keeper serves what the provider stored', async () => {
    const local = createContentStore({ kind: 'local', dir: join(dir, 'shared') });
    const bytes = enc.encode('output file');
    const { root } = await local.put(bytes);
    const keeperView = createLogStore({ kind: 'local', dir: join(dir, 'shared') });
    expect(await keeperView.get(root)).toEqual(bytes);
  });

  it('refuses empty content (0G has no root for it)', async () => {
    await expect(createContentStore({ kind: 'local', dir: join(dir, 'shared') }).put(new Uint8Array())).rejects.toThrow(/empty/);
  });
});
