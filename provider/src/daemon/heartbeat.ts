// Signed heartbeats to the keeper: who this provider is, where its endpoint is and how many jobs it runs.
import { nectoDomain, typedDataFor, type Heartbeat } from '@necto/keeper/domain';
import type { Logger } from '@necto/keeper/logger';
import type { Address, LocalAccount } from 'viem';

export interface HeartbeatSender {
  /** Sends one heartbeat now; resolves with the keeper's HTTP status (0 when unreachable). */
  beat(): Promise<number>;
  start(): void;
  stop(): void;
}

export function createHeartbeat(opts: {
  keeperUrl: string;
  account: LocalAccount;
  chainId: number;
  jobMarket: Address;
  endpoint: string;
  intervalMs: number;
  running: () => number;
  logger: Logger;
  fetch?: typeof fetch;
  nowSec?: () => number;
}): HeartbeatSender {
  const fetchFn = opts.fetch ?? fetch;
  const nowSec = opts.nowSec ?? (() => Math.floor(Date.now() / 1000));
  const url = `${opts.keeperUrl.replace(/\/+$/, '')}/providers/heartbeat`;
  const domain = nectoDomain(opts.chainId, opts.jobMarket);
  let timer: NodeJS.Timeout | null = null;
  let lastStatus: number | null = null;

  const beat = async (): Promise<number> => {
    const message: Heartbeat = { provider: opts.account.address, endpoint: opts.endpoint, running: opts.running(), timestamp: BigInt(nowSec()) };
    const signature = await opts.account.signTypedData(typedDataFor(domain, 'Heartbeat', message));
    let status: number;
    try {
      const res = await fetchFn(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message: { ...message, timestamp: message.timestamp.toString() }, signature }),
      });
      status = res.status;
      const text = await res.text();
      if (status !== 202 && status !== lastStatus) opts.logger.warn('heartbeat refused', { status, body: text.slice(0, 200) });
    } catch (err) {
      status = 0;
      if (lastStatus !== 0) opts.logger.warn('keeper unreachable for heartbeats', { url, error: (err as Error).message });
    }
    lastStatus = status;
    return status;
  };

  return {
    beat,
    start() {
      const loop = () => {
        void beat().finally(() => {
          if (timer !== null) timer = setTimeout(loop, opts.intervalMs);
        });
      };
      timer = setTimeout(loop, 0);
    },
    stop() {
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
