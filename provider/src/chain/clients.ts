// viem clients for the provider wallet, and one way to send a transaction and wait for it.
import {
  createPublicClient,
  createWalletClient,
  defineChain,
  http,
  type Account,
  type Chain,
  type Hex,
  type PublicClient,
  type TransactionReceipt,
  type Transport,
  type WalletClient,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';

export interface ChainClients {
  chain: Chain;
  account: Account;
  publicClient: PublicClient<Transport, Chain>;
  walletClient: WalletClient<Transport, Chain, Account>;
}

export function createChainClients(opts: { rpcUrl: string; chainId: number; privateKey: Hex; pollingIntervalMs?: number }): ChainClients {
  const chain = defineChain({
    id: opts.chainId,
    name: opts.chainId === 31337 ? 'Anvil' : `chain-${opts.chainId}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [opts.rpcUrl] } },
  });
  const transport = http(opts.rpcUrl, { retryCount: 2, timeout: 15_000 });
  const account = privateKeyToAccount(opts.privateKey);
  const pollingInterval = opts.pollingIntervalMs ?? 250;
  return {
    chain,
    account,
    publicClient: createPublicClient({ chain, transport, pollingInterval }),
    walletClient: createWalletClient({ chain, transport, account, pollingInterval }),
  };
}

/** A transaction that was mined but reverted, or could not be sent. */
export class TxError extends Error {
  constructor(
    readonly label: string,
    message: string,
    readonly hash?: Hex,
  ) {
    super(`${label}: ${message}`);
    this.name = 'TxError';
  }
}

/** Sends (simulating first, so a revert is reported with its reason and costs no gas) and waits for the receipt. */
export async function sendTx(
  clients: ChainClients,
  label: string,
  request: Parameters<PublicClient<Transport, Chain>['simulateContract']>[0],
  /** Called once the node accepted the transaction (before its receipt). */
  onSent?: () => void,
): Promise<TransactionReceipt> {
  let hash: Hex;
  try {
    const { request: prepared } = await clients.publicClient.simulateContract({ ...request, account: clients.account } as Parameters<PublicClient<Transport, Chain>['simulateContract']>[0]);
    hash = await clients.walletClient.writeContract(prepared as Parameters<WalletClient<Transport, Chain, Account>['writeContract']>[0]);
  } catch (err) {
    throw new TxError(label, shortMessage(err));
  }
  onSent?.();
  const receipt = await clients.publicClient.waitForTransactionReceipt({ hash, timeout: 120_000 });
  if (receipt.status !== 'success') throw new TxError(label, 'reverted', hash);
  return receipt;
}

/** A call checked and estimated (gas, fees) ahead of its send. */
export interface PreparedTx {
  label: string;
  request: Parameters<PublicClient<Transport, Chain>['simulateContract']>[0];
  gas: bigint;
  fees: { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint } | null;
}

/** Estimates a call (a revert is reported with its reason and costs no gas) and its fees, for a later send. */
export async function prepareTx(clients: ChainClients, label: string, request: PreparedTx['request']): Promise<PreparedTx> {
  try {
    const call = { ...request, account: clients.account } as Parameters<PublicClient<Transport, Chain>['estimateContractGas']>[0];
    const [gas, fees] = await Promise.all([
      clients.publicClient.estimateContractGas(call),
      // Legacy-fee chains: null leaves the fees to the wallet client.
      clients.publicClient.estimateFeesPerGas().then(
        (f) => ({ maxFeePerGas: f.maxFeePerGas, maxPriorityFeePerGas: f.maxPriorityFeePerGas }),
        () => null,
      ),
    ]);
    return { label, request, gas, fees };
  } catch (err) {
    throw new TxError(label, shortMessage(err));
  }
}

/** Sends a prepared call with its estimate (+20%) and waits for the receipt; `onSent` once the node has it. */
export async function sendPreparedTx(clients: ChainClients, prepared: PreparedTx, onSent?: () => void): Promise<TransactionReceipt> {
  let hash: Hex;
  try {
    hash = await clients.walletClient.writeContract({
      ...prepared.request,
      account: clients.account,
      chain: clients.chain,
      gas: prepared.gas + prepared.gas / 5n,
      ...(prepared.fees ?? {}),
    } as Parameters<WalletClient<Transport, Chain, Account>['writeContract']>[0]);
  } catch (err) {
    throw new TxError(prepared.label, shortMessage(err));
  }
  onSent?.();
  const receipt = await clients.publicClient.waitForTransactionReceipt({ hash, timeout: 120_000 });
  if (receipt.status !== 'success') throw new TxError(prepared.label, 'reverted', hash);
  return receipt;
}

function shortMessage(err: unknown): string {
  const e = err as { shortMessage?: string; message?: string };
  return e.shortMessage ?? e.message ?? String(err);
}
