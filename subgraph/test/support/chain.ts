/** viem clients over anvil's unlocked default accounts, and small helpers to drive the Necto contracts. */
import {
  createPublicClient,
  createTestClient,
  createWalletClient,
  encodeAbiParameters,
  http,
  keccak256,
  pad,
  toHex,
  type Abi,
  type Address,
  type Hash,
  type TransactionReceipt,
} from 'viem';
import { foundry } from 'viem/chains';
import { jobMarketAbi, mockUSDCAbi, providerRegistryAbi, teamRegistryAbi, type JobSpec, type RouteInput } from '@necto/contracts';
import type { Deployment } from './stack.js';

export { jobMarketAbi, mockUSDCAbi, providerRegistryAbi, teamRegistryAbi };

export function clients(rpc: string) {
  const transport = http(rpc, { batch: false });
  return {
    publicClient: createPublicClient({ chain: foundry, transport, pollingInterval: 10 }),
    walletClient: createWalletClient({ chain: foundry, transport }),
    testClient: createTestClient({ chain: foundry, mode: 'anvil', transport }),
  };
}

export type Clients = ReturnType<typeof clients>;

export interface Sent {
  hash: Hash;
  receipt: TransactionReceipt;
  block: number;
  timestamp: bigint;
}

/** Sends a contract call from an unlocked anvil account and waits for its (successful) receipt. */
export async function send(
  c: Clients,
  from: Address,
  address: Address,
  abi: Abi,
  functionName: string,
  args: readonly unknown[] = [],
): Promise<Sent> {
  // A fixed gas limit: estimates run on the pending block, whose timestamp can differ from the one set for the tx.
  const hash = await c.walletClient.writeContract({ account: from, address, abi, functionName, args, gas: 5_000_000n } as never);
  const receipt = await c.publicClient.waitForTransactionReceipt({ hash, pollingInterval: 10 });
  if (receipt.status !== 'success') {
    // Replay on the state before the block for the decoded reason.
    const reason = await c.publicClient
      .simulateContract({ account: from, address, abi, functionName, args, blockNumber: receipt.blockNumber - 1n } as never)
      .then(() => 'no reason on replay', (error: Error) => error.message.split('\n').slice(0, 3).join(' '));
    throw new Error(`${functionName} reverted (${hash}): ${reason}`);
  }
  const block = await c.publicClient.getBlock({ blockNumber: receipt.blockNumber });
  return { hash, receipt, block: Number(receipt.blockNumber), timestamp: block.timestamp };
}

/** The Necto contracts bound to a deployment: `market('submitJob', from, args)`. */
export function necto(c: Clients, d: Deployment) {
  const bind =
    (address: Address, abi: Abi) =>
    (functionName: string, from: Address, args: readonly unknown[] = []) =>
      send(c, from, address, abi, functionName, args);
  return {
    market: bind(d.contracts.JobMarket, jobMarketAbi as Abi),
    providers: bind(d.contracts.ProviderRegistry, providerRegistryAbi as Abi),
    teams: bind(d.contracts.TeamRegistry, teamRegistryAbi as Abi),
    usdc: bind(d.contracts.MockUSDC, mockUSDCAbi as Abi),
  };
}

/** Mines the next block at exactly `timestamp`-1 so that the next transaction lands at `timestamp`. */
export async function setNextTimestamp(c: Clients, timestamp: bigint): Promise<void> {
  await c.testClient.setNextBlockTimestamp({ timestamp });
}

export async function increaseTime(c: Clients, seconds: number): Promise<void> {
  await c.testClient.increaseTime({ seconds });
  await c.testClient.mine({ blocks: 1 });
}

/** `bytes32(uint256(uint160(provider)))`: an on-chain provider's route reference. */
export const onChainRef = (provider: Address) => pad(provider.toLowerCase() as Address, { size: 32 });

/** `keccak256(abi.encode(market, externalId))`: an external provider's route reference. */
export const externalRef = (market: string, externalId: string) =>
  keccak256(encodeAbiParameters([{ type: 'string' }, { type: 'string' }], [market, externalId]));

export const hashOf = (text: string) => keccak256(toHex(text));
export const ZERO_HASH = `0x${'0'.repeat(64)}` as const;

/** USDC (6 decimals): usdc(1.5) = 1500000n. */
export const usdc = (amount: number) => BigInt(Math.round(amount * 1_000_000));

/** A DataTypes.JobSpec with test defaults; a tracked job's document must hash to its specHash. */
export function jobSpec(overrides: Partial<JobSpec> & { specHash: `0x${string}` }): JobSpec {
  const spec: JobSpec = {
    maxPricePerGpuHour: Number(usdc(2)),
    duration: 3600,
    gpuCount: 1,
    minVramGb: 0,
    minVcpu: 0,
    minRamGb: 0,
    teamId: 0,
    startBy: 0,
    autoAccept: false,
    tracked: false,
    allowExternal: false,
    gpuModels: [],
    regions: [],
    document: '',
    ...overrides,
  };
  if (spec.tracked && keccak256(toHex(spec.document)) !== spec.specHash) {
    throw new Error('a tracked job needs the document whose keccak256 is its specHash');
  }
  return spec;
}

export function onChainRoute(provider: Address, offerId: number, price: bigint, tag: string): RouteInput {
  return {
    providerRef: onChainRef(provider),
    offerId: BigInt(offerId),
    pricePerGpuHour: Number(price),
    logRoot: hashOf(`log:${tag}`),
    decisionHash: hashOf(`decision:${tag}`),
    sdlHash: ZERO_HASH,
    market: '',
    externalId: '',
  };
}

export function externalRoute(market: string, externalId: string, price: bigint, tag: string): RouteInput {
  return {
    providerRef: externalRef(market, externalId),
    offerId: 0n,
    pricePerGpuHour: Number(price),
    logRoot: hashOf(`log:${tag}`),
    decisionHash: hashOf(`decision:${tag}`),
    sdlHash: hashOf(`sdl:${tag}`),
    market,
    externalId,
  };
}
