// Shared by the e2e files: starts the whole local stack (tools/stack.mjs), or attaches to a running one.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Hex } from 'viem';

// tools/stack.mjs (the repository's local stack) — plain JS, typed here by what the tests use.
export interface Account { address: string; privateKey: Hex }
export interface Stack {
  rpcUrl: string; subgraphUrl: string; keeperUrl: string; dappUrl: string; chainId: number; accounts: Record<string, Account>;
  /** The stack's container engine (podman) that its provider agents run jobs on; null when it runs no agents. */
  providerRuntime?: { dockerHost: string; dir: string } | null;
  /** The local Akash stand-ins (node REST, one gateway per Akash provider); null when the stack runs Akash off. */
  akash?: { nodeUrl: string; chainId: string; address: string; providers: Array<{ provider: string; url: string }> } | null;
  stop(): Promise<void>;
}
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

/** A running `necto-provider run` (tools/stack-providers.mjs). */
export interface AgentProcess { name: string; address: string; url: string; proc: { stop(graceMs?: number): Promise<void> } }
const { startAgentProcess } = (await import(join(dirname(fileURLToPath(import.meta.url)), '../../tools/stack-providers.mjs'))) as {
  startAgentProcess: (o: { dir: string; name: string; region: string; privateKey: Hex; dockerHost: string; rpcUrl: string; chainId: number; keeperUrl: string; corsOrigins: string[] }) => Promise<AgentProcess>;
};

/** Starts a real provider agent for `privateKey` on the stack's engine (the one its demo providers' agents use). */
export async function startProviderAgent(stack: Stack, opts: { name: string; region: string; privateKey: Hex }): Promise<AgentProcess> {
  if (!stack.providerRuntime) throw new Error('this stack runs no provider agents (no container engine)');
  return startAgentProcess({
    dir: join(stack.providerRuntime.dir, 'e2e'), ...opts, dockerHost: stack.providerRuntime.dockerHost,
    rpcUrl: stack.rpcUrl, chainId: stack.chainId, keeperUrl: stack.keeperUrl, corsOrigins: [stack.dappUrl],
  });
}
