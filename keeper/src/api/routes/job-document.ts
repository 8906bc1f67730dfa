// POST /jobs/:id/document — an untracked job's document for the wallet the job is routed to (EIP-712
// DocumentRequest signed by the job's operator). The body is the exact text whose keccak256 is the job's specHash.
import { Hono } from 'hono';
import { documentRequestBodySchema } from '../../domain/eip712.js';
import type { ApiDeps } from '../deps.js';
import { ApiError, notFound, validate } from '../errors.js';
import { jobIdParam } from '../../domain/api.js';
import { providerServices } from './provider-services.js';

export function jobDocumentRoutes(deps: ApiDeps) {
  return new Hono().post('/:id/document', validate('param', jobIdParam), validate('json', documentRequestBodySchema), async (c) => {
    const { id } = c.req.valid('param');
    const outcome = await providerServices(deps).documents.fetch(id, c.req.valid('json'));
    switch (outcome.status) {
      case 'ok':
        c.header('Cache-Control', 'no-store');
        c.header('X-Spec-Hash', outcome.specHash);
        return c.body(outcome.text, 200, { 'Content-Type': 'application/json; charset=utf-8' });
      case 'unauthorized':
        throw new ApiError(401, `signature_${outcome.reason}`, outcome.message);
      case 'forbidden':
        throw new ApiError(403, 'not_operator', outcome.message);
      case 'unknown_job':
        throw notFound('unknown_job', `job ${id} does not exist on-chain`);
      case 'tracked':
        throw new ApiError(409, 'tracked_job', `job ${id} is tracked: its document is published on-chain`);
      case 'no_document':
        throw notFound('unknown_document', `the buyer has not handed the document of job ${id} to the keeper yet`);
    }
  });
}
