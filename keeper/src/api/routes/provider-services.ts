// The provider-facing services, or a 503 where this keeper was built without them (API tests with fakes).
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import type { ProviderServices } from '../../services/providers.js';

export function providerServices(deps: ApiDeps): ProviderServices {
  if (!deps.providers) throw new ApiError(503, 'unavailable', 'provider services are not configured on this keeper');
  return deps.providers;
}
