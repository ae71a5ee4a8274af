/** `npm run verify`, end to end in a child process, and the promise that it needs no server. */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bundleOf,
  consistencyFileOf,
  flipHexBit,
  invoiceId,
  keyLabelOf,
  newLog,
  olderSize,
  partyIds,
  proofFileOf,
  receivableId,
} from './material.js';

const root = new URL('../../', import.meta.url).pathname;
const log = newLog();
let directory: string;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function verify(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/verify.ts', ...args],
      { cwd: root, env: { ...process.env, NODE_OPTIONS: '' } },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

async function fileWith(name: string, content: unknown): Promise<string> {
  const file = path.join(directory, name);
  await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

describe('npm run verify', () => {
  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'tradeproof-verify-'));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('prints every check and VALID for a genuine bundle with an older checkpoint, exit 0', async () => {
    const bundle = await fileWith('bundle.json', bundleOf(log));
    const older = await fileWith('older.json', consistencyFileOf(log, olderSize));
    const run = await verify(
      bundle,
      '--log-key',
      log.vkey,
      '--origin',
      'tradeproof.test/log',
      '--older',
      older,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`ok  checkpoint: signed by log key ${keyLabelOf(log.vkey)}`);
    expect(run.stdout).toContain(`ok  consistency: older checkpoint (size ${olderSize}) is a prefix`);
    const [checks = '', proven = ''] = run.stdout.split('\nVALID\n');
    expect(checks).toContain('ok  chain: all 4 facts are in the bundle, each naming the one before it');
    // After VALID, what the bundle proves, in the words of the business.
    expect(proven.split('\n').map((line) => line.trimEnd())).toEqual([
      '',
      'Proven at this checkpoint:',
      `  receivable   ${receivableId} (tier 1)`,
      `  invoice      ${invoiceId}`,
      `  obligor      Test party 1 (${partyIds[0]})`,
      `  holder       Test party 1 (${partyIds[0]})`,
      '  face         CNY 400.00',
      '  transferred  CNY 0.00',
      '  settled      CNY 40.00',
      '  credited     CNY 0.00',
      '  outstanding  CNY 360.00',
      '  due date     2025-09-06',
      // Due 2025-09-06 and partly unpaid: OVERDUE, judged against the day the verifier runs.
      `  status       PARTIALLY_SETTLED, OVERDUE today (${new Date().toISOString().slice(0, 10)})`,
      '  facts        4 facts about the invoice, none missing at this checkpoint',
      '  custodial    none: every fact was signed with a key its party holds',
      '',
    ]);
  });

  it('verifies a proof file whose statement is kept in its own file, exit 0', async () => {
    const { statement, ...bare } = proofFileOf(log, 5);
    const proof = await fileWith('proof.json', bare);
    const statementFile = await fileWith('statement.json', `${statement}\n`);
    const run = await verify(proof, '--log-key', log.vkey, '--statement', statementFile);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('ok  statement hashes to eventHash');
    expect(run.stdout).toMatch(/VALID\n$/);
  });

  it('prints INVALID and the failed check for a tampered bundle, exit 1', async () => {
    const bundle = bundleOf(log);
    const event = bundle.events[2] ?? expect.fail('an event');
    event.signature = flipHexBit(event.signature, 100);
    const run = await verify(await fileWith('tampered.json', bundle), '--log-key', log.vkey);
    expect(run.code).toBe(1);
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe(
      `INVALID: events[2] (${event.kind} ${event.eventHash.slice(0, 8)}…): signature does not verify with the signer's public key`,
    );
  });

  it('rejects a wrong log key, exit 1', async () => {
    const other = newLog();
    const run = await verify(await fileWith('bundle-other.json', bundleOf(log)), '--log-key', other.vkey);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      `INVALID: checkpoint: has no signature by log key ${keyLabelOf(other.vkey)}`,
    );
  });

  it('exits 2 with the usage on a missing --log-key, a missing file or an unknown option', async () => {
    const bundle = await fileWith('bundle-usage.json', bundleOf(log));
    const runs = await Promise.all([
      verify(bundle),
      verify(path.join(directory, 'absent.json'), '--log-key', log.vkey),
      verify(bundle, '--log-key', log.vkey, '--lenient'),
      verify(await fileWith('not-json.json', '{'), '--log-key', log.vkey),
    ]);
    for (const run of runs) {
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('Usage: npm run verify');
    }
    expect(runs[0]?.stderr).toContain('--log-key is required');
    expect(runs[1]?.stderr).toContain('cannot read file');
  });
});

/** Every module specifier in a TypeScript source: static, re-exported, side-effect and dynamic imports. */
/** What a file loads when it runs: `import type` is erased by the compiler, so it loads nothing. */
function specifiersOf(source: string): string[] {
  const patterns = [
    /\b(?:import|export)\s(?!type\s)[^'"]*?\sfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  return patterns.flatMap((pattern) => [...source.matchAll(pattern)].map((match) => match[1] ?? ''));
}

/** The files scripts/verify.ts loads, following relative imports, and every package they name. */
function importGraph(entry: string): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const pending = [path.join(root, entry)];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (files.has(file)) continue;
    files.add(file);
    for (const specifier of specifiersOf(readFileSync(file, 'utf8'))) {
      if (!specifier.startsWith('.')) {
        packages.add(specifier);
        continue;
      }
      const target = path.resolve(path.dirname(file), specifier).replace(/\.js$/, '.ts');
      expect(existsSync(target), `${specifier} from ${file}`).toBe(true);
      pending.push(target);
    }
  }
  return {
    files: [...files].map((file) => path.relative(root, file)).sort(),
    packages: [...packages].sort(),
  };
}

describe('the verifier offline', () => {
  it('never loads the database layer, pg or kysely, nor a network module', () => {
    const { files, packages } = importGraph('scripts/verify.ts');
    expect(files).toContain('services/verify/verifier.ts');
    expect(files).toContain('services/ledger/verify.ts');
    expect(files.filter((file) => file.startsWith('services/db/') || file.includes('.repository.'))).toEqual(
      [],
    );
    const forbidden = /^(?:pg|kysely|pg-.*|node:(?:http|https|http2|net|tls|dgram|dns))(?:\/|$)/;
    expect(packages.filter((name) => forbidden.test(name))).toEqual([]);
    expect(packages.filter((name) => !name.startsWith('node:'))).toEqual(['canonicalize', 'zod']);
  });
});
