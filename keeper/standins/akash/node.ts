/**
 * LOCAL AKASH STAND-IN — not Akash. A loopback (127.0.0.1) imitation of an Akash node's REST API (the
 * cosmos-sdk grpc-gateway routes a client uses), for tests and the local stack where no Akash network is
 * reachable. It decodes each posted TxRaw, verifies its direct-mode signature against the signer's account
 * (chain id, account number, sequence), charges fees and applies the deployment / market / escrow rules the
 * Akash modules enforce for the messages Necto sends:
 *  - MsgCreateDeployment: dseq unique per owner, at least one group, deposit ≥ the minimum, taken from the
 *    owner's balance into the deployment's escrow; one open order per group. Configured stand-in providers whose
 *    attributes fit bid on each order after `bidDelayMs` (a provider configured `bids: false` never bids).
 *  - MsgCreateLease: only the owner, only an open bid on an open order; the bid becomes active, the others lost.
 *  - MsgAccountDeposit: adds to an open deployment's escrow from the signer's balance.
 *  - MsgCloseDeployment: only the owner; closes the deployment, its orders, bids and leases, refunds the escrow
 *    to whoever funded it (the owner, or the granter of a deposit taken from a grant).
 *  - authz MsgGrant of an escrow DepositAuthorization (scope deployment): a deposit with source `grant` is taken
 *    from the granter's balance, within the grant's remaining spend limit and before its expiration (the grant is
 *    spent down and removed when used up), as the escrow module does with `sources: [grant]`.
 *  - feegrant MsgGrantAllowance of a BasicAllowance: creates the grantee's account if it has none; a tx naming the
 *    granter as fee granter is paid from the granter's balance within the allowance (spent down).
 * Stand-in control (no Akash node has it): `PUT /necto-standin/providers/{address}/bids` with `{"bids": false}`
 * makes a stand-in provider stop bidding (a provider that never answers an order), `true` makes it bid again.
 * Gas: `simulate` reports the gas a tx uses; a tx with a lower gas limit fails with code 11 (out of gas), its fee
 * charged and sequence used, as on a cosmos chain. Escrow is not drained per block (no billing here).
 */
import { createHash } from 'node:crypto';
import { serve, type ServerType } from '@hono/node-server';
import { toBase64 } from '@cosmjs/encoding';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { cors } from 'hono/cors';
import { DEPOSIT_SOURCE, TYPE_URL, TxVerifyError, basicAllowanceOf, decodeTx, depositAuthorizationOf, verifyTxRaw, type Coin } from '../../src/akash/messages.js';

export interface StandinProvider {
  address: string;
  hostUri: string;
  /** GPU models it has (lower case); [] = any. */
  gpuModels: string[];
  /** Its bid as a fraction of the order's max price (0 < f ≤ 1). */
  priceFraction: number;
  /** false: never bids (to exercise the no-bid path). */
  bids: boolean;
}

export interface StandinNodeOptions {
  chainId?: string;
  /** Accounts with their opening balances (base units). */
  accounts: Array<{ address: string; balances: Coin[] }>;
  providers?: StandinProvider[];
  bidDelayMs?: number;
  minDeposit?: Coin;
  /** Gas a tx uses: base + per message. */
  gas?: { base: number; perMsg: number };
  port?: number;
}

type Json = Record<string, unknown>;
type DState = 'active' | 'closed';

interface Account {
  address: string;
  accountNumber: number;
  sequence: number;
  pubkey: Uint8Array | null;
  balances: Map<string, bigint>;
}
interface Deployment {
  owner: string;
  dseq: bigint;
  state: DState;
  hash: Uint8Array;
  groups: GroupSpecLike[];
  createdAt: number;
  escrow: { denom: string; amount: bigint };
  /** Who the escrow is refunded to: the owner, or the granter whose deposit grant funded it. */
  depositor: string;
}
interface DepositGrant { granter: string; grantee: string; spendLimit: { denom: string; amount: bigint }; expiresAtSec: number | null }
interface FeeAllowance { granter: string; grantee: string; spendLimit: Map<string, bigint>; expiresAtSec: number | null }
interface GroupSpecLike {
  name: string;
  resources: Array<{ count: number; price?: { denom: string; amount: string }; resource?: { gpu?: { attributes?: Array<{ key: string; value: string }> } } }>;
}
interface Order { owner: string; dseq: bigint; gseq: number; oseq: number; state: 'open' | 'active' | 'closed'; maxPrice: { denom: string; amount: string } }
interface Bid { owner: string; dseq: bigint; gseq: number; oseq: number; provider: string; bseq: number; state: 'open' | 'active' | 'lost' | 'closed'; price: { denom: string; amount: string }; createdAt: number }
interface Lease { owner: string; dseq: bigint; gseq: number; oseq: number; provider: string; bseq: number; state: 'active' | 'closed'; price: { denom: string; amount: string }; createdAt: number; closedOn: number }
interface TxResult { height: number; txhash: string; code: number; raw_log: string; gas_wanted: string; gas_used: string; codespace: string }

export class StandinTxError extends Error {
  constructor(readonly code: number, readonly codespace: string, message: string) {
    super(message);
  }
}

const dec18 = (amount: string) => (amount.includes('.') ? amount : `${amount}.000000000000000000`);

export interface StandinNode {
  url: string;
  chainId: string;
  app: Hono;
  height(): number;
  /** The account's public key once it has signed a tx (what the gateway verifies JWTs against). */
  pubkeyOf(address: string): Uint8Array | null;
  leasesOf(owner: string, dseq: bigint): Lease[];
  deploymentsOf(owner: string): Deployment[];
  balanceOf(address: string, denom: string): bigint;
  /** The remaining spend limit of `granter`'s deposit grant to `grantee` (null: none). */
  depositGrant(granter: string, grantee: string): Coin | null;
  /** Adds stand-in providers after start (their gateways listen on ports known only once started). */
  addProvider(p: StandinProvider): void;
  /** Stand-in behaviour: whether the provider bids on new orders (false: it never bids). */
  setBids(address: string, bids: boolean): boolean;
  close(): Promise<void>;
}

export async function startStandinNode(opts: StandinNodeOptions): Promise<StandinNode> {
  const chainId = opts.chainId ?? 'akash-local-standin';
  const gas = opts.gas ?? { base: 60_000, perMsg: 45_000 };
  const minDeposit = opts.minDeposit ?? { denom: 'uact', amount: '500000' };
  const providers = [...(opts.providers ?? [])];
  const accounts = new Map<string, Account>();
  let nextAccount = 0;
  const account = (address: string): Account => {
    let a = accounts.get(address);
    if (!a) {
      a = { address, accountNumber: nextAccount++, sequence: 0, pubkey: null, balances: new Map() };
      accounts.set(address, a);
    }
    return a;
  };
  for (const a of opts.accounts) {
    const acc = account(a.address);
    for (const c of a.balances) acc.balances.set(c.denom, (acc.balances.get(c.denom) ?? 0n) + BigInt(c.amount));
  }
  const deployments = new Map<string, Deployment>();
  const orders: Order[] = [];
  const bids: Bid[] = [];
  const leases: Lease[] = [];
  const txs = new Map<string, TxResult>();
  let depositGrants: DepositGrant[] = [];
  let feeAllowances: FeeAllowance[] = [];
  const nowSec = () => Math.floor(Date.now() / 1000);
  const live = (g: { expiresAtSec: number | null }) => g.expiresAtSec === null || g.expiresAtSec > nowSec();
  const timers = new Set<NodeJS.Timeout>();
  let height = 1;
  const started = Date.now();
  const blockTime = () => new Date(started + height * 6_000).toISOString();

  const debit = (a: Account, coin: { denom: string; amount: bigint }) => {
    const have = a.balances.get(coin.denom) ?? 0n;
    if (have < coin.amount) throw new StandinTxError(5, 'sdk', `insufficient funds: ${have}${coin.denom} is smaller than ${coin.amount}${coin.denom}`);
    a.balances.set(coin.denom, have - coin.amount);
  };
  const credit = (a: Account, coin: { denom: string; amount: bigint }) => a.balances.set(coin.denom, (a.balances.get(coin.denom) ?? 0n) + coin.amount);
  const dkey = (owner: string, dseq: bigint) => `${owner}/${dseq}`;

  const scheduleBids = (d: Deployment) => {
    d.groups.forEach((g, gi) => {
      const gseq = gi + 1;
      const models = (g.resources[0]?.resource?.gpu?.attributes ?? [])
        .map((a) => /^vendor\/nvidia\/model\/([^/]+)/.exec(a.key)?.[1])
        .filter((m): m is string => Boolean(m));
      for (const p of providers) {
        if (!p.bids) continue;
        if (p.gpuModels.length > 0 && models.length > 0 && !models.some((m) => p.gpuModels.includes(m))) continue;
        const t = setTimeout(() => {
          timers.delete(t);
          if (!p.bids) return;
          const order = orders.find((o) => o.owner === d.owner && o.dseq === d.dseq && o.gseq === gseq);
          if (!order || order.state !== 'open' || deployments.get(dkey(d.owner, d.dseq))?.state !== 'active') return;
          const max = Number(order.maxPrice.amount);
          const amount = Math.max(1, Math.floor(max * p.priceFraction));
          bids.push({ owner: d.owner, dseq: d.dseq, gseq: order.gseq, oseq: order.oseq, provider: p.address, bseq: 0, state: 'open', price: { denom: order.maxPrice.denom, amount: String(amount) }, createdAt: height });
        }, opts.bidDelayMs ?? 50);
        timers.add(t);
      }
    });
  };

  const apply = (signer: Account, msg: { typeUrl: string; value: any }) => {
    const v = msg.value;
    switch (msg.typeUrl) {
      case TYPE_URL.createDeployment: {
        const owner = v.id?.owner as string;
        if (owner !== signer.address) throw new StandinTxError(4, 'sdk', 'signer is not the deployment owner');
        const dseq = BigInt(v.id.dseq.toString());
        if (dseq <= 0n) throw new StandinTxError(2, 'deployment', 'invalid deployment sequence');
        if (deployments.has(dkey(owner, dseq))) throw new StandinTxError(4, 'deployment', 'deployment exists');
        if (!Array.isArray(v.groups) || v.groups.length === 0) throw new StandinTxError(2, 'deployment', 'deployment has no groups');
        if (!(v.hash instanceof Uint8Array) || v.hash.length !== 32) throw new StandinTxError(2, 'deployment', 'invalid deployment hash');
        const dep = v.deposit?.amount as Coin | undefined;
        if (!dep || dep.denom !== minDeposit.denom || BigInt(dep.amount) < BigInt(minDeposit.amount)) {
          throw new StandinTxError(8, 'escrow', `deposit must be at least ${minDeposit.amount}${minDeposit.denom}`);
        }
        for (const g of v.groups as GroupSpecLike[]) {
          const price = g.resources[0]?.price;
          if (!price || price.denom !== dep.denom) throw new StandinTxError(2, 'deployment', 'group price denom must match the deposit denom');
        }
        const sources = (v.deposit?.sources ?? []) as number[];
        let depositor = owner;
        if (sources.length === 1 && sources[0] === DEPOSIT_SOURCE.grant) {
          const g = depositGrants.find((x) => x.grantee === owner && x.spendLimit.denom === dep.denom && live(x));
          if (!g) throw new StandinTxError(4, 'authz', 'authorization not found: no deposit grant for the owner');
          if (g.spendLimit.amount < BigInt(dep.amount)) throw new StandinTxError(5, 'authz', `requested amount is more than spend limit ${g.spendLimit.amount}${g.spendLimit.denom}`);
          debit(account(g.granter), { denom: dep.denom, amount: BigInt(dep.amount) });
          g.spendLimit.amount -= BigInt(dep.amount);
          if (g.spendLimit.amount === 0n) depositGrants = depositGrants.filter((x) => x !== g);
          depositor = g.granter;
        } else if (sources.length === 1 && sources[0] === DEPOSIT_SOURCE.balance) {
          debit(signer, { denom: dep.denom, amount: BigInt(dep.amount) });
        } else {
          throw new StandinTxError(2, 'escrow', 'deposit sources must be [balance] or [grant]');
        }
        const d: Deployment = { owner, dseq, state: 'active', hash: v.hash, groups: v.groups, createdAt: height, escrow: { denom: dep.denom, amount: BigInt(dep.amount) }, depositor };
        deployments.set(dkey(owner, dseq), d);
        d.groups.forEach((g, i) => orders.push({ owner, dseq, gseq: i + 1, oseq: 1, state: 'open', maxPrice: { denom: g.resources[0]!.price!.denom, amount: g.resources[0]!.price!.amount } }));
        scheduleBids(d);
        return;
      }
      case TYPE_URL.createLease: {
        const id = v.bidId;
        if (id?.owner !== signer.address) throw new StandinTxError(4, 'market', 'signer is not the order owner');
        const dseq = BigInt(id.dseq.toString());
        const bid = bids.find((b) => b.owner === id.owner && b.dseq === dseq && b.gseq === id.gseq && b.oseq === id.oseq && b.provider === id.provider && b.bseq === id.bseq);
        if (!bid) throw new StandinTxError(7, 'market', 'unknown bid');
        if (bid.state !== 'open') throw new StandinTxError(8, 'market', `bid not open (${bid.state})`);
        const order = orders.find((o) => o.owner === bid.owner && o.dseq === dseq && o.gseq === bid.gseq && o.oseq === bid.oseq)!;
        if (order.state !== 'open') throw new StandinTxError(8, 'market', 'order not open');
        order.state = 'active';
        for (const b of bids) if (b.owner === bid.owner && b.dseq === dseq && b.gseq === bid.gseq && b.oseq === bid.oseq) b.state = b === bid ? 'active' : 'lost';
        leases.push({ owner: bid.owner, dseq, gseq: bid.gseq, oseq: bid.oseq, provider: bid.provider, bseq: bid.bseq, state: 'active', price: bid.price, createdAt: height, closedOn: 0 });
        return;
      }
      case TYPE_URL.accountDeposit: {
        if (v.signer !== signer.address) throw new StandinTxError(4, 'escrow', 'signer mismatch');
        if (v.id?.scope !== 1) throw new StandinTxError(2, 'escrow', 'only deployment escrow accounts are kept here');
        const [owner, dseqText] = String(v.id.xid).split('/');
        const d = deployments.get(dkey(owner ?? '', BigInt(dseqText ?? '0')));
        if (!d || d.state !== 'active') throw new StandinTxError(7, 'escrow', 'escrow account not found or closed');
        const amount = v.deposit?.amount as Coin | undefined;
        if (!amount || amount.denom !== d.escrow.denom) throw new StandinTxError(2, 'escrow', 'deposit denom must match the escrow denom');
        debit(signer, { denom: amount.denom, amount: BigInt(amount.amount) });
        d.escrow.amount += BigInt(amount.amount);
        return;
      }
      case TYPE_URL.closeDeployment: {
        const owner = v.id?.owner as string;
        if (owner !== signer.address) throw new StandinTxError(4, 'deployment', 'signer is not the deployment owner');
        const d = deployments.get(dkey(owner, BigInt(v.id.dseq.toString())));
        if (!d) throw new StandinTxError(7, 'deployment', 'deployment not found');
        if (d.state !== 'active') throw new StandinTxError(8, 'deployment', 'deployment closed');
        d.state = 'closed';
        for (const o of orders) if (o.owner === owner && o.dseq === d.dseq) o.state = 'closed';
        for (const b of bids) if (b.owner === owner && b.dseq === d.dseq && (b.state === 'open' || b.state === 'active')) b.state = 'closed';
        for (const l of leases) if (l.owner === owner && l.dseq === d.dseq && l.state === 'active') {
          l.state = 'closed';
          l.closedOn = height;
        }
        credit(account(d.depositor), { denom: d.escrow.denom, amount: d.escrow.amount });
        d.escrow.amount = 0n;
        return;
      }
      case TYPE_URL.grant: {
        if (v.granter !== signer.address) throw new StandinTxError(4, 'authz', 'signer is not the granter');
        if (!v.grantee || v.grantee === v.granter) throw new StandinTxError(2, 'authz', 'grantee and granter should be different');
        const auth = depositAuthorizationOf(v.grant ?? {});
        if (!auth) throw new StandinTxError(2, 'authz', 'only escrow DepositAuthorization grants are kept here');
        if (!auth.scopes.includes(1)) throw new StandinTxError(2, 'authz', 'the deposit authorization must include scope deployment');
        if (!auth.spendLimit || BigInt(auth.spendLimit.amount) <= 0n) throw new StandinTxError(2, 'authz', 'spend limit must be positive');
        const exp = v.grant?.expiration ? Number(v.grant.expiration.seconds) : null;
        if (exp !== null && exp <= nowSec()) throw new StandinTxError(2, 'authz', 'expiration must be in the future');
        // A new grant of the same type replaces the old one (authz keys grants by granter, grantee and type).
        depositGrants = depositGrants.filter((g) => !(g.granter === v.granter && g.grantee === v.grantee));
        depositGrants.push({ granter: v.granter, grantee: v.grantee, spendLimit: { denom: auth.spendLimit.denom, amount: BigInt(auth.spendLimit.amount) }, expiresAtSec: exp });
        return;
      }
      case TYPE_URL.grantAllowance: {
        if (v.granter !== signer.address) throw new StandinTxError(4, 'feegrant', 'signer is not the granter');
        if (!v.grantee || v.grantee === v.granter) throw new StandinTxError(2, 'feegrant', 'cannot self-grant fee authorization');
        const a = basicAllowanceOf(v.allowance);
        if (!a) throw new StandinTxError(2, 'feegrant', 'only BasicAllowance is kept here');
        if (feeAllowances.some((f) => f.granter === v.granter && f.grantee === v.grantee && live(f))) throw new StandinTxError(18, 'feegrant', 'fee allowance already exists');
        feeAllowances = feeAllowances.filter((f) => !(f.granter === v.granter && f.grantee === v.grantee));
        feeAllowances.push({ granter: v.granter, grantee: v.grantee, spendLimit: new Map(a.spendLimit.map((c) => [c.denom, BigInt(c.amount)])), expiresAtSec: a.expiresAtSec });
        // The feegrant keeper creates the grantee's account when it has none.
        account(v.grantee);
        return;
      }
      default:
        throw new StandinTxError(6, 'sdk', `unrecognized message type ${msg.typeUrl}`);
    }
  };

  const gasOf = (msgs: number) => gas.base + gas.perMsg * msgs;

  /** CheckTx + DeliverTx of one tx, in its own block. */
  const broadcast = async (bytes: Uint8Array): Promise<TxResult> => {
    const txhash = createHash('sha256').update(bytes).digest('hex').toUpperCase();
    const seen = txs.get(txhash);
    if (seen) return { ...seen, code: 19, raw_log: 'tx already in mempool', codespace: 'sdk' };
    const base = { txhash, height: 0, gas_wanted: '0', gas_used: '0', codespace: '' };
    let tx;
    try {
      tx = decodeTx(bytes);
    } catch (err) {
      return { ...base, code: 2, codespace: 'sdk', raw_log: err instanceof Error ? err.message : 'tx parse error' };
    }
    const signer = accounts.get(tx.signer);
    if (!signer) return { ...base, code: 9, codespace: 'sdk', raw_log: `account ${tx.signer} not found` };
    if (tx.sequence !== BigInt(signer.sequence)) {
      return { ...base, code: 32, codespace: 'sdk', raw_log: `account sequence mismatch, expected ${signer.sequence}, got ${tx.sequence}: incorrect account sequence` };
    }
    try {
      await verifyTxRaw(bytes, chainId, signer.accountNumber);
    } catch (err) {
      return { ...base, code: 4, codespace: 'sdk', raw_log: `signature verification failed; please verify account number (${signer.accountNumber}) and chain-id (${chainId}): ${err instanceof TxVerifyError ? err.message : 'unauthorized'}` };
    }
    const feeCoin = tx.fee.amount[0];
    try {
      if (tx.fee.granter && tx.fee.granter !== signer.address) {
        const f = feeAllowances.find((x) => x.granter === tx.fee.granter && x.grantee === signer.address && live(x));
        if (!f) throw new StandinTxError(13, 'feegrant', `${tx.fee.granter} does not allow to pay fees for ${signer.address}: fee-grant not found`);
        if (feeCoin) {
          const left = f.spendLimit.get(feeCoin.denom);
          if (f.spendLimit.size > 0 && (left === undefined || left < BigInt(feeCoin.amount))) throw new StandinTxError(13, 'feegrant', 'basic allowance: fee limit exceeded');
          debit(account(tx.fee.granter), { denom: feeCoin.denom, amount: BigInt(feeCoin.amount) });
          if (left !== undefined) f.spendLimit.set(feeCoin.denom, left - BigInt(feeCoin.amount));
        }
      } else if (feeCoin) debit(signer, { denom: feeCoin.denom, amount: BigInt(feeCoin.amount) });
    } catch (err) {
      if (err instanceof StandinTxError && err.codespace === 'feegrant') return { ...base, code: err.code, codespace: err.codespace, raw_log: err.message };
      return { ...base, code: 5, codespace: 'sdk', raw_log: err instanceof Error ? err.message : 'insufficient fee' };
    }
    signer.pubkey ??= tx.pubkey;
    signer.sequence += 1;
    height += 1;
    const used = gasOf(tx.messages.length);
    const result: TxResult = { ...base, height, gas_wanted: tx.fee.gasLimit.toString(), gas_used: String(Math.min(used, Number(tx.fee.gasLimit))), code: 0, raw_log: '' };
    if (BigInt(used) > tx.fee.gasLimit) {
      Object.assign(result, { code: 11, codespace: 'sdk', raw_log: `out of gas in location: txSize; gasWanted: ${tx.fee.gasLimit}, gasUsed: ${used}: out of gas` });
    } else {
      // Messages apply all or nothing (the fee and the sequence stay spent, as on a cosmos chain).
      const snapshot = structuredClone({ accounts: [...accounts], deployments: [...deployments], orders, bids, leases, depositGrants, feeAllowances });
      try {
        for (const m of tx.messages) apply(signer, m);
      } catch (err) {
        const e = err instanceof StandinTxError ? err : new StandinTxError(1, 'sdk', String(err));
        Object.assign(result, { code: e.code, codespace: e.codespace, raw_log: e.message });
        accounts.clear();
        for (const [k, v] of snapshot.accounts) accounts.set(k, v);
        deployments.clear();
        for (const [k, v] of snapshot.deployments) deployments.set(k, v);
        orders.splice(0, orders.length, ...snapshot.orders);
        bids.splice(0, bids.length, ...snapshot.bids);
        leases.splice(0, leases.length, ...snapshot.leases);
        depositGrants = snapshot.depositGrants;
        feeAllowances = snapshot.feeAllowances;
      }
    }
    txs.set(txhash, result);
    return result;
  };

  const setBids = (address: string, on: boolean) => {
    const p = providers.find((x) => x.address === address);
    if (!p) return false;
    p.bids = on;
    return true;
  };

  const app = new Hono();
  // Public nodes serve their REST API to browsers (wallet UIs broadcast from the page).
  app.use('*', cors());
  const notFound = (message: string) => ({ code: 5, message, details: [] });
  const idJson = (x: { owner: string; dseq: bigint; gseq: number; oseq: number; provider: string; bseq: number }) => ({ owner: x.owner, dseq: x.dseq.toString(), gseq: x.gseq, oseq: x.oseq, provider: x.provider, bseq: x.bseq });
  const txBody = z.object({ tx_bytes: z.string().min(1), mode: z.string().optional() });

  app.get('/cosmos/base/tendermint/v1beta1/blocks/latest', (c) => c.json({ block: { header: { chain_id: chainId, height: String(height), time: blockTime() } } }));
  app.get('/cosmos/auth/v1beta1/accounts/:address', (c) => {
    const a = accounts.get(c.req.param('address'));
    if (!a) return c.json(notFound(`account ${c.req.param('address')} not found`), 404);
    return c.json({
      account: {
        '@type': '/cosmos.auth.v1beta1.BaseAccount',
        address: a.address,
        pub_key: a.pubkey ? { '@type': '/cosmos.crypto.secp256k1.PubKey', key: toBase64(a.pubkey) } : null,
        account_number: String(a.accountNumber),
        sequence: String(a.sequence),
      },
    });
  });
  app.get('/cosmos/bank/v1beta1/balances/:address', (c) => {
    const a = accounts.get(c.req.param('address'));
    return c.json({ balances: a ? [...a.balances].filter(([, v]) => v > 0n).map(([denom, v]) => ({ denom, amount: v.toString() })) : [], pagination: { next_key: null, total: '0' } });
  });
  app.post('/cosmos/tx/v1beta1/simulate', async (c) => {
    const body = txBody.safeParse(await c.req.json().catch(() => null));
    if (!body.success) return c.json({ code: 3, message: 'invalid request', details: [] }, 400);
    try {
      const tx = decodeTx(Buffer.from(body.data.tx_bytes, 'base64'));
      const used = gasOf(tx.messages.length);
      return c.json({ gas_info: { gas_wanted: tx.fee.gasLimit.toString(), gas_used: String(used) }, result: { data: '', log: '', events: [] } });
    } catch (err) {
      return c.json({ code: 2, message: err instanceof Error ? err.message : 'tx parse error', details: [] }, 400);
    }
  });
  app.post('/cosmos/tx/v1beta1/txs', async (c) => {
    const body = txBody.safeParse(await c.req.json().catch(() => null));
    if (!body.success) return c.json({ code: 3, message: 'invalid request', details: [] }, 400);
    const r = await broadcast(Buffer.from(body.data.tx_bytes, 'base64'));
    // Sync mode: a CheckTx failure is answered at once; a DeliverTx result is then queryable by hash.
    return c.json({ tx_response: { ...r, height: String(r.height), logs: [], info: '', data: '', events: [] } });
  });
  app.get('/cosmos/tx/v1beta1/txs/:hash', (c) => {
    const r = txs.get(c.req.param('hash').toUpperCase());
    if (!r) return c.json(notFound(`tx not found: ${c.req.param('hash')}`), 404);
    return c.json({ tx: null, tx_response: { ...r, height: String(r.height), logs: [], events: [] } });
  });

  const deploymentJson = (d: Deployment) => ({
    deployment: { id: { owner: d.owner, dseq: d.dseq.toString() }, state: d.state, hash: toBase64(d.hash), created_at: String(d.createdAt) },
    groups: d.groups.map((g, i) => ({
      id: { owner: d.owner, dseq: d.dseq.toString(), gseq: i + 1 },
      state: d.state === 'active' ? (orders.some((o) => o.owner === d.owner && o.dseq === d.dseq && o.gseq === i + 1 && o.state !== 'closed') ? 'open' : 'closed') : 'closed',
      group_spec: { name: g.name },
      created_at: String(d.createdAt),
    })),
    escrow_account: {
      id: { scope: 'deployment', xid: `${d.owner}/${d.dseq}` },
      state: { owner: d.owner, state: d.state === 'active' ? 'open' : 'closed', funds: [{ denom: d.escrow.denom, amount: dec18(d.escrow.amount.toString()) }] },
    },
  });
  app.get('/akash/deployment/v1beta4/deployments/info', (c) => {
    const owner = c.req.query('id.owner') ?? '';
    const dseq = c.req.query('id.dseq') ?? '';
    const d = /^\d+$/.test(dseq) ? deployments.get(dkey(owner, BigInt(dseq))) : undefined;
    if (!d) return c.json(notFound('deployment not found'), 404);
    return c.json(deploymentJson(d));
  });
  app.get('/akash/deployment/v1beta4/deployments/list', (c) => {
    const owner = c.req.query('filters.owner');
    const state = c.req.query('filters.state');
    const list = [...deployments.values()].filter((d) => (!owner || d.owner === owner) && (!state || d.state === state));
    return c.json({ deployments: list.map(deploymentJson), pagination: { next_key: null, total: String(list.length) } });
  });
  const matches = (x: { owner: string; dseq: bigint; state: string; provider?: string }, c: { req: { query(k: string): string | undefined } }) => {
    const owner = c.req.query('filters.owner');
    const dseq = c.req.query('filters.dseq');
    const state = c.req.query('filters.state');
    const provider = c.req.query('filters.provider');
    return (!owner || x.owner === owner) && (!dseq || x.dseq.toString() === dseq) && (!state || x.state === state) && (!provider || x.provider === provider);
  };
  app.get('/akash/market/v1beta5/bids/list', (c) => {
    const list = bids.filter((b) => matches(b, c));
    return c.json({
      bids: list.map((b) => ({
        bid: { id: idJson(b), state: b.state, price: { denom: b.price.denom, amount: dec18(b.price.amount) }, created_at: String(b.createdAt), resources_offer: [] },
        escrow_account: { id: { scope: 'bid', xid: `${b.owner}/${b.dseq}/${b.gseq}/${b.oseq}/${b.provider}` }, state: { owner: b.provider, state: 'open', funds: [] } },
      })),
      pagination: { next_key: null, total: String(list.length) },
    });
  });
  app.get('/akash/market/v1beta5/leases/list', (c) => {
    const list = leases.filter((l) => matches(l, c));
    return c.json({
      leases: list.map((l) => ({
        lease: { id: idJson(l), state: l.state, price: { denom: l.price.denom, amount: dec18(l.price.amount) }, created_at: String(l.createdAt), closed_on: String(l.closedOn) },
        escrow_payment: { id: { aid: { scope: 'deployment', xid: `${l.owner}/${l.dseq}` }, xid: `${l.gseq}/${l.oseq}/${l.provider}` }, state: { owner: l.provider, state: l.state === 'active' ? 'open' : 'closed' } },
      })),
      pagination: { next_key: null, total: String(list.length) },
    });
  });
  app.get('/cosmos/authz/v1beta1/grants', (c) => {
    const granter = c.req.query('granter') ?? '';
    const grantee = c.req.query('grantee') ?? '';
    const list = depositGrants.filter((g) => g.granter === granter && g.grantee === grantee && live(g));
    return c.json({
      grants: list.map((g) => ({
        authorization: { '@type': '/akash.escrow.v1.DepositAuthorization', spend_limit: { denom: g.spendLimit.denom, amount: g.spendLimit.amount.toString() }, scopes: ['deployment'] },
        expiration: g.expiresAtSec === null ? null : new Date(g.expiresAtSec * 1000).toISOString(),
      })),
      pagination: { next_key: null, total: String(list.length) },
    });
  });
  app.get('/cosmos/feegrant/v1beta1/allowance/:granter/:grantee', (c) => {
    const f = feeAllowances.find((x) => x.granter === c.req.param('granter') && x.grantee === c.req.param('grantee') && live(x));
    if (!f) return c.json(notFound('fee-grant not found'), 404);
    return c.json({ allowance: { granter: f.granter, grantee: f.grantee, allowance: { '@type': '/cosmos.feegrant.v1beta1.BasicAllowance', spend_limit: [...f.spendLimit].map(([denom, v]) => ({ denom, amount: v.toString() })), expiration: f.expiresAtSec === null ? null : new Date(f.expiresAtSec * 1000).toISOString() } } });
  });
  // Stand-in control, not an Akash route: make a provider stop (or resume) bidding.
  app.put('/necto-standin/providers/:owner/bids', async (c) => {
    const body = z.object({ bids: z.boolean() }).strict().safeParse(await c.req.json().catch(() => null));
    if (!body.success) return c.json({ code: 3, message: 'expected {"bids": true|false}', details: [] }, 400);
    if (!setBids(c.req.param('owner'), body.data.bids)) return c.json(notFound('invalid provider: address not found'), 404);
    return c.json({ provider: c.req.param('owner'), bids: body.data.bids });
  });
  app.get('/akash/provider/v1beta4/providers/:owner', (c) => {
    const p = providers.find((x) => x.address === c.req.param('owner'));
    if (!p) return c.json(notFound('invalid provider: address not found'), 404);
    return c.json({ provider: { owner: p.address, host_uri: p.hostUri, attributes: [{ key: 'necto-standin', value: 'true' }], info: { email: '', website: '' } } });
  });

  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: opts.port ?? 0 }, () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    chainId,
    app,
    height: () => height,
    pubkeyOf: (address) => accounts.get(address)?.pubkey ?? null,
    leasesOf: (owner, dseq) => leases.filter((l) => l.owner === owner && l.dseq === dseq),
    deploymentsOf: (owner) => [...deployments.values()].filter((d) => d.owner === owner),
    balanceOf: (address, denom) => accounts.get(address)?.balances.get(denom) ?? 0n,
    depositGrant: (granter, grantee) => {
      const g = depositGrants.find((x) => x.granter === granter && x.grantee === grantee && live(x));
      return g ? { denom: g.spendLimit.denom, amount: g.spendLimit.amount.toString() } : null;
    },
    addProvider: (p) => {
      providers.push(p);
      account(p.address);
    },
    setBids,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        server.close(() => resolve());
      }),
  };
}

