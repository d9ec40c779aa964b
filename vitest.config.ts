import { defineConfig } from 'vitest/config';

// Integration tests start real Temporal servers, workers and databases: two cores run at most two
// test files at once, and long timeouts leave room for a cold Temporal dev server.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', '**/*.test.ts'],
    exclude: ['node_modules/**', '.loom/**', 'dist/**'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: 2,
    fileParallelism: true,
  },
});
