import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

/**
 * `npm run test:readme`: every README example, in order, against `npm start` with the demo loaded.
 * One server for the whole file, so one worker; run once in CI, not per database or Node version.
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['test/readme/**/*.test.ts'],
    exclude: ['node_modules/**'],
    testTimeout: 300_000,
    maxWorkers: 1,
    // The examples build on each other (a key registered, then rotated, then used): never shuffled.
    sequence: { concurrent: false, shuffle: false },
  },
});
