// On a real chain (anvil with the deployed contracts): a buyer's cancelJob whose gas was estimated while the job
// was Accepted, included after the provider's startJob. Sent with the bare estimate it runs out of gas (the
// running path costs more); sent with the limit every dApp write uses (gasLimitFor: the estimate plus headroom)
// it cancels the job, also in the worst known case, where the running path credits the provider and the treasury
// for the first time.
import { jobMarketAbi } from '@necto/contracts';
import { createPublicClient, createWalletClient, http, type Address, type Hex, type TransactionReceipt } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { foundry } from 'viem/chains';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANVIL_KEYS, rpc, startDeployedAnvil, type DeployedAnvil } from '../../keeper/test/chain/anvil';
import { buyer as buyerOf } from '../../keeper/test/chain/market';
import { commitRouteToProvider, registerProvider } from '../../keeper/test/chain/onchain-provider';
import { gasLimitFor } from '../src/contracts/gas';

const ACCEPTED = 3;
const RUNNING = 4;
const CANCELLED = 7;

let anvil: DeployedAnvil;
type Provider = Awaited<ReturnType<typeof registerProvider>>;
/** One provider per case pair, so the next-block pair's provider has never been credited. */
const providers: Record<'sameBlock' | 'nextBlock', Provider> = {} as Record<'sameBlock' | 'nextBlock', Provider>;
let buyer: ReturnType<typeof buyerOf>;

function walletOf(key: Hex) {
  return createWalletClient({ chain: foundry, transport: http(anvil.url), account: privateKeyToAccount(key) });
}

async function acceptedJob(provider: Provider): Promise<bigint> {
  const { jobId } = await buyer.submit({ tracked: true, autoAccept: true, gpuModels: ['a100'] });
  await commitRouteToProvider(anvil.url, anvil.deployment, jobId, provider);
  expect((await buyer.getJob(jobId)).status).toBe(ACCEPTED);
  return jobId;
}

/**
 * Estimates the buyer's cancel against the Accepted job, then lets the provider's startJob land first: in the
 * same block (`sameBlock`: nothing is billed yet), or in the block before the cancel's, a minute earlier (the cancel
 * then bills that minute: a payout and a fee besides the refund). Returns both receipts and the gas the cancel was sent with.
 */
async function cancelRacingStart(provider: Provider, jobId: bigint, limit: (estimate: bigint) => bigint, sameBlock: boolean) {
  const market = anvil.deployment.contracts.JobMarket as Address;
  const estimate = await buyer.publicClient.estimateContractGas({ address: market, abi: jobMarketAbi, functionName: 'cancelJob', args: [jobId], account: buyer.account });
  const gas = limit(estimate);
  await rpc(anvil.url, 'evm_setAutomine', [false]);
  let startHash: Hex;
  let cancelHash: Hex;
  try {
    // The higher tip orders startJob first in a shared block.
    startHash = await walletOf(provider.key).writeContract({ address: market, abi: jobMarketAbi, functionName: 'startJob', args: [jobId], gas: 200_000n, maxFeePerGas: 50_000_000_000n, maxPriorityFeePerGas: 10_000_000_000n });
    if (!sameBlock) {
      await rpc(anvil.url, 'evm_mine');
      const started = await buyer.publicClient.getBlock();
      await rpc(anvil.url, 'evm_setNextBlockTimestamp', [Number(started.timestamp) + 60]);
    }
    cancelHash = await walletOf(ANVIL_KEYS[0]).writeContract({ address: market, abi: jobMarketAbi, functionName: 'cancelJob', args: [jobId], gas, maxFeePerGas: 50_000_000_000n, maxPriorityFeePerGas: 1_000_000_000n });
    await rpc(anvil.url, 'evm_mine');
  } finally {
    await rpc(anvil.url, 'evm_setAutomine', [true]);
  }
  const [start, cancel]: [TransactionReceipt, TransactionReceipt] = await Promise.all([
    buyer.publicClient.waitForTransactionReceipt({ hash: startHash }),
    buyer.publicClient.waitForTransactionReceipt({ hash: cancelHash }),
  ]);
  expect(start.status).toBe('success');
  expect(sameBlock ? cancel.blockNumber === start.blockNumber : cancel.blockNumber === start.blockNumber + 1n).toBe(true);
  return { estimate, gas, cancel };
}

beforeAll(async () => {
  anvil = await startDeployedAnvil();
  providers.sameBlock = await registerProvider(anvil.url, anvil.deployment, ANVIL_KEYS[2]);
  providers.nextBlock = await registerProvider(anvil.url, anvil.deployment, ANVIL_KEYS[3]);
  buyer = buyerOf(anvil.url, anvil.deployment, ANVIL_KEYS[0]);
  await buyer.fund();
}, 300_000);

afterAll(async () => {
  await anvil?.stop();
});

describe.sequential('a cancel estimated before the job started, included after startJob', () => {
  for (const sameBlock of [true, false]) {
    const provider = () => providers[sameBlock ? 'sameBlock' : 'nextBlock'];
    const where = sameBlock ? 'in the same block' : 'in the next block, crediting the provider and the treasury for the first time';
    it(`runs out of gas with the bare estimate (${where})`, async () => {
      const jobId = await acceptedJob(provider());
      const { gas, cancel } = await cancelRacingStart(provider(), jobId, (estimate) => estimate, sameBlock);
      expect(cancel.status).toBe('reverted');
      // Out of gas: the whole limit is used.
      expect(cancel.gasUsed).toBe(gas);
      // Still running (it holds one of the offer's two units; nothing is credited to anyone).
      expect((await buyer.getJob(jobId)).status).toBe(RUNNING);
    });

    it(`cancels the running job with the dApp's gas limit (${where})`, async () => {
      const jobId = await acceptedJob(provider());
      const { estimate, gas, cancel } = await cancelRacingStart(provider(), jobId, gasLimitFor, sameBlock);
      expect(cancel.status).toBe('success');
      expect(cancel.gasUsed).toBeGreaterThan(estimate);
      expect(cancel.gasUsed).toBeLessThan(gas);
      expect((await buyer.getJob(jobId)).status).toBe(CANCELLED);
      console.log(`cancelJob ${sameBlock ? 'same block' : 'next block'}: estimate ${estimate}, used ${cancel.gasUsed}, limit ${gas}`);
    });
  }
});
