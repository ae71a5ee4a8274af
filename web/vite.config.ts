/**
 * The console's build (`npm run build:web`, or `npm start` when web/dist is out of date) and its dev
 * server (`npm run dev:web`): hot reload on port 5173, with /graphql and /log passed to the ledger
 * that `npm start` runs (LEDGER_URL, default http://127.0.0.1:4000).
 * browserVerifier() lets the "Verify a bundle" page bundle the offline verifier of services/verify.
 */
import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { browserVerifier } from './browser-verifier.js';

const ledger = process.env.LEDGER_URL ?? 'http://127.0.0.1:4000';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [browserVerifier(), react()],
  // The verifier runs in a worker too (web/src/verify/verify-worker.ts), built with the same swap.
  worker: { format: 'es', plugins: () => [browserVerifier()] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The budget test reads this to measure what the first page load runs.
    manifest: true,
    chunkSizeWarningLimit: 1200,
    // Rolldown's "[PLUGIN_TIMINGS] … profile the build with node --cpu-prof" warning is advice for
    // plugin authors; on a busy machine it lands in the middle of a newcomer's first `npm start`.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
  server: {
    port: 5173,
    strictPort: false,
    proxy: { '/graphql': ledger, '/log': ledger, '/healthz': ledger },
    // The verifier's sources live beside web/, in services/: served too, but not the rest of the
    // repository (.data holds the database and key files).
    fs: {
      allow: [
        import.meta.dirname,
        path.resolve(import.meta.dirname, '../services'),
        path.resolve(import.meta.dirname, '../node_modules'),
      ],
    },
  },
  clearScreen: false,
});
