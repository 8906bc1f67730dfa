// A result manifest for tests (the shape the provider agent writes).
import type { ResultManifest } from '@necto/keeper/domain';

export function sampleManifest(over: Partial<ResultManifest> = {}): ResultManifest {
  return {
    kind: 'necto.result/1',
    chainId: 31337,
    jobMarket: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
    jobId: '12',
    round: 1,
    provider: '0x70997970C51812dc3A010C7d01b50e20d17dc79C',
    market: 'onchain',
    image: 'necto/demo:1',
    imageDigest: `sha256:${'ab'.repeat(32)}`,
    command: ['sh', '-c', 'echo hi > /outputs/result.txt'],
    startedAt: 1_800_000_000,
    finishedAt: 1_800_000_030,
    exitCode: 0,
    reason: 'ok',
    log: { root: `0x${'11'.repeat(32)}`, bytes: 120, truncated: false },
    outputs: [{ path: 'result.txt', size: 3, sha256: `0x${'22'.repeat(32)}`, root: `0x${'33'.repeat(32)}` }],
    runtime: { kind: 'docker', version: '5.4.2' },
    ...over,
  };
}
