// Content-addressed objects (result manifests, run logs, output files, reasoning logs) by their 0G root: served by
// the keeper's content store (`GET /content/:root`) or, when configured, a 0G Storage gateway. Whoever serves the
// bytes is not trusted: callers recompute the root from what they receive.
import { signedHeaders } from '@necto/keeper/domain';
import type { Address, Hex } from 'viem';
import { z } from 'zod';
import { KeeperError } from './client';

export const ROOT_PATTERN = /^0x[0-9a-fA-F]{64}$/;

export interface ContentSource {
  keeperUrl: string;
  contentGatewayUrl?: string | undefined;
}

/** Where the object with `root` can be downloaded (gateway when configured, else the keeper). */
export function contentUrl(source: ContentSource, root: string): string {
  if (!ROOT_PATTERN.test(root)) throw new KeeperError(`“${root}” is not a 32-byte content root`, 0, 'invalid_root');
  const lower = root.toLowerCase();
  if (source.contentGatewayUrl) return source.contentGatewayUrl.replaceAll('{root}', lower);
  return `${source.keeperUrl.replace(/\/$/, '')}/content/${lower}`;
}

/** The exact bytes stored under `root` (at most `maxBytes`). */
export async function fetchContent(
  source: ContentSource,
  root: string,
  opts: { signal?: AbortSignal; maxBytes?: number; fetchImpl?: typeof fetch } = {},
): Promise<Uint8Array> {
  const url = contentUrl(source, root);
  const fetchImpl = opts.fetchImpl ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  let response: Response;
  try {
    response = await fetchImpl(url, { signal: opts.signal });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new KeeperError(`The content store at ${new URL(url).origin} is unreachable`, 0, 'network');
  }
  if (response.status === 404) throw new KeeperError(`No object is stored under ${root}`, 404, 'unknown_content');
  if (!response.ok) throw new KeeperError(`The content store answered ${response.status} ${response.statusText}`, response.status, 'http_error');
  const bytes = new Uint8Array(await response.arrayBuffer());
  const max = opts.maxBytes ?? 8 * 1024 * 1024;
  if (bytes.length > max) throw new KeeperError(`The object is larger than ${max} bytes`, response.status, 'too_large');
  return bytes;
}

/** Who signed an upload: an EIP-712 ContentUpload over the root, by `uploader`, valid until `expires`. */
export interface UploadAuth {
  uploader: Address;
  expires: bigint;
  signature: Hex;
}

/**
 * Stores `bytes` in the keeper's content store under `root` (`POST /content`; the keeper recomputes the root and
 * refuses a mismatch, and takes uploads only from those it trusts for this content). Resolves with the stored root.
 */
export async function uploadContent(
  source: Pick<ContentSource, 'keeperUrl'>,
  bytes: Uint8Array,
  root: Hex,
  auth: UploadAuth,
  opts: { fetchImpl?: typeof fetch } = {},
): Promise<Hex> {
  if (!ROOT_PATTERN.test(root)) throw new KeeperError(`“${root}” is not a 32-byte content root`, 0, 'invalid_root');
  const url = `${source.keeperUrl.replace(/\/$/, '')}/content`;
  const fetchImpl = opts.fetchImpl ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  let response: Response;
  try {
    response = await fetchImpl(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream', 'X-Content-Root': root, ...signedHeaders(auth.uploader, auth.expires, auth.signature) },
      body: new Uint8Array(bytes),
    });
  } catch {
    throw new KeeperError(`The content store at ${new URL(url).origin} is unreachable`, 0, 'network');
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = errorBodySchema.safeParse(body);
    throw new KeeperError(error.success ? error.data.error.message : `The content store answered ${response.status} ${response.statusText}`, response.status, error.success ? error.data.error.code : 'http_error');
  }
  const stored = storedSchema.safeParse(body);
  if (!stored.success || stored.data.root.toLowerCase() !== root.toLowerCase()) throw new KeeperError('The content store answered with another root', response.status, 'root_mismatch');
  return stored.data.root as Hex;
}

const storedSchema = z.object({ status: z.literal('stored'), root: z.string().regex(ROOT_PATTERN) });
const errorBodySchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
