// Verifies a reasoning log against the route committed on-chain, entirely in the browser: the 0G Merkle root
// and the keccak256 are recomputed from the bytes, and the log's own claims are checked against the commit.
import { keccak256, type Hex } from 'viem';
import { formatPricePerGpuHour } from '../../lib/format';
import { zeroGRootHash } from '../../lib/merkle0g';
import { reasoningLogClaimsSchema } from '@necto/keeper/domain';

export interface OnchainRoute {
  jobId: string;
  logRoot: string;
  decisionHash: string;
  providerRef: string;
  pricePerGpuHour: bigint;
}

export interface VerifyCheck {
  id: 'logRoot' | 'decisionHash' | 'jobKey' | 'choice';
  label: string;
  passed: boolean;
  expected: string;
  actual: string;
}

export interface VerifyResult {
  checks: VerifyCheck[];
  passed: boolean;
  computedRoot: Hex;
  computedHash: Hex;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** A provider ref (an address left-padded to bytes32) and a price in base units, as a person reads them. */
function choiceText(ref: string, price: string): string {
  const address = /^0x0{24}([0-9a-fA-F]{40})$/.exec(ref);
  return `${address ? `0x${address[1]}` : ref} @ ${/^\d+$/.test(price) ? formatPricePerGpuHour(BigInt(price)) : price}`;
}

export function verifyDecisionLog(bytes: Uint8Array, route: OnchainRoute): VerifyResult {
  const computedRoot = zeroGRootHash(bytes);
  const computedHash = keccak256(bytes);
  const checks: VerifyCheck[] = [
    { id: 'logRoot', label: '0G Merkle root of the log equals the on-chain logRoot', passed: same(computedRoot, route.logRoot), expected: route.logRoot, actual: computedRoot },
    { id: 'decisionHash', label: 'keccak256 of the log equals the on-chain decisionHash', passed: same(computedHash, route.decisionHash), expected: route.decisionHash, actual: computedHash },
  ];
  let log: ReturnType<typeof reasoningLogClaimsSchema.safeParse> | null = null;
  try {
    log = reasoningLogClaimsSchema.safeParse(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)));
  } catch {
    log = null;
  }
  const expectedKey = `job:${route.jobId}`;
  checks.push({
    id: 'jobKey',
    label: 'The log is about this job',
    passed: Boolean(log?.success && log.data.jobKey === expectedKey),
    expected: expectedKey,
    actual: log?.success ? log.data.jobKey : 'unreadable log',
  });
  const choice = log?.success ? log.data.choice : null;
  const choiceRef = typeof choice?.providerRef === 'string' ? choice.providerRef : '';
  const choicePrice = choice ? String(choice.pricePerGpuHour) : '';
  checks.push({
    id: 'choice',
    label: "The log's choice is the committed provider and price",
    passed: Boolean(choice && same(choiceRef, route.providerRef) && choicePrice === route.pricePerGpuHour.toString()),
    expected: choiceText(route.providerRef, route.pricePerGpuHour.toString()),
    actual: choice ? choiceText(choiceRef, choicePrice) : 'no choice in the log',
  });
  return { checks, passed: checks.every((c) => c.passed), computedRoot, computedHash };
}
