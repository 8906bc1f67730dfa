import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Runtime tests start real containers on a 2-core CI box.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
