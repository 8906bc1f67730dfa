export { canonicalBytes, canonicalJson } from '../domain/canonical.js';
export { decodeLog, encodeLog, verifyLog } from './log.js';
export type { EncodedLog } from './log.js';
export { decisionHashOf, zgRootOf } from './root.js';
export { LogIntegrityError, createLogStore } from './store.js';
export type { LogStoreConfig } from './store.js';
