import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The tests Stryker runs (npm run test:mutation): only the ones over the pure modules it mutates,
 * none of which needs a database, so there is no globalSetup here. Every mutant reruns these, so the
 * list stays short: a test that starts a database or a server does not belong in it, and neither does
 * test/verify/verifier.adversarial.test.ts, whose thousands of bit flips would be rerun for every
 * mutant of money and the verifier that they reach (minutes each on two cores).
 */
export default defineConfig({
  resolve: {
    alias: {
      // The same single graphql copy as vitest.config.ts, for the modules that import it indirectly.
      graphql: fileURLToPath(new URL('./node_modules/graphql/index.js', import.meta.url)),
    },
  },
  test: {
    include: [
      'test/money/*.test.ts',
      'test/crypto/canonical-json.test.ts',
      'test/crypto/signed-note.test.ts',
      'test/crypto/signed-note.*.test.ts',
      'test/ledger/proofs.*.test.ts',
      'test/ledger/nodes.test.ts',
      'test/ledger/merkle.test.ts',
      'test/ledger/vectors.test.ts',
      'test/ledger/node-addresses.test.ts',
      'test/ledger/checkpoint.test.ts',
      'test/ledger/checkpoint-cosignature.test.ts',
      'test/verify/chain-check.test.ts',
      'test/verify/chain-check.*.test.ts',
      'test/verify/chain-head.test.ts',
      'test/verify/checkpoint-check.test.ts',
      'test/verify/key-binding.test.ts',
      'test/verify/key-binding.*.test.ts',
      'test/verify/key-authority.test.ts',
      'test/verify/bundle-file.test.ts',
      'test/verify/verifier.test.ts',
      'test/verify/verifier.edges.test.ts',
      'test/verify/verifier.mutants.test.ts',
      'test/verify/report-verdict.test.ts',
      'test/verify/report-lineage.test.ts',
      'test/verify/report-document-rules.test.ts',
      'test/parties/registration-id.test.ts',
    ],
    maxWorkers: 1,
    testTimeout: 30_000,
  },
});
