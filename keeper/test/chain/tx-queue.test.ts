import { jobMarketAbi, mockUSDCAbi } from '@necto/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChainClients } from '../../src/chain/clients.js';
import { PermanentTxError, TransientChainError } from '../../src/chain/errors.js';
import { createTxQueue } from '../../src/chain/tx-queue.js';
import { silentLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/metrics.js';
import { ANVIL_KEYS, startDeployedAnvil, type DeployedAnvil } from './anvil.js';
import { startProxy, type Proxy } from './proxy.js';

const SPENDER = '0x000000000000000000000000000000000000dEaD';

describe('tx queue (anvil)', () => {
  let anvil: DeployedAnvil;
  let proxy: Proxy;

  beforeAll(async () => {
    anvil = await startDeployedAnvil();
    proxy = await startProxy(anvil.port);
  }, 180_000);
  afterAll(async () => {
    await proxy?.close();
    await anvil?.stop();
  });

  const queueFor = (url: string, metrics = createMetrics()) => {
    const clients = createChainClients({ rpcUrl: url, chainId: 31337, privateKey: ANVIL_KEYS[1], timeoutMs: 2_000 });
    return {
      clients,
      metrics,
      queue: createTxQueue({ clients, confirmations: 0, retries: 30, receiptTimeoutMs: 5_000, backoff: { baseMs: 50, maxMs: 400 }, logger: silentLogger, metrics }),
    };
  };
  const approve = (amount: bigint) =>
    ({ label: `approve ${amount}`, address: anvil.deployment.contracts.USDC, abi: mockUSDCAbi, functionName: 'approve', args: [SPENDER, amount] }) as const;

  it('serialises concurrent sends with consecutive nonces and awaits every receipt', async () => {
    const { queue, clients } = queueFor(anvil.url);
    const start = await clients.publicClient.getTransactionCount({ address: clients.account.address });
    const outcomes = await Promise.all([1n, 2n, 3n, 4n, 5n].map((n) => queue.submit(approve(n))));
    expect(outcomes.map((o) => o.status)).toEqual(['mined', 'mined', 'mined', 'mined', 'mined']);
    expect(outcomes.map((o) => (o.status === 'mined' ? o.nonce : -1))).toEqual([0, 1, 2, 3, 4].map((i) => start + i));
    expect(queue.pending()).toBe(0);
  });

  it('resyncs the nonce when another sender used the account', async () => {
    const { queue, clients, metrics } = queueFor(anvil.url);
    await queue.submit(approve(10n)); // caches the nonce
    // Someone else (another process with the same key) sends a transaction behind the queue's back.
    const hash = await clients.walletClient.writeContract({ address: anvil.deployment.contracts.USDC, abi: mockUSDCAbi, functionName: 'approve', args: [SPENDER, 11n] });
    await clients.publicClient.waitForTransactionReceipt({ hash });
    const outcome = await queue.submit(approve(12n));
    expect(outcome.status).toBe('mined');
    expect(metrics.txRetries.get({ reason: 'nonce' })).toBeGreaterThanOrEqual(1);
    expect(await clients.publicClient.readContract({ address: anvil.deployment.contracts.USDC, abi: mockUSDCAbi, functionName: 'allowance', args: [clients.account.address, SPENDER] })).toBe(12n);
  });

  it('counts a "done" revert as done and other reverts as permanent failures', async () => {
    const { queue } = queueFor(anvil.url);
    const route = {
      providerRef: `0x${'00'.repeat(32)}`,
      offerId: 0n,
      pricePerGpuHour: 1,
      logRoot: `0x${'00'.repeat(32)}`,
      decisionHash: `0x${'00'.repeat(32)}`,
      sdlHash: `0x${'00'.repeat(32)}`,
      market: '',
      externalId: '',
    } as const;
    const commit = { label: 'commitRoute unknown job', address: anvil.deployment.contracts.JobMarket, abi: jobMarketAbi, functionName: 'commitRoute', args: [999n, route] } as const;
    expect(await queue.submit({ ...commit, doneErrors: ['JobMarket_UnknownJob'] })).toEqual({ status: 'already_done', reason: 'JobMarket_UnknownJob' });
    await expect(queue.submit(commit)).rejects.toBeInstanceOf(PermanentTxError);
  });

  it('sends with a gas bound and no estimate; a bound too low is resent with an estimate', async () => {
    const { queue, clients } = queueFor(anvil.url);
    const estimates: unknown[] = [];
    const estimate = clients.publicClient.estimateContractGas.bind(clients.publicClient);
    clients.publicClient.estimateContractGas = ((args: Parameters<typeof estimate>[0]) => {
      estimates.push(args);
      return estimate(args);
    }) as typeof estimate;
    const bounded = await queue.submit({ ...approve(40n), gasLimit: 200_000n });
    expect(bounded.status).toBe('mined');
    expect(estimates).toHaveLength(0);
    const sent = await clients.publicClient.getTransaction({ hash: (bounded as { hash: `0x${string}` }).hash });
    expect(sent.gas).toBe(200_000n);

    // Above the intrinsic cost (~21.6k), below what the approve's new allowance slot needs: it runs out of gas
    // on-chain, and is sent again with an estimate.
    const tooLow = await queue.submit({ ...approve(41n), gasLimit: 25_000n });
    expect(tooLow.status).toBe('mined');
    expect(estimates).toHaveLength(1);
    expect(await clients.publicClient.readContract({ address: anvil.deployment.contracts.USDC, abi: mockUSDCAbi, functionName: 'allowance', args: [clients.account.address, SPENDER] })).toBe(41n);

    // A bounded send that reverts for a reason the call gives is not resent: "done", or a permanent failure.
    const route = { providerRef: `0x${'00'.repeat(32)}`, offerId: 0n, pricePerGpuHour: 1, logRoot: `0x${'00'.repeat(32)}`, decisionHash: `0x${'00'.repeat(32)}`, sdlHash: `0x${'00'.repeat(32)}`, market: '', externalId: '' } as const;
    const commit = { label: 'commitRoute unknown job', address: anvil.deployment.contracts.JobMarket, abi: jobMarketAbi, functionName: 'commitRoute', args: [999n, route], gasLimit: 300_000n } as const;
    expect(await queue.submit({ ...commit, doneErrors: ['JobMarket_UnknownJob'] })).toMatchObject({ status: 'already_done', reason: 'JobMarket_UnknownJob' });
    await expect(queue.submit(commit)).rejects.toBeInstanceOf(PermanentTxError);
    expect(estimates).toHaveLength(1);
  });

  it('retries through an RPC outage and loses nothing', async () => {
    const { queue, clients, metrics } = queueFor(proxy.url);
    await queue.submit(approve(20n));
    proxy.cut();
    const pending = queue.submit(approve(21n));
    await new Promise((r) => setTimeout(r, 1_500));
    expect(queue.pending()).toBe(1);
    proxy.restore();
    const outcome = await pending;
    expect(outcome.status).toBe('mined');
    expect(metrics.txRetries.get({ reason: 'send' })).toBeGreaterThanOrEqual(1);
    const direct = createChainClients({ rpcUrl: anvil.url, chainId: 31337, privateKey: ANVIL_KEYS[1] });
    expect(await direct.publicClient.readContract({ address: anvil.deployment.contracts.USDC, abi: mockUSDCAbi, functionName: 'allowance', args: [clients.account.address, SPENDER] })).toBe(21n);
  });

  it('gives up with a TransientChainError when the chain stays down', async () => {
    const clients = createChainClients({ rpcUrl: proxy.url, chainId: 31337, privateKey: ANVIL_KEYS[1], timeoutMs: 500 });
    const queue = createTxQueue({ clients, confirmations: 0, retries: 2, receiptTimeoutMs: 1_000, backoff: { baseMs: 20, maxMs: 50 }, logger: silentLogger });
    proxy.cut();
    try {
      await expect(queue.submit(approve(30n))).rejects.toBeInstanceOf(TransientChainError);
    } finally {
      proxy.restore();
    }
  });
});
