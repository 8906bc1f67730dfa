// /content — content-addressed objects (result manifests, run logs, output files) under their 0G root. Uploads
// carry the claimed root (X-Content-Root) and a ContentUpload signature from a registered provider or the keeper,
// or from a job's buyer uploading that job's dispute evidence; the root is recomputed and a mismatch refused. GET serves any stored object, reasoning logs included.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { readSignedHeaders } from '../../domain/eip712.js';
import type { ApiDeps } from '../deps.js';
import { ApiError, notFound, validate } from '../errors.js';
import { hex32, rootParam } from '../../domain/api.js';
import { providerServices } from './provider-services.js';

export const CONTENT_ROOT_HEADER = 'X-Content-Root';

export function contentRoutes(deps: ApiDeps) {
  const maxSize = deps.providers?.content.maxBytes ?? 0;
  return new Hono()
    .post(
      '/',
      bodyLimit({
        maxSize,
        onError: () => {
          throw new ApiError(413, 'payload_too_large', `content is larger than ${maxSize} bytes`);
        },
      }),
      async (c) => {
        const services = providerServices(deps);
        const root = hex32.safeParse(c.req.header(CONTENT_ROOT_HEADER));
        if (!root.success) throw new ApiError(400, 'invalid_request', `${CONTENT_ROOT_HEADER} must be a 0x-hex 32-byte root`);
        const auth = readSignedHeaders((n) => c.req.header(n));
        if (!auth) throw new ApiError(401, 'signature_missing', 'a ContentUpload signature is required (X-Necto-Signature, X-Necto-Expires, X-Necto-Requester)');
        const bytes = new Uint8Array(await c.req.arrayBuffer());
        const outcome = await services.content.put(bytes, root.data, { uploader: auth.requester, expires: auth.expires, signature: auth.signature });
        switch (outcome.status) {
          case 'stored':
            return c.json(outcome, 201);
          case 'unauthorized':
            throw new ApiError(401, `signature_${outcome.reason}`, outcome.message);
          case 'forbidden':
            throw new ApiError(403, 'not_registered', outcome.message);
          case 'empty':
            throw new ApiError(400, 'empty_content', 'empty content has no 0G root');
          case 'root_mismatch':
            throw new ApiError(422, 'root_mismatch', `the bytes hash to ${outcome.actual}, not ${outcome.claimed}`);
        }
      },
    )
    .get('/:root', validate('param', rootParam), async (c) => {
      const { root } = c.req.valid('param');
      const bytes = await providerServices(deps).content.get(root);
      if (!bytes) throw notFound('unknown_content', `no stored object with root ${root}`);
      c.header('Cache-Control', 'public, max-age=31536000, immutable');
      c.header('ETag', `"${root}"`);
      return c.body(new Uint8Array(bytes), 200, { 'Content-Type': 'application/octet-stream' });
    });
}
