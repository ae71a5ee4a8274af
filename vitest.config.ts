import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: {
      // graphql 16 ships CJS (main) and ESM (module) with no exports map. Node, and so every package
      // under node_modules (Pothos, yoga), loads the CJS build; vite would hand our own files the ESM
      // build, and a schema from one realm fails instanceof checks in the other. One copy for all.
      graphql: fileURLToPath(new URL('./node_modules/graphql/index.js', import.meta.url)),
    },
  },
  test: {
    include: ['test/**/*.test.ts'],
    // The fault suite (vitest.faults.config.ts, npm run test:faults) kills servers, and the browser
    // suite (vitest.browser.config.ts, npm run test:browser) drives Chromium, and the README examples
    // (vitest.readme.config.ts, npm run test:readme) run against one server: each runs on its own.
    exclude: ['test/faults/**', 'test/browser/**', 'test/readme/**', 'node_modules/**'],
    globalSetup: ['test/support/global-setup.ts'],
    // Each file gets its own database; two workers match the two cores CI has.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
