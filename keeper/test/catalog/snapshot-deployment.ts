import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The newest `recordedAt` of the recorded snapshots (unix s). */
export const SNAPSHOT_RECORDED_AT = Math.max(
  ...Object.values(
    (JSON.parse(readFileSync(fileURLToPath(new URL('../../snapshots/manifest.json', import.meta.url)), 'utf8')) as {
      sources: Record<string, { recordedAt: number }>;
    }).sources,
  ).map((s) => s.recordedAt),
);

/**
 * Catalog options for tests that route over the snapshots as if they had just been recorded, in a
 * deployment where every snapshot market has a launcher (so the routing itself is what is tested).
 */
export const SNAPSHOT_DEPLOYMENT = {
  now: () => (SNAPSHOT_RECORDED_AT + 60) * 1000,
  launchers: { onchain: 'provider-agent', akash: 'akash-deployer', lambda: 'lambda-launcher', 'aws-spot': 'aws-launcher' },
} as const;
