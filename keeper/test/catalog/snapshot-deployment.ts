import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const RECORDED = Object.values(
  (JSON.parse(readFileSync(fileURLToPath(new URL('../../snapshots/manifest.json', import.meta.url)), 'utf8')) as {
    sources: Record<string, { recordedAt: number }>;
  }).sources,
).map((s) => s.recordedAt);

/** The oldest and newest `recordedAt` of the recorded snapshots (unix s). */
export const OLDEST_RECORDED_AT = Math.min(...RECORDED);
export const SNAPSHOT_RECORDED_AT = Math.max(...RECORDED);

/**
 * Catalog options for tests that route over the snapshots whatever their age (one TTL longer than any), in a
 * deployment where every snapshot market has a launcher, so the routing itself is what is tested.
 */
export const SNAPSHOT_DEPLOYMENT = {
  now: () => (SNAPSHOT_RECORDED_AT + 60) * 1000,
  maxAgeSec: 3_153_600_000,
  launchers: { onchain: 'provider-agent', akash: 'akash-deployer', lambda: 'lambda-launcher', 'aws-spot': 'aws-launcher', vast: 'vast-launcher', runpod: 'runpod-launcher', ionet: 'ionet-launcher' },
} as const;
