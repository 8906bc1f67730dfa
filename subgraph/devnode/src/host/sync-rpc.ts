/**
 * A synchronous JSON-RPC call for host functions (WASM cannot await): a worker thread does the HTTP request
 * while the calling thread blocks in `Atomics.wait` on a SharedArrayBuffer, then reads the response the
 * worker copied into shared memory.
 */
import { Worker } from 'node:worker_threads';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const control = new Int32Array(workerData.control);
const data = new Uint8Array(workerData.data);
parentPort.on('message', async (request) => {
  let status = 1;
  let text;
  try {
    const response = await fetch(request.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: request.body,
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    text = await response.text();
    if (!response.ok) { status = 2; text = 'HTTP ' + response.status + ': ' + text.slice(0, 500); }
  } catch (error) {
    status = 2;
    text = String((error && error.message) || error);
  }
  let bytes = Buffer.from(text, 'utf8');
  if (bytes.length > data.length) { status = 2; bytes = Buffer.from('JSON-RPC response larger than ' + data.length + ' bytes'); }
  data.set(bytes);
  Atomics.store(control, 1, bytes.length);
  Atomics.store(control, 0, status);
  Atomics.notify(control, 0);
});
`;

export class RpcCallError extends Error {
  constructor(
    message: string,
    readonly code: number | null,
    readonly data: unknown,
  ) {
    super(message);
    this.name = 'RpcCallError';
  }
}

export class SyncRpc {
  private readonly control = new Int32Array(new SharedArrayBuffer(8));
  private readonly data = new Uint8Array(new SharedArrayBuffer(32 * 1024 * 1024));
  private readonly worker: Worker;
  private nextId = 1;
  private readonly decoder = new TextDecoder();

  constructor(
    private readonly url: string,
    private readonly timeoutMs = 30_000,
  ) {
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { control: this.control.buffer, data: this.data.buffer },
    });
    this.worker.unref();
  }

  /** Blocks the calling thread until the node answers. Throws RpcCallError for JSON-RPC errors. */
  call(method: string, params: unknown[]): unknown {
    const id = this.nextId++;
    Atomics.store(this.control, 0, 0);
    this.worker.postMessage({
      url: this.url,
      body: JSON.stringify({ jsonrpc: '2.0', id, method, params }),
      timeoutMs: this.timeoutMs,
    });
    const waited = Atomics.wait(this.control, 0, 0, this.timeoutMs + 5_000);
    if (waited === 'timed-out') throw new Error(`${method} timed out after ${this.timeoutMs} ms`);
    const status = Atomics.load(this.control, 0);
    const length = Atomics.load(this.control, 1);
    const text = this.decoder.decode(this.data.slice(0, length));
    if (status !== 1) throw new Error(`${method} failed: ${text}`);
    const response = JSON.parse(text) as { result?: unknown; error?: { code: number; message: string; data?: unknown } };
    if (response.error) throw new RpcCallError(response.error.message, response.error.code, response.error.data);
    return response.result;
  }

  close(): Promise<number> {
    return this.worker.terminate();
  }
}
