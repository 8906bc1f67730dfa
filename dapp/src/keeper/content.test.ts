import { describe, expect, it, vi } from 'vitest';
import { KeeperError } from './client';
import { uploadContent } from './content';

const root = `0x${'cd'.repeat(32)}` as const;
const auth = { uploader: '0x70997970C51812dc3A010C7d01b50e20d17dc79C', expires: 1_700_000_240n, signature: `0x${'11'.repeat(65)}` } as const;
const source = { keeperUrl: 'http://keeper.test/' };

describe('uploadContent', () => {
  it('posts the bytes with their root and the signature headers, and returns the stored root', async () => {
    const fetchImpl = vi.fn(async (_url: RequestInfo | URL, _init?: RequestInit) => Response.json({ status: 'stored', root, bytes: 3 }, { status: 201 }));
    await expect(uploadContent(source, new Uint8Array([1, 2, 3]), root, auth, { fetchImpl })).resolves.toBe(root);
    const [url, init] = fetchImpl.mock.calls[0]!;
    expect(url).toBe('http://keeper.test/content');
    expect(init?.method).toBe('POST');
    expect(init?.headers).toMatchObject({ 'X-Content-Root': root, 'X-Necto-Requester': auth.uploader, 'X-Necto-Expires': '1700000240', 'X-Necto-Signature': auth.signature });
    expect(init?.body).toEqual(new Uint8Array([1, 2, 3]));
  });

  it('surfaces the keeper’s refusal with its code', async () => {
    const fetchImpl = vi.fn(async () => Response.json({ error: { code: 'not_registered', message: 'not the buyer of this job' } }, { status: 403 }));
    const error = await uploadContent(source, new Uint8Array([1]), root, auth, { fetchImpl }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeeperError);
    expect(error).toMatchObject({ message: 'not the buyer of this job', status: 403 });
  });

  it('refuses an answer naming another root, and an unreachable keeper', async () => {
    const other = vi.fn(async () => Response.json({ status: 'stored', root: `0x${'ef'.repeat(32)}`, bytes: 1 }, { status: 201 }));
    await expect(uploadContent(source, new Uint8Array([1]), root, auth, { fetchImpl: other })).rejects.toThrow('another root');
    const down = vi.fn(async () => {
      throw new TypeError('fetch failed');
    });
    await expect(uploadContent(source, new Uint8Array([1]), root, auth, { fetchImpl: down })).rejects.toThrow('unreachable');
  });
});
