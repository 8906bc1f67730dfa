import { canonicalBytes } from '../domain/canonical.js';
import { decisionHashOf, zgRootOf } from './root.js';
import { reasoningLogSchema } from '../domain/schema.js';
import type { Hex, ReasoningLog } from '../domain/types.js';

export interface EncodedLog {
  bytes: Uint8Array;
  root: Hex;
  decisionHash: Hex;
}

/** Canonical bytes of the log with its 0G root and keccak256. */
export async function encodeLog(log: ReasoningLog): Promise<EncodedLog> {
  const bytes = canonicalBytes(log);
  return { bytes, root: await zgRootOf(bytes), decisionHash: decisionHashOf(bytes) };
}

/** Parses stored log bytes back into a ReasoningLog (bigints restored); throws on anything malformed. */
export function decodeLog(bytes: Uint8Array): ReasoningLog {
  const json: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  return reasoningLogSchema.parse(json) as ReasoningLog;
}

/** Checks that bytes are what an on-chain commit claims: 0G root and decisionHash. */
export async function verifyLog(bytes: Uint8Array, expected: { root?: Hex; decisionHash?: Hex }): Promise<{ rootOk: boolean; hashOk: boolean; root: Hex; decisionHash: Hex }> {
  const root = await zgRootOf(bytes);
  const decisionHash = decisionHashOf(bytes);
  return {
    root,
    decisionHash,
    rootOk: expected.root === undefined || expected.root.toLowerCase() === root,
    hashOk: expected.decisionHash === undefined || expected.decisionHash.toLowerCase() === decisionHash,
  };
}
