// How the chain layer tells a passing RPC problem (retry, lose nothing) from a revert (the contract said no).
import { BaseError, ContractFunctionRevertedError } from 'viem';
import { errorSummary } from '../logger.js';

export type ErrorClass =
  | { kind: 'revert'; errorName: string | undefined; args: readonly unknown[] | undefined; message: string }
  | { kind: 'nonce'; message: string }
  | { kind: 'transient'; message: string };

const NONCE = /nonce too (low|high)|invalid nonce|nonce has already been used|already known|replacement transaction underpriced|known transaction|nonce/i;

export function classifyError(err: unknown): ErrorClass {
  const message = errorSummary(err);
  if (err instanceof BaseError) {
    const revert = err.walk((e) => e instanceof ContractFunctionRevertedError);
    if (revert instanceof ContractFunctionRevertedError) {
      return { kind: 'revert', errorName: revert.data?.errorName ?? revert.reason ?? revert.signature, args: revert.data?.args, message };
    }
    const text = `${err.shortMessage} ${err.details ?? ''}`;
    if (NONCE.test(text)) return { kind: 'nonce', message };
    if (/execution reverted/i.test(text)) return { kind: 'revert', errorName: undefined, args: undefined, message };
  } else if (err instanceof Error && NONCE.test(err.message)) {
    return { kind: 'nonce', message };
  }
  return { kind: 'transient', message };
}

/** A failure that retrying the same call will not fix (a revert other than "already done"). */
export class PermanentTxError extends Error {
  constructor(
    message: string,
    readonly errorName: string | undefined,
  ) {
    super(message);
    this.name = 'PermanentTxError';
  }
}

/** The chain could not be reached or did not answer in time, after retries. Nothing was lost; try later. */
export class TransientChainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransientChainError';
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Exponential backoff with full jitter, capped. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}
