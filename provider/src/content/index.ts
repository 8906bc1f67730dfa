export { ContentIntegrityError, ContentUploadError, contentStoreConfigSchema, createContentStore } from './store.js';
export type { ContentSigner, ContentStore, ContentStoreConfig } from './store.js';
