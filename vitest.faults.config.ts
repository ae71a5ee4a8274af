import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

/**
 * `npm run test:faults`: processes and databases killed under load. Slow (each test starts real
 * servers), so CI runs it once rather than once per database and Node version.
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['test/faults/**/*.test.ts', 'test/db/connection-loss.test.ts'],
    exclude: ['node_modules/**'],
    testTimeout: 300_000,
    // Each test runs servers of its own; two at once would fight over two cores.
    maxWorkers: 1,
  },
});
