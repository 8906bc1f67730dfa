import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One anvil + deployment + build + devnode per file; the setup dominates.
    hookTimeout: 240_000,
    testTimeout: 60_000,
    fileParallelism: false,
  },
});
