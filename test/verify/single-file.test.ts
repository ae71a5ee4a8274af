/**
 * The verifier a lender carries: `npm run build:verifier` bundles scripts/verify.ts into one file,
 * which is copied alone into an empty folder outside the repository (no node_modules anywhere above
 * it) and run there with plain Node on a bundle the ledger built. It must answer exactly as
 * `npm run verify` does: the same lines, the same exit codes.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invoiceConfirmedKind, receivableTransferredKind } from '../../services/receivables/index.js';
import { invoiceKind } from '../../services/trade/index.js';
import { proofBundle } from '../../services/verify/bundle.service.js';
import type { ProofBundle } from '../../services/verify/bundle-file.js';
import { anchorAll } from '../support/anchor.js';
import { type TestParty, testLogOrigin, useTestLedger } from '../support/ledger.js';
import { invoicePayload, recordChain, recorded, stated } from '../trade/trade-fixtures.js';
import { flipHexBit } from './material.js';

const root = new URL('../../', import.meta.url).pathname;
const ledger = useTestLedger();
let scratch: string;
/** The folder the lender has: the one file, and the bundles it is given. */
let carried: string;
let verifierFile: string;
let bundle: ProofBundle;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    // No NODE_OPTIONS or NODE_PATH: nothing may reach the repository's packages behind the file's back.
    const { NODE_OPTIONS: _options, NODE_PATH: _path, ...env } = process.env;
    execFile(process.execPath, args, { cwd, env, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      resolve({ code, stdout, stderr });
    });
  });
}

/** The single file, run by a lender in its own folder. */
const carriedVerifier = (...args: string[]) => run([verifierFile, ...args], carried);
/** `npm run verify`, from the repository. */
const repositoryVerifier = (...args: string[]) =>
  run(['--import', 'tsx', 'scripts/verify.ts', ...args], root);

/** Every module the bundled file loads: static imports, re-exports, dynamic imports and require calls. */
function loadedModules(source: string): string[] {
  const patterns = [
    /^\s*(?:import|export)\s[^;]*?\sfrom\s*["']([^"']+)["']/gm,
    /^\s*import\s*["']([^"']+)["']/gm,
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
    /\brequire\s*\(\s*["']([^"']+)["']\s*\)/g,
  ];
  return patterns.flatMap((pattern) => [...source.matchAll(pattern)].map((match) => match[1] ?? ''));
}

function ancestorsOf(directory: string): string[] {
  const parent = path.dirname(directory);
  return parent === directory ? [directory] : [directory, ...ancestorsOf(parent)];
}

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'tradeproof-single-file-'));
  const built = path.join(scratch, 'build', 'tradeproof-verify.mjs');
  const build = await run(['--import', 'tsx', 'scripts/build-verifier.ts', '--out', built], root);
  expect(build.stderr).toBe('');
  expect(build.code).toBe(0);
  carried = path.join(scratch, 'lender');
  await mkdir(carried);
  verifierFile = path.join(carried, 'tradeproof-verify.mjs');
  await copyFile(built, verifierFile);

  // A receivable as bundle.test.ts builds it: a trade chain, a confirmation, a part passed to a
  // tier-2 supplier, a payment; all anchored, and the bundle the tier-2 holder is given.
  const buyer = await ledger.newParty(['core_enterprise'], { custodial: true });
  const seller = await ledger.newParty(['supplier']);
  const tier2: TestParty = await ledger.newParty(['supplier'], { custodial: true });
  const lines = [{ itemCode: 'A', quantity: '10', unitPrice: '100' }];
  const chain = await recordChain(ledger, buyer, seller, lines);
  const invoice = invoicePayload(chain, lines, '1000.00');
  await stated(ledger, seller, invoiceKind, invoice);
  const rootId = randomUUID();
  await stated(ledger, buyer, invoiceConfirmedKind, {
    invoiceId: String(invoice.documentId),
    receivableId: rootId,
  });
  const childId = randomUUID();
  await stated(ledger, seller, receivableTransferredKind, {
    receivableId: rootId,
    toPartyId: tier2.party.id,
    amount: '400.00',
    childReceivableId: childId,
  });
  await recorded(ledger, buyer, 'payment.recorded', {
    paymentId: randomUUID(),
    invoiceId: String(invoice.documentId),
    amount: '100.00',
    paidOn: '2025-09-06',
  });
  await anchorAll(ledger);
  const proven = await proofBundle(ledger.ledger, ledger.logSigner, tier2.actor, childId);
  if (!proven.ok) throw new Error(`${proven.code}: ${proven.message}`);
  bundle = proven.value;
}, 180_000);

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** Saves a bundle beside the carried file, as the API's `ProofBundle.json` gives it; returns its name. */
async function bundleFile(name: string, content: ProofBundle): Promise<string> {
  await writeFile(path.join(carried, name), JSON.stringify(content, null, 2));
  return name;
}

describe('the single-file verifier', { timeout: 120_000 }, () => {
  it('is one file that loads nothing but Node builtins, alone in a folder with no node_modules above', async () => {
    expect(await readdir(carried)).toEqual(['tradeproof-verify.mjs']);
    const source = await readFile(verifierFile, 'utf8');
    expect(source.startsWith('#!/usr/bin/env node\n')).toBe(true);
    const modules = loadedModules(source);
    expect(modules.length).toBeGreaterThan(0);
    expect(modules.filter((specifier) => !specifier.startsWith('node:'))).toEqual([]);
    const withPackages = ancestorsOf(carried).filter((directory) =>
      existsSync(path.join(directory, 'node_modules')),
    );
    expect(
      withPackages,
      'a node_modules folder above the temporary folder would hide a missing bundle',
    ).toEqual([]);
  });

  it('verifies a bundle the ledger built, printing exactly what npm run verify prints, exit 0', async () => {
    const name = await bundleFile('bundle.json', bundle);
    const args = ['--log-key', ledger.logSigner.verifierKey, '--origin', testLogOrigin];
    const carriedRun = await carriedVerifier(name, ...args);
    expect(carriedRun.stderr).toBe('');
    expect(carriedRun.code).toBe(0);
    const [checks = '', proven = ''] = carriedRun.stdout.split('\nVALID\n');
    expect(checks).toContain(`ok  chain: all 4 facts are in the bundle, each naming the one before it`);
    expect(proven).toContain('  face         CNY 400.00\n');
    expect(proven).toContain('  outstanding  CNY 360.00\n');
    expect(proven).toContain('  facts        4 facts about the invoice, none missing at this checkpoint\n');

    const repositoryRun = await repositoryVerifier(path.join(carried, name), ...args);
    expect(carriedRun).toEqual(repositoryRun);
  });

  it('says INVALID with the failed check for a tampered bundle, exit 1, as npm run verify does', async () => {
    const tampered: ProofBundle = JSON.parse(JSON.stringify(bundle));
    const event =
      tampered.events.find((candidate) => candidate.kind === 'payment.recorded') ??
      expect.fail('the bundle holds the payment');
    event.signature = flipHexBit(event.signature, 100);
    const name = await bundleFile('tampered.json', tampered);
    const carriedRun = await carriedVerifier(name, '--log-key', ledger.logSigner.verifierKey);
    expect(carriedRun.code).toBe(1);
    expect(carriedRun.stdout.trimEnd().split('\n').at(-1)).toMatch(
      /^INVALID: events\[\d+\] \(payment\.recorded [0-9a-f]{8}…\): signature does not verify with the signer's public key$/,
    );
    const repositoryRun = await repositoryVerifier(
      path.join(carried, name),
      '--log-key',
      ledger.logSigner.verifierKey,
    );
    expect(carriedRun).toEqual(repositoryRun);
  });

  it('answers --help with its usage (exit 0) and an unknown option with the usage (exit 2), no stack trace', async () => {
    const help = await carriedVerifier('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(
      /^Usage: node tradeproof-verify\.mjs <bundle-or-proof\.json> --log-key <vkey>/,
    );
    expect(help.stderr).toBe('');

    const unknown = await carriedVerifier(
      'bundle.json',
      '--log-key',
      ledger.logSigner.verifierKey,
      '--lenient',
    );
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toContain("Unknown option '--lenient'");
    expect(unknown.stderr).toContain('Usage: node tradeproof-verify.mjs');
    expect(unknown.stderr).not.toMatch(/\n\s+at /);

    // The usage text is the one source's: only the way it was invoked differs.
    const repositoryHelp = await repositoryVerifier('--help');
    expect(help.stdout.replace('node tradeproof-verify.mjs', 'npm run verify --')).toBe(
      repositoryHelp.stdout,
    );
  });
});
