/**
 * Every npm script that takes a command line answers `--help` with its usage on stdout (exit 0), and
 * an unknown flag with what was wrong and the usage on stderr (exit 2), never with a stack trace or
 * by starting its work.
 */
import { readFile } from 'node:fs/promises';
import { describe, it } from 'vitest';
import { runScript, stackFrame } from '../support/script-run.js';

const clis: Array<[name: string, script: string, args: string[], usage: RegExp]> = [
  ['npm start', 'scripts/start.ts', [], /^usage: npm start$/m],
  ['npm run migrate', 'scripts/migrate.ts', [], /^usage: DATABASE_URL=postgresql:\/\/… npm run migrate$/m],
  ['npm run generate', 'scripts/generate-schema.ts', [], /^usage: npm run generate$/m],
  ['npm run demo', 'scripts/demo.ts', [], /^usage: ADMIN_API_KEY=tp_… npm run demo/m],
  ['npm run bench', 'scripts/bench/index.ts', [], /^usage: npm run bench -- ledger/m],
  ['npm run bench -- ledger', 'scripts/bench/index.ts', ['ledger'], /^usage: npm run bench -- ledger/m],
  ['npm run bench -- exposure', 'scripts/bench/index.ts', ['exposure'], /^ {7}npm run bench -- exposure/m],
  ['npm run seed', 'scripts/seed.ts', [], /^usage: npm run seed -- \[--parties 1000\]/m],
  ['npm run sign', 'scripts/sign.ts', [], /^Usage: npm run sign -- <command>/m],
  ['npm run sign -- keygen', 'scripts/sign.ts', ['keygen'], /^Usage: npm run sign -- <command>/m],
  ['npm run verify', 'scripts/verify.ts', [], /^Usage: npm run verify -- <bundle-or-proof.json>/m],
  ['npm run fingerprint', 'scripts/fingerprint.ts', [], /^Usage: npm run fingerprint -- <invoice.json>/m],
  ['npm run witness', 'scripts/witness.ts', [], /^Usage: npm run witness -- --state <file>/m],
  ['npm run build:verifier', 'scripts/build-verifier.ts', [], /^Usage: npm run build:verifier/m],
  ['npm run build:web', 'scripts/web-build.ts', [], /^usage: npm run build:web$/m],
  ['npm run test:mutation', 'scripts/mutation.ts', [], /^usage: npm run test:mutation -- \[--mutate FILE/m],
];

const schemaFile = new URL('../../graphql/schema.graphql', import.meta.url);

// Concurrent (five at a time): each case waits mostly for tsx to load a script, which takes tens of
// seconds on a loaded 2-core machine running the rest of the suite beside it.
describe.concurrent('the command lines', () => {
  it.for(clis)(
    '%s --help prints its usage and exits 0',
    { timeout: 120_000 },
    async ([, script, args, usage], { expect }) => {
      const schemaBefore = await readFile(schemaFile, 'utf8');
      const run = await runScript(script, [...args, '--help'], { ADMIN_API_KEY: '', DATABASE_URL: '' });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(usage);
      expect(run.stdout).toMatch(/^Exit status: /m);
      expect(run.stderr).toBe('');
      expect(await readFile(schemaFile, 'utf8')).toBe(schemaBefore);
    },
  );

  it.for(clis)(
    '%s with an unknown flag prints the problem and its usage on stderr and exits 2',
    { timeout: 120_000 },
    async ([, script, args, usage], { expect }) => {
      const run = await runScript(script, [...args, '--no-such-flag'], {
        ADMIN_API_KEY: '',
        DATABASE_URL: '',
      });
      expect(run.code, run.stdout + run.stderr).toBe(2);
      expect(run.stderr).toMatch(/--no-such-flag/);
      expect(run.stderr).toMatch(usage);
      expect(run.stderr).not.toMatch(stackFrame);
      expect(run.stdout).toBe('');
    },
  );

  it("npm run test:mutation --help prints its own usage, not Stryker's followed by a stack", async ({
    expect,
  }) => {
    const run = await runScript('scripts/mutation.ts', ['--help'], {});
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^usage: npm run test:mutation/m);
    expect(run.stdout).toMatch(/^Exit status: /m);
    expect(run.stderr).not.toMatch(stackFrame);
  }, 60_000);

  it('npm run demo names --url when its value is not a URL, and a stray argument is refused', async ({
    expect,
  }) => {
    const bad = await runScript('scripts/demo.ts', ['--url', 'localhost:4000'], { ADMIN_API_KEY: 'tp_x' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      '--url must be an http(s) URL such as http://127.0.0.1:4000/graphql, got "localhost:4000"',
    );
    const stray = await runScript('scripts/demo.ts', ['seed'], { ADMIN_API_KEY: 'tp_x' });
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain("Unexpected argument 'seed'");
  }, 60_000);
});
