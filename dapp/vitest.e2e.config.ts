import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['e2e/**/*.e2e.ts'],
    testTimeout: 180_000,
    hookTimeout: 15 * 60_000,
    fileParallelism: false,
    reporters: ['verbose'],
  },
});
