/** The keeper's brain, as the body uses it. */
export * from '../domain/types.js';
export { createRouter, KEEPER_VERSION } from './router.js';
export type { DecideOptions, Router, RouterOptions } from './router.js';
export { catalogSourceOverrides, createCatalog, createStaticCatalog } from '../catalog/index.js';
export type { CatalogOptions, SourceName, SourceOverride } from '../catalog/index.js';
export { createLogStore, decodeLog, encodeLog, verifyLog, canonicalJson, LogIntegrityError, zgRootOf, decisionHashOf } from '../log/index.js';
export type { LogStoreConfig } from '../log/index.js';
export { replay, route, summariseExclusions, DEFAULT_WEIGHTS, COST_ONLY_WEIGHTS, ENGINE_VERSION, formatUsdc } from '../engine/index.js';
export { jobRequestSchema, candidateSchema, reasoningLogSchema } from '../domain/schema.js';
export { buildSdl, validateSdl } from '../akash/index.js';
