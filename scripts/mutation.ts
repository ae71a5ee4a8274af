/**
 * `npm run test:mutation`: StrykerJS over the pure modules (stryker.config.json), then a check that
 * every mutant still alive is named, with the reason it is equivalent, in docs/mutation-survivors.md,
 * so a new survivor fails the command instead of slipping into a lower score.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { commandLine } from './cli.js';
import { type MutationReport, unlistedSurvivors } from './mutation-survivors.js';

const root = path.resolve(import.meta.dirname, '..');
const reportFile = path.join(root, 'reports/mutation/mutation.json');
const listFile = path.join(root, 'docs/mutation-survivors.md');

const usage = `usage: npm run test:mutation -- [--mutate FILE[,FILE…] | --changed-since REV] [--force]

Runs StrykerJS (stryker.config.json) over the pure modules of money, the Merkle log, signed notes,
the verifier and registration ids, with the tests of vitest.mutation.config.ts (no database), and
prints the share of mutants detected per file. Then every mutant still alive must be listed, with
the reason it is equivalent, in docs/mutation-survivors.md: one that is not fails the command.
Runs are incremental (reports/stryker-incremental.json): a rerun tests only what changed.
  --mutate FILE,…         only these files (each one of those stryker.config.json lists)
  --changed-since REV     only the listed files that changed since commit REV (as CI runs it); none, nothing to run
  --force                 test every mutant again, ignoring the incremental results
Exit status: 0 every survivor listed, 1 Stryker failed or a survivor is not listed, 2 bad arguments.`;

const { values } = commandLine(usage, {
  mutate: { type: 'string', short: 'm' },
  'changed-since': { type: 'string' },
  force: { type: 'boolean' },
});

/** The files to mutate: those asked for, those changed since a commit, or (undefined) the configured ones. */
function filesToMutate(): string[] | undefined | null {
  const since = values['changed-since'];
  if (since === undefined) return values.mutate?.split(',').filter(Boolean);
  const { mutate } = JSON.parse(readFileSync(path.join(root, 'stryker.config.json'), 'utf8')) as {
    mutate: string[];
  };
  const diff = spawnSync('git', ['diff', '--name-only', since, 'HEAD', '--', ...mutate], {
    cwd: root,
    encoding: 'utf8',
  });
  if (diff.status !== 0) {
    console.error(`git diff against ${since} failed: ${diff.stderr.trim()}`);
    process.exit(1);
  }
  const changed = diff.stdout.split('\n').filter(Boolean);
  if (changed.length === 0) {
    console.log(`No file under mutation testing changed since ${since}: nothing to run.`);
    return null;
  }
  console.log(`Files under mutation testing changed since ${since}: ${changed.join(', ')}`);
  return changed;
}

const files = filesToMutate();
if (files === null) process.exit(0);
const strykerArgs = [...(files ? ['--mutate', files.join(',')] : []), ...(values.force ? ['--force'] : [])];
// A report left by an earlier run must not be checked as this run's.
rmSync(reportFile, { force: true });
const stryker = spawnSync(path.join(root, 'node_modules/.bin/stryker'), ['run', ...strykerArgs], {
  cwd: root,
  stdio: 'inherit',
});
if (stryker.status !== 0) process.exit(1);
if (!existsSync(reportFile)) {
  console.error(`Stryker wrote no report at ${path.relative(root, reportFile)}: nothing to check.`);
  process.exit(1);
}

const report = JSON.parse(readFileSync(reportFile, 'utf8')) as MutationReport;
const unlisted = unlistedSurvivors(report, readFileSync(listFile, 'utf8'), root);
if (unlisted.length > 0) {
  console.error(`\n${unlisted.length} surviving mutant(s) not in docs/mutation-survivors.md:`);
  for (const entry of unlisted) console.error(`  ${entry}`);
  console.error('Kill each with a test, or list it there with the reason it is equivalent.');
  process.exit(1);
}
console.log('\nEvery surviving mutant is listed in docs/mutation-survivors.md.');
