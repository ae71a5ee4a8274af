import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

/**
 * `npm run test:browser`: pages in Debian's Chromium (playwright-core, no browser download). Run
 * once in CI, not per database or Node version; skipped, with the reason printed, without Chromium.
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['test/browser/**/*.test.ts'],
    exclude: ['node_modules/**'],
    testTimeout: 120_000,
    // A browser and a server process each: one file at a time on two cores.
    maxWorkers: 1,
    // The console's tests share one ledger with the demo loaded (test/browser/console/global-setup.ts).
    // GraphiQL's test takes a database of its own from the main suite's setup.
    globalSetup: ['test/support/global-setup.ts', 'test/browser/console/global-setup.ts'],
    hookTimeout: 300_000,
  },
});
