// Test helper: a loopback HTTP proxy in front of a stand-in (node REST or provider gateway) that can hold the
// requests matching a rule until released — before forwarding them (the effect has not happened) or after (the
// effect happened, the answer has not arrived). Restart tests use it to stop the keeper's deployer in a chosen
// state without any test-only branch in the keeper: the keeper simply waits for an answer, as it would from a
// slow node, and is killed there.
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HoldRule {
  method: string;
  path: RegExp;
  /** 'before': the request is not forwarded until released; 'after': forwarded at once, the answer held. */
  phase: 'before' | 'after';
}

export interface Hold {
  /** Resolves when the first matching request is held (for 'after': once its answer came back from the target). */
  reached: Promise<void>;
  /** How many requests this rule has held so far. */
  count(): number;
  /** Lets the held requests (and later matching ones) through. */
  release(): void;
}

export interface HoldingProxy {
  url: string;
  hold(rule: HoldRule): Hold;
  /** Every request seen, as `METHOD path`. */
  seen(): string[];
  close(): Promise<void>;
}

export async function startHoldingProxy(target: string): Promise<HoldingProxy> {
  const base = new URL(target);
  const rules: Array<HoldRule & { held: number; released: boolean; waiters: Array<() => void>; onReached: () => void }> = [];
  const seen: string[] = [];

  const readBody = (req: IncomingMessage) =>
    new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', reject);
    });
  const forward = (req: IncomingMessage, body: Buffer) =>
    new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
      const out = httpRequest(
        { hostname: base.hostname, port: base.port, path: req.url, method: req.method, headers: { ...req.headers, host: base.host } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        },
      );
      out.on('error', reject);
      out.end(body);
    });
  /** Waits while the first matching rule (armed when the request reaches this phase) holds it; at once when none. */
  const gate = async (req: IncomingMessage, phase: HoldRule['phase']) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    const r = rules.find((x) => !x.released && x.phase === phase && x.method === req.method && x.path.test(path));
    if (!r) return;
    r.held += 1;
    r.onReached();
    await new Promise<void>((resolve) => r.waiters.push(resolve));
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      seen.push(`${req.method} ${req.url}`);
      const body = await readBody(req);
      await gate(req, 'before');
      const answer = await forward(req, body);
      await gate(req, 'after');
      if (res.destroyed) return; // the client went away (a killed keeper)
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
    })().catch(() => {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(502);
        res.end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    hold(rule) {
      let onReached = () => {};
      const reached = new Promise<void>((resolve) => (onReached = resolve));
      const r = { ...rule, held: 0, released: false, waiters: [] as Array<() => void>, onReached };
      rules.push(r);
      return {
        reached,
        count: () => r.held,
        release() {
          r.released = true;
          for (const w of r.waiters.splice(0)) w();
        },
      };
    },
    seen: () => [...seen],
    close: () =>
      new Promise<void>((resolve) => {
        for (const r of rules) {
          r.released = true;
          for (const w of r.waiters.splice(0)) w();
        }
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
