// /providers — signed heartbeats from provider agents and the liveness view the catalog and the dApp read.
import { Hono } from 'hono';
import { z } from 'zod';
import { checksumAddressSchema, signedHeartbeatSchema } from '../../domain/eip712.js';
import type { ApiDeps } from '../deps.js';
import { ApiError, validate } from '../errors.js';
import { providerServices } from './provider-services.js';

export function providersRoutes(deps: ApiDeps) {
  return new Hono()
    .post('/heartbeat', validate('json', signedHeartbeatSchema), async (c) => {
      const outcome = await providerServices(deps).liveness.heartbeat(c.req.valid('json'));
      switch (outcome.status) {
        case 'accepted':
          return c.json(outcome, 202);
        case 'unauthorized':
          throw new ApiError(401, `signature_${outcome.reason}`, outcome.message);
        case 'forbidden':
          throw new ApiError(403, 'not_registered', outcome.message);
      }
    })
    .get('/:address/liveness', validate('param', z.object({ address: checksumAddressSchema })), (c) => {
      const { address } = c.req.valid('param');
      c.header('Cache-Control', 'no-store');
      return c.json(providerServices(deps).liveness.get(address), 200);
    });
}
