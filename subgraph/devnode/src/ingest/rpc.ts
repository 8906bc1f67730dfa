/** A small JSON-RPC client over fetch with real batching (one HTTP request per batch). */

export interface RpcLog {
  address: string;
  topics: string[];
  data: string;
  blockNumber: string;
  blockHash: string;
  transactionHash: string;
  transactionIndex: string;
  logIndex: string;
  removed?: boolean;
}

export interface RpcTransaction {
  hash: string;
  transactionIndex: string;
  from: string;
  to: string | null;
  value: string;
  gas: string;
  gasPrice?: string;
  maxFeePerGas?: string;
  maxPriorityFeePerGas?: string;
  input: string;
  nonce: string;
  type?: string;
}

export interface RpcBlock {
  number: string;
  hash: string;
  parentHash: string;
  sha3Uncles: string;
  miner: string;
  stateRoot: string;
  transactionsRoot: string;
  receiptsRoot: string;
  gasUsed: string;
  gasLimit: string;
  timestamp: string;
  difficulty?: string;
  totalDifficulty?: string;
  size?: string;
  baseFeePerGas?: string;
  transactions: Array<RpcTransaction | string>;
}

export interface RpcReceipt {
  transactionHash: string;
  transactionIndex: string;
  blockHash: string;
  blockNumber: string;
  cumulativeGasUsed: string;
  gasUsed: string;
  contractAddress: string | null;
  logs: RpcLog[];
  status?: string;
  root?: string;
  logsBloom: string;
}

export class RpcError extends Error {
  constructor(
    message: string,
    readonly code: number | null,
  ) {
    super(message);
    this.name = 'RpcError';
  }
}

export class JsonRpcClient {
  private nextId = 1;

  constructor(
    readonly url: string,
    private readonly timeoutMs = 60_000,
    private readonly maxBatch = 200,
  ) {}

  async call<T>(method: string, params: unknown[]): Promise<T> {
    const [result] = await this.batch<T>([[method, params]]);
    return result as T;
  }

  async batch<T>(calls: Array<[string, unknown[]]>): Promise<T[]> {
    const out: T[] = [];
    for (let start = 0; start < calls.length; start += this.maxBatch) {
      out.push(...(await this.send<T>(calls.slice(start, start + this.maxBatch))));
    }
    return out;
  }

  private async send<T>(calls: Array<[string, unknown[]]>): Promise<T[]> {
    if (calls.length === 0) return [];
    const firstId = this.nextId;
    this.nextId += calls.length;
    const body = calls.map(([method, params], i) => ({ jsonrpc: '2.0', id: firstId + i, method, params }));
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body.length === 1 ? body[0] : body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new RpcError(`cannot reach ${this.url}: ${(error as Error).message}`, null);
    }
    const text = await response.text();
    if (!response.ok) throw new RpcError(`${this.url} answered HTTP ${response.status}: ${text.slice(0, 300)}`, null);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new RpcError(`${this.url} answered with invalid JSON: ${text.slice(0, 300)}`, null);
    }
    const items = (Array.isArray(parsed) ? parsed : [parsed]) as Array<{ id: number; result?: T; error?: { code: number; message: string } }>;
    const byId = new Map(items.map((item) => [item.id, item]));
    return calls.map(([method], i) => {
      const item = byId.get(firstId + i);
      if (!item) throw new RpcError(`${method}: no answer in the batch response`, null);
      if (item.error) throw new RpcError(`${method}: ${item.error.message}`, item.error.code);
      return item.result as T;
    });
  }
}
