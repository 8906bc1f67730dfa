// The keeper's domain: the types, schemas and wire contract every other layer (and the dApp) builds on, and the types
// that cross packages (keeper, provider, dApp). Modules here import only zod, viem and each other, so a browser
// bundle can take them.
export * from './types.js';
export * from './schema.js';
export * from './api.js';
export * from './canonical.js';
export * from './result-manifest.js';
export * from './job-document.js';
export * from './eip712.js';
// Both define an address schema; the index keeps the domain's (eip712.ts's checksumming one is imported from there).
export { addressSchema } from './schema.js';
