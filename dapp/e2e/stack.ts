// Shared by the e2e files: starts the whole local stack (tools/stack.mjs), or attaches to a running one.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Hex } from 'viem';

// tools/stack.mjs (the repository's local stack) — plain JS, typed here by what the tests use.
export interface Account { address: string; privateKey: Hex }
export interface Stack { rpcUrl: string; subgraphUrl: string; keeperUrl: string; dappUrl: string; chainId: number; accounts: Record<string, Account>; stop(): Promise<void> }
const { startStack } = (await import(join(dirname(fileURLToPath(import.meta.url)), '../../tools/stack.mjs'))) as { startStack: (o: object) => Promise<Stack> };

/**
 * The demo seed is optional (E2E_SEED=1): the flows make everything they need through the UI.
 * E2E_STACK=<file.json> attaches to a stack that is already running (URLs and accounts), for quick iterations.
 */
export async function launchStack(): Promise<Stack> {
  return process.env.E2E_STACK
    ? { ...(JSON.parse(readFileSync(process.env.E2E_STACK, 'utf8')) as Stack), chainId: 31337, stop: async () => undefined }
    : await startStack({ quiet: true, seed: process.env.E2E_SEED === '1' });
}

export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
