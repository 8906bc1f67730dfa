export { ManifestError, buildResultManifest, readResultManifest } from './build.js';
export type { ManifestJob, RunRecord, StoredManifest } from './build.js';
export { DEFAULT_LOG_LIMIT_BYTES, collectLog } from './log.js';
export type { CollectedLog } from './log.js';
export { DEFAULT_OUTPUT_LIMITS, OutputLimitError, scanOutputs, sha256Hex } from './outputs.js';
export type { OutputFile, OutputLimits, OutputScan } from './outputs.js';
export { SIGKILL_EXIT_CODE, classifyRun } from './reason.js';
export type { AgentStop, RunOutcome } from './reason.js';
