// Types that cross packages (keeper, provider, dApp). Browser-safe: modules here import only zod, viem and each other.
export * from './result-manifest.js';
export * from './job-document.js';
export * from './eip712.js';
