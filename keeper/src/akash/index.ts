export { AKASH_BLOCK_MS, AKASH_USDC_DENOM, buildSdl, sdlDocument, validateSdl } from './sdl.js';
export type { BuiltSdl, SdlOptions } from './sdl.js';
