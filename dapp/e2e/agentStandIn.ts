// The chain side of a provider agent, for the e2e flows that register a brand-new provider the stack runs no agent
// for: it starts the routed job and completes it with the 0G root of a result manifest built for that job (the
// same canonical bytes and root an agent stores). The dApp itself has no manual start or completion.
import { getDeployment, jobMarketAbi } from '@necto/contracts';
import { RESULT_MANIFEST_KIND, type ResultManifest } from '@necto/keeper/domain';
import { createPublicClient, createWalletClient, http, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { foundry } from 'viem/chains';
import { canonicalJson } from '../src/lib/canonicalJson';
import { zeroGRootHash } from '../src/lib/merkle0g';

export async function runAsAgent(opts: { rpcUrl: string; chainId: number; privateKey: Hex; jobId: string; round: number; seconds: number }) {
  const account = privateKeyToAccount(opts.privateKey);
  const chain = { ...foundry, id: opts.chainId };
  const wallet = createWalletClient({ account, chain, transport: http(opts.rpcUrl) });
  const reader = createPublicClient({ chain, transport: http(opts.rpcUrl) });
  const address = getDeployment(opts.chainId).contracts.JobMarket;
  const id = BigInt(opts.jobId);
  const send = async (hash: Hex) => {
    const receipt = await reader.waitForTransactionReceipt({ hash });
    if (receipt.status !== 'success') throw new Error(`transaction ${hash} reverted`);
  };
  await send(await wallet.writeContract({ address, abi: jobMarketAbi, functionName: 'startJob', args: [id] }));
  const startedAt = Math.floor(Date.now() / 1000);
  await new Promise((r) => setTimeout(r, opts.seconds * 1000));
  const manifest: ResultManifest = {
    kind: RESULT_MANIFEST_KIND,
    chainId: opts.chainId,
    jobMarket: address,
    jobId: opts.jobId,
    round: opts.round,
    provider: account.address,
    market: 'onchain',
    image: 'necto/demo:1',
    imageDigest: null,
    command: ['sh', '-c', 'echo done'],
    startedAt,
    finishedAt: Math.floor(Date.now() / 1000),
    exitCode: 0,
    reason: 'ok',
    log: { root: null, bytes: 0, truncated: false },
    outputs: [],
    runtime: { kind: 'docker' },
  };
  const root = zeroGRootHash(new TextEncoder().encode(canonicalJson(manifest)));
  await send(await wallet.writeContract({ address, abi: jobMarketAbi, functionName: 'completeJob', args: [id, root] }));
  return { manifest, root };
}
