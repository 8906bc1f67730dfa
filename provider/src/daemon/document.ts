// The job document of a routed job. Tracked: the text published on-chain with the spec. Untracked: the keeper's
// copy, fetched with a DocumentRequest signed by this wallet (the job's operator). Either way the text must hash to
// the on-chain specHash before anything runs.
import { nectoDomain, parseJobDocumentText, specHashOfText, typedDataFor, type JobDocument } from '@necto/keeper/domain';
import type { Address, Hex, LocalAccount } from 'viem';
import type { Market } from '../chain/market.js';

/** The document cannot be had now but may later (keeper down, buyer has not handed it over yet). */
export class DocumentUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DocumentUnavailableError';
  }
}

/** The document will never be acceptable (wrong hash, not a valid job document, not published). */
export class DocumentInvalidError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DocumentInvalidError';
  }
}

export interface DocumentSource {
  fetch(jobId: bigint, tracked: boolean): Promise<JobDocument>;
}

const SIGNATURE_LIFETIME_SEC = 120;

export function createDocumentSource(opts: {
  market: Market;
  fromBlock: bigint;
  keeperUrl: string;
  account: LocalAccount;
  chainId: number;
  jobMarket: Address;
  fetch?: typeof fetch;
  nowSec?: () => number;
}): DocumentSource {
  const fetchFn = opts.fetch ?? fetch;
  const nowSec = opts.nowSec ?? (() => Math.floor(Date.now() / 1000));
  const base = opts.keeperUrl.replace(/\/+$/, '');

  const accept = (text: string, specHash: Hex, where: string): JobDocument => {
    const actual = specHashOfText(text);
    if (actual !== specHash.toLowerCase()) throw new DocumentInvalidError(`${where}: the document hashes to ${actual}, the job's specHash is ${specHash}`);
    const parsed = parseJobDocumentText(text);
    if (!parsed.ok) throw new DocumentInvalidError(`${where}: not a job document (${parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; ')})`);
    return parsed.document;
  };

  return {
    async fetch(jobId, tracked) {
      if (tracked) {
        const spec = await opts.market.publishedSpec(jobId, opts.fromBlock);
        if (!spec) throw new DocumentUnavailableError(`job ${jobId}: no JobSpecPublished yet`);
        if (spec.document === null) throw new DocumentInvalidError(`job ${jobId}: this deployment publishes no document with tracked specs`);
        return accept(spec.document, spec.specHash, `job ${jobId} (on-chain)`);
      }
      // The on-chain specHash the text must hash to is read while the keeper is asked.
      const specHashRead = opts.market.specHash(jobId, opts.fromBlock);
      specHashRead.catch(() => undefined); // awaited below, after the request
      const expires = BigInt(nowSec() + SIGNATURE_LIFETIME_SEC);
      const requester = opts.account.address;
      const signature = await opts.account.signTypedData(typedDataFor(nectoDomain(opts.chainId, opts.jobMarket), 'DocumentRequest', { jobId, requester, expires }));
      let res: Response;
      try {
        res = await fetchFn(`${base}/jobs/${jobId}/document`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ requester, expires: expires.toString(), signature }),
        });
      } catch (err) {
        throw new DocumentUnavailableError(`keeper at ${base} unreachable: ${(err as Error).message}`);
      }
      const text = await res.text();
      const specHash = await specHashRead;
      if (!specHash) throw new DocumentUnavailableError(`job ${jobId}: no JobSubmitted found`);
      if (res.status === 200) return accept(text, specHash, `job ${jobId} (keeper)`);
      // 404: the buyer has not handed the document over yet; 5xx: the keeper is unwell. Both may pass.
      if (res.status === 404 || res.status >= 500 || res.status === 429) throw new DocumentUnavailableError(`keeper answered ${res.status} for job ${jobId}: ${text.slice(0, 200)}`);
      throw new DocumentInvalidError(`keeper refused the document of job ${jobId} (${res.status}): ${text.slice(0, 200)}`);
    },
  };
}
