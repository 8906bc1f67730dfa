export { PLACEMENT, SERVICE, SdlError, buildSdl, manifestJson, manifestOf, manifestVersionOf, sdlDocument, validateSdl } from './sdl.js';
export type { BuiltSdl, ManifestGroups, SdlOptions } from './sdl.js';
export { AKASH_BLOCK_MS, AkashPricingError, depositFor, priceFor } from './pricing.js';
export type { PricingOptions, PricingRecord } from './pricing.js';
export { workloadOf, workloadSchema } from '../domain/workload.js';
export type { Workload } from '../domain/workload.js';
