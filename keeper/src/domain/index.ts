// The keeper's domain: the types, schemas and wire contract every other layer (and the dApp and the provider agent)
// builds on. Modules here import only zod, viem and each other, so a browser bundle can take them.
export * from './types.js';
export * from './schema.js';
export * from './api.js';
export * from './canonical.js';
export * from './result-manifest.js';
export * from './dispute-evidence.js';
export * from './job-document.js';
export * from './eip712.js';
export * from './constraints.js';
export * from './regions.js';
