/**
 * `npm run test:mutation [-- --mutate services/money/allocate.ts | --changed-since REV]`: StrykerJS over the pure modules
 * (stryker.config.json), then a check that every mutant still alive is named, with the reason it is
 * equivalent, in docs/mutation-survivors.md, so a new survivor fails the command instead of slipping
 * into a lower score. Extra arguments go to `stryker run`.
 * Exit status: 0 every survivor listed, 1 Stryker failed or a survivor is not listed.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const reportFile = path.join(root, 'reports/mutation/mutation.json');
const listFile = path.join(root, 'docs/mutation-survivors.md');

interface ReportMutant {
  mutatorName: string;
  replacement?: string;
  status: string;
  location: { start: { line: number; column: number } };
}
interface Report {
  files: Record<string, { mutants: ReportMutant[] }>;
}

/** `- services/money/money.ts:12:5 StringLiteral: why` -> "services/money/money.ts:12:5 StringLiteral". */
export function listedSurvivors(markdown: string): Set<string> {
  const keys = new Set<string>();
  for (const line of markdown.split('\n')) {
    const match = /^- `?(\S+?:\d+:\d+) (\w+)`?/.exec(line);
    if (match) keys.add(`${match[1]} ${match[2]}`);
  }
  return keys;
}

/**
 * `--changed-since REV`: only the configured files that changed since REV (a commit), as CI runs it;
 * none changed, nothing to run. Other arguments go to `stryker run` as they are.
 */
function strykerArguments(args: string[]): string[] | null {
  const at = args.indexOf('--changed-since');
  if (at < 0) return args;
  const since = args[at + 1];
  if (!since) {
    console.error('--changed-since needs a commit');
    process.exit(2);
  }
  const rest = [...args.slice(0, at), ...args.slice(at + 2)];
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
  return [...rest, '--mutate', changed.join(',')];
}

const usage = `usage: npm run test:mutation [-- --mutate <file,…> | --changed-since <commit>] [stryker options]

Runs StrykerJS over the files in stryker.config.json (or those named, or those changed since the
commit), then checks that every surviving mutant is listed in docs/mutation-survivors.md. Other
options go to \`stryker run\` as they are (its own help: npx stryker run --help).
Exit status: 0 every survivor listed, 1 Stryker failed or a survivor is not listed, 2 bad arguments.`;

// Stryker would answer --help itself, and then no report would exist to read.
if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log(usage);
  process.exit(0);
}

const strykerArgs = strykerArguments(process.argv.slice(2));
if (strykerArgs === null) process.exit(0);
const stryker = spawnSync(path.join(root, 'node_modules/.bin/stryker'), ['run', ...strykerArgs], {
  cwd: root,
  stdio: 'inherit',
});
if (stryker.status !== 0) process.exit(1);

const report = JSON.parse(readFileSync(reportFile, 'utf8')) as Report;
const listed = listedSurvivors(readFileSync(listFile, 'utf8'));
const unlisted: string[] = [];
for (const [file, { mutants }] of Object.entries(report.files)) {
  for (const mutant of mutants) {
    if (mutant.status !== 'Survived' && mutant.status !== 'NoCoverage') continue;
    const { line, column } = mutant.location.start;
    const key = `${path.relative(root, path.resolve(root, file))}:${line}:${column} ${mutant.mutatorName}`;
    if (!listed.has(key)) unlisted.push(`${key} (${mutant.status}) -> ${mutant.replacement ?? ''}`);
  }
}
if (unlisted.length > 0) {
  console.error(`\n${unlisted.length} surviving mutant(s) not in docs/mutation-survivors.md:`);
  for (const entry of unlisted) console.error(`  ${entry}`);
  console.error('Kill each with a test, or list it there with the reason it is equivalent.');
  process.exit(1);
}
console.log('\nEvery surviving mutant is listed in docs/mutation-survivors.md.');
