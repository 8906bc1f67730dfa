// The keeper's one transaction queue. Sends are serialised (one nonce manager, no gaps, no duplicates);
// receipts are awaited concurrently so N commits take about one block, not N (nonces are pipelined). Every step
// retries passing RPC failures with backoff; a revert the caller marks as "already done" is reported as such.
// Receipts are polled, and at each poll a transaction the node no longer knows (dropped, or removed by a reorg)
// or one stuck behind a nonce gap is resent at once, so a reorg costs a few blocks, not the receipt timeout.
import type { Abi, ContractFunctionArgs, ContractFunctionName, Hash } from 'viem';
import { TransactionNotFoundError, TransactionReceiptNotFoundError } from 'viem';
import { errorSummary, type Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { ChainClients } from './clients.js';
import { PermanentTxError, TransientChainError, backoffMs, classifyError, sleep } from './errors.js';

export interface TxRequest<
  abi extends Abi = Abi,
  functionName extends ContractFunctionName<abi, 'nonpayable' | 'payable'> = ContractFunctionName<abi, 'nonpayable' | 'payable'>,
> {
  /** For logs and metrics, e.g. `commitRoute job=3 round=1`. */
  label: string;
  address: `0x${string}`;
  abi: abi;
  functionName: functionName;
  args: ContractFunctionArgs<abi, 'nonpayable' | 'payable', functionName>;
  /** Custom error names that mean the work is already done (counted as success, nothing more is sent). */
  doneErrors?: readonly string[];
  /** Called once the node accepted the transaction (before its receipt). */
  onSent?: (hash: Hash) => void;
  /**
   * A known upper bound of the gas the call uses: sent with it, without an estimate (one round trip fewer per
   * transaction, and no estimate run by the node). A send that then reverts on-chain for no reason the call
   * gives (out of gas) is sent again with an estimate.
   */
  gasLimit?: bigint;
}

export type TxOutcome =
  | { status: 'mined'; hash: Hash; blockNumber: bigint; nonce: number; attempts: number }
  | { status: 'already_done'; reason: string; hash?: Hash };

export interface TxQueueOptions {
  clients: Pick<ChainClients, 'publicClient' | 'walletClient' | 'account' | 'chain'>;
  /** Blocks to wait after inclusion (0 = inclusion is enough). */
  confirmations: number;
  /** Attempts per phase (send, receipt) before giving up with a TransientChainError. */
  retries: number;
  receiptTimeoutMs: number;
  backoff?: { baseMs: number; maxMs: number };
  logger: Logger;
  metrics?: Metrics;
  /** How often a sent transaction's receipt is looked for (default: the public client's polling interval). */
  receiptPollMs?: number;
}

export interface TxQueue {
  submit<const abi extends Abi, functionName extends ContractFunctionName<abi, 'nonpayable' | 'payable'>>(req: TxRequest<abi, functionName>): Promise<TxOutcome>;
  /** Transactions queued, being sent or awaiting a receipt. */
  pending(): number;
  /** The next nonce the queue will use (null until first needed, or after a resync). */
  nextNonce(): number | null;
  /** Forget the cached nonce (after a reorg): the next send asks the node. */
  resetNonce(): void;
  /** Resolves when nothing is in flight. New submissions are refused after close(). */
  drain(): Promise<void>;
  close(): Promise<void>;
}

type Sent = { hash: Hash; nonce: number; estimated: boolean };

/** Fee estimates are shared by the sends of this long (base fees move at most 12.5% a block; viem adds 20%). */
const FEES_TTL_MS = 500;

export function createTxQueue(opts: TxQueueOptions): TxQueue {
  const { publicClient, walletClient, account } = opts.clients;
  const { baseMs, maxMs } = opts.backoff ?? { baseMs: 200, maxMs: 5_000 };
  const log = opts.logger.child({ component: 'tx-queue' });
  let nonce: number | null = null;
  let sendChain: Promise<unknown> = Promise.resolve();
  let inFlight = 0;
  let closed = false;
  const idleWaiters: Array<() => void> = [];
  let fees: { at: number; value: Promise<{ maxFeePerGas: bigint; maxPriorityFeePerGas: bigint } | null> } | null = null;
  /** Hashes of blocks looked up at the current head (receipts of one block share one lookup). */
  let blockHashes: { head: bigint; byNumber: Map<bigint, Promise<string | undefined>> } = { head: -1n, byNumber: new Map() };

  // Legacy-fee chains: null leaves the fees to the wallet client.
  const currentFees = () => {
    if (!fees || Date.now() - fees.at > FEES_TTL_MS) {
      const value = publicClient.estimateFeesPerGas().then(
        (f) => ({ maxFeePerGas: f.maxFeePerGas, maxPriorityFeePerGas: f.maxPriorityFeePerGas }),
        () => null,
      );
      fees = { at: Date.now(), value };
    }
    return fees.value;
  };

  const blockHashAt = (head: bigint, n: bigint) => {
    if (blockHashes.head !== head) blockHashes = { head, byNumber: new Map() };
    let hash = blockHashes.byNumber.get(n);
    if (!hash) {
      hash = publicClient.getBlock({ blockNumber: n }).then((b) => b.hash?.toLowerCase());
      hash.catch(() => blockHashes.byNumber.delete(n));
      blockHashes.byNumber.set(n, hash);
    }
    return hash;
  };

  const setPending = (delta: number) => {
    inFlight += delta;
    opts.metrics?.txPending.set(inFlight);
    if (inFlight === 0) idleWaiters.splice(0).forEach((w) => w());
  };
  const retried = (reason: string) => opts.metrics?.txRetries.inc({ reason });

  /** Runs `fn` after every earlier send finished: one sender at a time. */
  function serialised<T>(fn: () => Promise<T>): Promise<T> {
    const run = sendChain.then(fn, fn);
    sendChain = run.catch(() => undefined);
    return run;
  }

  async function resyncNonce(): Promise<number> {
    nonce = await publicClient.getTransactionCount({ address: account.address, blockTag: 'pending' });
    return nonce;
  }

  /**
   * Estimates (which also tells whether the call reverts) unless the request carries a gas bound, then sends with
   * the next nonce, in submission order. Estimates of queued transactions run while earlier ones are sent, so a
   * burst costs about one round trip per transaction in the lock; fee estimates are shared for FEES_TTL_MS.
   */
  async function send(req: TxRequest, attemptBase: number, estimate: boolean): Promise<{ sent: Sent } | { done: string }> {
    for (let attempt = 0; ; attempt++) {
      try {
        const call = { account, address: req.address, abi: req.abi, functionName: req.functionName, args: req.args as readonly unknown[] };
        // Started now, awaited in the lock: sends keep the order of submission, estimates overlap.
        const prepared = Promise.all([
          estimate || req.gasLimit === undefined
            ? publicClient.estimateContractGas(call as Parameters<typeof publicClient.estimateContractGas>[0]).then((gas) => gas + gas / 5n)
            : req.gasLimit,
          currentFees(),
        ]);
        prepared.catch(() => undefined); // its failure is handled when the lock awaits it
        const sent = await serialised(async () => {
          const [gas, fees] = await prepared;
          const n = nonce ?? (await resyncNonce());
          const hash = await walletClient.writeContract({
            ...call,
            chain: opts.clients.chain,
            gas,
            nonce: n,
            ...(fees ? { maxFeePerGas: fees.maxFeePerGas, maxPriorityFeePerGas: fees.maxPriorityFeePerGas } : {}),
          } as Parameters<typeof walletClient.writeContract>[0]);
          nonce = n + 1;
          return { hash, nonce: n, estimated: estimate || req.gasLimit === undefined };
        });
        const { hash } = sent;
        log.debug('sent', { label: req.label, hash, nonce: sent.nonce });
        try {
          req.onSent?.(hash);
        } catch {
          // A broken listener must not break the queue.
        }
        return { sent };
      } catch (err) {
        const c = classifyError(err);
        if (c.kind === 'revert') {
          if (c.errorName && req.doneErrors?.includes(c.errorName)) return { done: c.errorName };
          throw new PermanentTxError(`${req.label} reverts: ${c.errorName ?? c.message}`, c.errorName);
        }
        if (c.kind === 'nonce') {
          // Another sender used our account, or a send we thought failed went through: ask the node.
          nonce = null;
          retried('nonce');
          log.warn('nonce out of sync; resyncing', { label: req.label, err: c.message });
          if (attempt >= opts.retries) throw new TransientChainError(`${req.label}: nonce kept failing: ${c.message}`);
          continue; // no wait: the resync itself is the fix
        }
        // Unknown outcome of a send (timeout, connection reset): the nonce may or may not be used; resync.
        nonce = null;
        retried('send');
        if (attempt >= opts.retries) throw new TransientChainError(`${req.label}: chain unreachable: ${c.message}`);
        const wait = backoffMs(attemptBase + attempt, baseMs, maxMs);
        log.warn('send failed; retrying', { label: req.label, attempt, waitMs: wait, err: c.message });
        await sleep(wait);
      }
    }
  }

  /**
   * Polls for the receipt until it has `confirmations` blocks on a block still in the chain. 'dropped' when the
   * node no longer knows the transaction (dropped, or its block reorganised away) or it sits behind a nonce gap.
   */
  async function confirm(req: TxRequest, sent: Sent): Promise<TxOutcome | 'dropped' | 'estimate'> {
    const pollMs = opts.receiptPollMs ?? publicClient.pollingInterval ?? 1_000;
    const deadline = Date.now() + opts.receiptTimeoutMs * (opts.retries + 1);
    const needed = BigInt(Math.max(1, opts.confirmations));
    let failures = 0;
    let lastHead = -1n;
    for (;;) {
      try {
        // Looked at once per new block. getBlockNumber is cached for a polling interval and shared by every
        // waiter, so a hundred commits in flight cost one head read per poll, not a hundred.
        const head = await publicClient.getBlockNumber();
        if (head === lastHead) {
          if (Date.now() > deadline) throw new TransientChainError(`${req.label}: no receipt for ${sent.hash} after ${opts.receiptTimeoutMs * (opts.retries + 1)} ms`);
          await sleep(pollMs);
          continue;
        }
        lastHead = head;
        const receipt = await publicClient.getTransactionReceipt({ hash: sent.hash }).catch((e: unknown) => {
          if (e instanceof TransactionReceiptNotFoundError) return null;
          throw e;
        });
        if (receipt) {
          if (head - receipt.blockNumber + 1n >= needed) {
            if ((await blockHashAt(head, receipt.blockNumber)) === receipt.blockHash.toLowerCase()) return await settled(req, sent, receipt.status, receipt.blockNumber, failures);
            // The receipt's block was reorganised away: look again (its new place, or dropped).
          }
        } else {
          const known = await publicClient.getTransaction({ hash: sent.hash }).then(
            () => true,
            (e: unknown) => {
              if (e instanceof TransactionNotFoundError) return false;
              throw e;
            },
          );
          if (!known) {
            log.warn('transaction dropped or reorganised away; resending', { label: req.label, hash: sent.hash });
            return 'dropped';
          }
          if (await nonceGapBelow(sent.nonce)) {
            // Our nonce is above the account's next one (a reorg or a dropped transaction left a gap): the node will
            // never mine it. Resend with a fresh nonce; the stuck copy, if ever mined, reverts as already done.
            log.warn('transaction stuck behind a nonce gap; resending', { label: req.label, hash: sent.hash, nonce: sent.nonce });
            return 'dropped';
          }
        }
        if (Date.now() > deadline) throw new TransientChainError(`${req.label}: no receipt for ${sent.hash} after ${opts.receiptTimeoutMs * (opts.retries + 1)} ms`);
      } catch (err) {
        if (err instanceof PermanentTxError || err instanceof TransientChainError) throw err;
        failures++;
        retried('receipt');
        if (failures > opts.retries) throw new TransientChainError(`${req.label}: no receipt for ${sent.hash}: ${errorSummary(err)}`);
        const wait = backoffMs(failures - 1, baseMs, maxMs);
        log.warn('receipt not available; retrying', { label: req.label, hash: sent.hash, attempt: failures, waitMs: wait, err: errorSummary(err) });
        await sleep(wait);
        continue;
      }
      await sleep(pollMs);
    }
  }

  async function settled(req: TxRequest, sent: Sent, status: 'success' | 'reverted', blockNumber: bigint, failures: number): Promise<TxOutcome | 'estimate'> {
    if (status === 'success') return { status: 'mined', hash: sent.hash, blockNumber, nonce: sent.nonce, attempts: failures + 1 };
    // Reverted on-chain although the simulation passed (or none ran: sent with a gas bound): ask why.
    const why = await simulateReason(req);
    if (why && req.doneErrors?.includes(why)) return { status: 'already_done', reason: why, hash: sent.hash };
    if (why === undefined && !sent.estimated) {
      // The call itself does not revert: the gas bound was too low. Send it again with an estimate.
      log.warn('reverted with its gas bound and passes with an estimate; resending with the estimate', { label: req.label, hash: sent.hash, gasLimit: req.gasLimit });
      return 'estimate';
    }
    throw new PermanentTxError(`${req.label} reverted on-chain (${why ?? 'unknown reason'}) in ${sent.hash}`, why);
  }

  async function nonceGapBelow(n: number): Promise<boolean> {
    try {
      return (await publicClient.getTransactionCount({ address: account.address, blockTag: 'pending' })) < n;
    } catch {
      return false;
    }
  }

  async function simulateReason(req: TxRequest): Promise<string | undefined> {
    try {
      await publicClient.simulateContract({
        account,
        address: req.address,
        abi: req.abi,
        functionName: req.functionName,
        args: req.args as readonly unknown[],
      } as Parameters<typeof publicClient.simulateContract>[0]);
      return undefined;
    } catch (err) {
      const c = classifyError(err);
      return c.kind === 'revert' ? c.errorName : undefined;
    }
  }

  return {
    async submit(req) {
      if (closed) throw new TransientChainError('transaction queue is closed');
      setPending(+1);
      try {
        let estimate = false;
        for (let round = 0; round <= opts.retries; round++) {
          const r = await send(req as TxRequest, round, estimate);
          if ('done' in r) return { status: 'already_done', reason: r.done };
          const outcome = await confirm(req as TxRequest, r.sent);
          if (outcome === 'estimate') {
            estimate = true; // its nonce was used by the reverted transaction: the counter is right
            continue;
          }
          if (outcome !== 'dropped') return outcome;
          nonce = null;
        }
        throw new TransientChainError(`${req.label}: transaction kept being dropped`);
      } finally {
        setPending(-1);
      }
    },
    pending: () => inFlight,
    nextNonce: () => nonce,
    resetNonce: () => {
      nonce = null;
    },
    drain: () => (inFlight === 0 ? Promise.resolve() : new Promise<void>((r) => idleWaiters.push(r))),
    async close() {
      closed = true;
      if (inFlight > 0) await new Promise<void>((r) => idleWaiters.push(r));
    },
  };
}
