/**
 * Every GraphQL example and shell command in README.md, run in order against `npm start`'s server
 * with the demo loaded (`npm run demo`), so that an example that drifts from the API fails the build.
 *
 * Placeholders (`<API_KEY>`, `<RECEIVABLE_ID>`, …) are filled from the demo, from what an earlier
 * example answered (`# keeps … as <NAME>`), or from the key files the README's own keygen commands
 * wrote. A fence preceded by `<!-- not run: reason -->` is skipped with its reason printed.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseKeyFile } from '../../scripts/client/key-file.js';
import { registrationProof, signKeyStatement } from '../../scripts/client/key-proofs.js';
import { signStatement } from '../../scripts/client/signer.js';
import { freePort } from '../../services/db/embedded.js';
import { removeDataDir } from '../support/data-dir.js';
import { freshUscc } from '../support/fixtures.js';
import { type ServerProcess, startServerProcess, stopServerProcess } from '../support/server-process.js';
import {
  actingAs,
  expectedRefusal,
  keptValues,
  placeholdersIn,
  type ReadmeBlock,
  readmeBlocks,
  variablesOf,
} from './readme-blocks.js';

const root = new URL('../../', import.meta.url).pathname;
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
const blocks = readmeBlocks(readme);
const home = mkdtempSync(path.join(tmpdir(), 'tp-readme-home-'));
const dataDir = mkdtempSync(path.join(tmpdir(), 'tp-readme-data-'));
let server: ServerProcess;
let base = '';
const values: Record<string, string> = {};
const apiKeys: Record<string, string | null> = {};

const keyFile = (name: string) =>
  parseKeyFile(readFileSync(path.join(home, '.tradeproof', 'keys', `${name}.json`), 'utf8'));
const need = (name: string) => {
  const value = values[name];
  if (value === undefined) throw new Error(`<${name}> is used before an example or the demo gave it`);
  return value;
};
/** Placeholders computed from the key files the README's keygen commands wrote, as `npm run sign` would. */
const computed: Record<string, () => string> = {
  PUBLIC_KEY: () => registrationProof(keyFile('supplier').privateKey, need('USCC')).publicKey,
  PROOF_OF_POSSESSION: () =>
    registrationProof(keyFile('supplier').privateKey, need('USCC')).proofOfPossession,
  NEW_PUBLIC_KEY: () => Buffer.from(keyFile('supplier-2026').publicKey).toString('hex'),
  CURRENT_KEY_SIGNATURE: () => signKeyStatement(need('STATEMENT'), keyFile('supplier').privateKey).signature,
  NEW_KEY_PROOF: () => signKeyStatement(need('STATEMENT'), keyFile('supplier-2026').privateKey).signature,
  SIGNATURE: () => signStatement(need('STATEMENT'), keyFile('supplier-2026').privateKey).signature,
};

function fill(text: string): string {
  let filled = text.replaceAll('http://127.0.0.1:4000', base);
  for (const name of placeholdersIn(text)) {
    const value = computed[name]?.() ?? need(name);
    filled = filled.replaceAll(`<${name}>`, value);
  }
  return filled;
}

function fillDeep(value: unknown): unknown {
  if (typeof value === 'string') return fill(value);
  if (Array.isArray(value)) return value.map(fillDeep);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, fillDeep(inner)]));
  }
  return value;
}

// biome-ignore lint/suspicious/noExplicitAny: answers of arbitrary shape
async function graphql(query: string, variables: unknown, apiKey: string | null): Promise<any> {
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  return response.json();
}

async function waitForCheckpoint(above: number): Promise<number> {
  for (let attempt = 0; attempt < 300; attempt++) {
    const answer = await graphql('{ checkpoint { ... on Checkpoint { treeSize } } }', {}, null);
    const size = answer.data?.checkpoint?.treeSize;
    if (typeof size === 'number' && size > above) return size;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no checkpoint above ${above} within a minute`);
}

function domainErrorsIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) domainErrorsIn(item, found);
  else if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (record.__typename === 'DomainError' || (typeof record.code === 'string' && 'message' in record)) {
      found.push(String(record.code));
    }
    for (const inner of Object.values(record)) domainErrorsIn(inner, found);
  }
  return found;
}

async function loadDemo(adminApiKey: string): Promise<void> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', 'scripts/demo.ts', '--url', `${base}/graphql`],
    // Its key files go to the server's DATA_DIR/demo-keys, as under npm start, and leave with it.
    { cwd: root, env: { ...process.env, ADMIN_API_KEY: adminApiKey, DATA_DIR: dataDir }, timeout: 180_000 },
  );
  const keyOf = (name: string) => {
    const key = new RegExp(`^\\s+${name} .*?(tp_\\S+)$`, 'm').exec(stdout)?.[1];
    if (!key) throw new Error(`the demo printed no API key for ${name}:\n${stdout}`);
    return key;
  };
  Object.assign(apiKeys, {
    admin: adminApiKey,
    supplier: keyOf('Jiangyin Special Steel'),
    lender: keyOf('Bank of Jiangnan Supply Chain Finance'),
    buyer: keyOf('Huadong Heavy Machinery Group'),
    otherSupplier: keyOf('Wuxi Steel Forging'),
    anonymous: null,
  });
}

async function fillFromDemo(): Promise<void> {
  const held = await graphql(
    '{ me { id } receivables(side: HOLDER, statuses: [OPEN, OVERDUE], first: 1) { edges { node { id invoiceId obligor { id } } } } events(first: 1) { edges { node { id } } } logVerifierKey }',
    {},
    apiKeys.supplier ?? null,
  );
  const receivable = held.data.receivables.edges[0].node;
  const buyer = await graphql('{ me { id } }', {}, apiKeys.buyer ?? null);
  const other = await graphql('{ me { id } }', {}, apiKeys.otherSupplier ?? null);
  const lender = await graphql('{ me { id } }', {}, apiKeys.lender ?? null);
  Object.assign(values, {
    ADMIN_API_KEY: apiKeys.admin,
    API_KEY: apiKeys.supplier,
    LENDER_API_KEY: apiKeys.lender,
    BUYER_API_KEY: apiKeys.buyer,
    PARTY_ID: other.data.me.id,
    BUYER_ID: buyer.data.me.id,
    LENDER_ID: lender.data.me.id,
    TODAY: new Date().toISOString().slice(0, 10),
    NOW: new Date().toISOString(),
    RECEIVABLE_ID: receivable.id,
    INVOICE_ID: receivable.invoiceId,
    EVENT_ID: held.data.events.edges[0].node.id,
    LOG_VKEY: held.data.logVerifierKey,
    USCC: freshUscc(),
    DATA_DIR: dataDir,
  });
  const all = await graphql('{ events { totalCount } }', {}, apiKeys.admin ?? null);
  values.OLDER_TREE_SIZE = String(await waitForCheckpoint(all.data.events.totalCount - 1));
}

beforeAll(async () => {
  const adminApiKey = `tp_${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url')}`;
  server = await startServerProcess({
    DATA_DIR: dataDir,
    EMBEDDED_PG_PORT: String(await freePort()),
    ADMIN_API_KEY: adminApiKey,
  });
  base = server.url.replace(/\/graphql$/, '');
  await loadDemo(adminApiKey);
  await fillFromDemo();
}, 300_000);

afterAll(async () => {
  if (server) await stopServerProcess(server);
  rmSync(path.join(root, 'bundle.json'), { force: true });
  rmSync(path.join(root, 'invoice.json'), { force: true });
  rmSync(home, { recursive: true, force: true });
  removeDataDir(dataDir);
});

async function runGraphql(block: ReadmeBlock): Promise<void> {
  const role = actingAs(block);
  if (!(role in apiKeys) && role !== 'self')
    throw new Error(`README line ${block.line}: unknown "# as ${role}"`);
  const apiKey = role === 'self' ? need('NEW_PARTY_API_KEY') : (apiKeys[role] ?? null);
  if (block.text.includes('<TREE_SIZE>') && values.TREE_SIZE === undefined) {
    values.TREE_SIZE = String(await waitForCheckpoint(Number(need('OLDER_TREE_SIZE'))));
  }
  // The runner's own comments (`# as`, `# keeps`, …) name placeholders it fills later, not now.
  const query = block.text.replace(/^\s*#\s*(as|keeps|variables:|answers) .*$/gm, '');
  const answer = await graphql(fill(query), fillDeep(variablesOf(block)), apiKey);
  expect(answer.errors, `README line ${block.line}`).toBeUndefined();
  const refusal = expectedRefusal(block);
  expect(domainErrorsIn(answer.data), `README line ${block.line}`).toEqual(refusal ? [refusal] : []);
  for (const kept of keptValues(block)) {
    const value = kept.path.reduce<unknown>(
      (inner, key) => (inner as Record<string, unknown> | undefined)?.[key],
      answer.data,
    );
    expect(typeof value, `README line ${block.line}: ${kept.path.join('.')}`).toBe('string');
    values[kept.name] = value as string;
  }
}

async function runShell(block: ReadmeBlock): Promise<void> {
  // -e and -u, as strict as a careful reader; no pipefail: `curl … | head` is how README reads.
  const script = `set -eu\n${fill(block.text)}`;
  try {
    await promisify(execFile)('bash', ['-c', script], {
      cwd: root,
      env: { ...process.env, HOME: home, npm_config_update_notifier: 'false' },
      timeout: 240_000,
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `README line ${block.line} failed: ${failed.message}\n${failed.stdout ?? ''}\n${failed.stderr ?? ''}`,
    );
  }
}

describe('README examples, in order, against the demo', () => {
  it('has GraphQL and shell examples, and a reason beside each one it does not run', () => {
    expect(blocks.filter((block) => block.language === 'graphql').length).toBeGreaterThan(8);
    expect(blocks.filter((block) => block.language === 'sh').length).toBeGreaterThan(8);
    for (const block of blocks.filter((each) => each.notRun !== null)) {
      expect(block.notRun?.length, `README line ${block.line}`).toBeGreaterThan(10);
      console.log(`[readme] not run: line ${block.line}: ${block.notRun}`);
    }
  });

  for (const block of blocks) {
    const title = `line ${block.line}: ${block.language} ${block.text
      .split('\n')
      .find((line) => line.trim())
      ?.trim()
      .slice(0, 60)}`;
    it.skipIf(block.notRun !== null)(title, async () => {
      if (block.language === 'graphql') await runGraphql(block);
      else await runShell(block);
    });
  }
});
