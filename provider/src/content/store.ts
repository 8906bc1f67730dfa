/**
 * Where a provider puts result manifests, run logs and output files: content-addressed by their 0G Merkle root.
 * `local` is the keeper's own directory layout (the same store module, so one directory serves both), `keeper`
 * uploads to the keeper's `POST /content` with a ContentUpload signature, `0g` uploads to 0G Storage.
 */
import { nectoDomain, signedHeaders, typedDataFor } from '@necto/keeper/domain';
import { createLogStore, LogIntegrityError, zgRootOf } from '@necto/keeper/log';
import type { Address, Hex, LocalAccount } from 'viem';
import { z } from 'zod';

export interface ContentStore {
  readonly kind: 'local' | 'keeper' | '0g';
  /** Stores the bytes (non-empty) and returns their 0G root. */
  put(bytes: Uint8Array): Promise<{ root: Hex }>;
  /** The bytes stored under `root`, verified against it; null when unknown. */
  get(root: Hex): Promise<Uint8Array | null>;
}

export const contentStoreConfigSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('local'), dir: z.string().min(1) }),
  z.object({ kind: z.literal('keeper'), url: z.string().url() }),
  z.object({
    kind: z.literal('0g'),
    indexerUrl: z.string().url(),
    evmRpc: z.string().url(),
  }),
]);
export type ContentStoreConfig = z.infer<typeof contentStoreConfigSchema>;

/** What signs uploads to the keeper and pays 0G uploads: the provider's wallet on the deployment. */
export interface ContentSigner {
  account: LocalAccount;
  /** Hex private key, needed only for 0G uploads (the 0G SDK signs with ethers). */
  privateKey?: Hex;
  chainId: number;
  jobMarket: Address;
}

/** An upload the store refused or could not make. */
export class ContentUploadError extends Error {
  constructor(
    readonly root: Hex,
    readonly status: number | undefined,
    readonly code: string,
    message: string,
  ) {
    super(`content upload of ${root} failed: ${message}`);
    this.name = 'ContentUploadError';
  }
}

export { LogIntegrityError as ContentIntegrityError };

/** How long an upload signature lives (the keeper accepts at most 300 s). */
const UPLOAD_SIGNATURE_SEC = 120;

export function createContentStore(
  config: ContentStoreConfig,
  signer?: ContentSigner,
  opts: { fetch?: typeof fetch; now?: () => number } = {},
): ContentStore {
  switch (config.kind) {
    case 'local': {
      const store = createLogStore({ kind: 'local', dir: config.dir });
      return { kind: 'local', put: (bytes) => store.put(bytes), get: (root) => store.get(root) };
    }
    case '0g': {
      if (!signer?.privateKey) throw new Error('the 0G content store needs the provider wallet private key');
      const store = createLogStore({ kind: '0g', indexerUrl: config.indexerUrl, evmRpc: config.evmRpc, privateKey: signer.privateKey });
      return { kind: '0g', put: (bytes) => store.put(bytes), get: (root) => store.get(root) };
    }
    case 'keeper': {
      if (!signer) throw new Error('the keeper content store needs the provider wallet to sign uploads');
      return keeperContentStore(config.url, signer, opts.fetch ?? fetch, opts.now ?? (() => Date.now() / 1000));
    }
  }
}

const errorBodySchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) }).partial().passthrough();

function keeperContentStore(baseUrl: string, signer: ContentSigner, fetchFn: typeof fetch, now: () => number): ContentStore {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    kind: 'keeper',
    async put(bytes) {
      const root = await zgRootOf(bytes);
      const expires = BigInt(Math.floor(now()) + UPLOAD_SIGNATURE_SEC);
      const uploader = signer.account.address;
      const signature = await signer.account.signTypedData(
        typedDataFor(nectoDomain(signer.chainId, signer.jobMarket), 'ContentUpload', { root, uploader, expires }),
      );
      let res: Response;
      try {
        res = await fetchFn(`${base}/content`, {
          method: 'POST',
          headers: { 'content-type': 'application/octet-stream', 'X-Content-Root': root, ...signedHeaders(uploader, expires, signature) },
          body: new Uint8Array(bytes),
        });
      } catch (err) {
        throw new ContentUploadError(root, undefined, 'unreachable', `keeper at ${base} unreachable: ${(err as Error).message}`);
      }
      if (res.status !== 201 && res.status !== 200) {
        const text = await res.text();
        const parsed = errorBodySchema.safeParse(safeJson(text));
        const error = parsed.success ? parsed.data.error : undefined;
        throw new ContentUploadError(root, res.status, error?.code ?? 'http_error', error?.message ?? `HTTP ${res.status} ${text.slice(0, 200)}`);
      }
      await res.body?.cancel();
      return { root };
    },
    async get(rootInput) {
      const root = rootInput.toLowerCase() as Hex;
      const res = await fetchFn(`${base}/content/${root}`);
      if (res.status === 404) return null;
      if (!res.ok) throw new ContentUploadError(root, res.status, 'http_error', `GET /content/${root}: HTTP ${res.status}`);
      const bytes = new Uint8Array(await res.arrayBuffer());
      const actual = await zgRootOf(bytes);
      if (actual !== root) throw new LogIntegrityError(root, actual);
      return bytes;
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
