/**
 * `npm run demo` seeds its chain through the public API of a running ledger and reports what it did:
 * dated back from today, so its receivables read open (never overdue); again on a second run, found
 * through HOST and PORT as `npm start` reads them; and when nothing answers, it says how to point it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startHttpServer } from '../../graphql/http.js';
import { defaultPolicy } from '../../services/context.js';
import { freePort } from '../../services/db/embedded.js';
import { type AnchorWorker, anchorLateness, startAnchorWorker } from '../../services/ledger/anchor-worker.js';
import { effectiveStatus, todayUtc } from '../../services/receivables/receivable.js';
import { testLimits, useTestLedger } from '../support/ledger.js';

const ledger = useTestLedger();
const root = new URL('../../', import.meta.url).pathname;
// Where the demo writes key files: DATA_DIR/demo-keys by default, never the checkout's own .data.
const dataDir = mkdtempSync(path.join(tmpdir(), 'tradeproof-demo-test-'));
let server: RunningServer;
// As under npm start: the log anchors what the demo records, so the lender's report finds it included.
let anchoring: AnchorWorker;

function runDemo(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', ...args], {
      cwd: root,
      env: { ...process.env, HOST: '', PORT: '', DATA_DIR: dataDir, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => resolve({ code, output }));
  });
}

describe('npm run demo', () => {
  beforeAll(async () => {
    anchoring = startAnchorWorker(ledger.app.db, ledger.logSigner, {
      batchEventsMax: 500,
      intervalMs: 100,
      ...anchorLateness,
      sinks: [],
      log: () => {},
    });
    server = await startHttpServer({
      ledger: ledger.ledger,
      logSigner: ledger.logSigner,
      graphiql: false,
      host: '127.0.0.1',
      port: 0,
      requestBodyBytesMax: 1_048_576,
      ...testLimits,
    });
  });
  afterAll(async () => {
    await server.close(1000);
    await anchoring.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('seeds twelve confirmed invoices, splits over three tiers and one settlement, printing the API keys', async () => {
    const keysDir = path.join(dataDir, 'chosen-keys');
    const { code, output } = await runDemo(['--url', server.url, '--keys-dir', keysDir], {
      ADMIN_API_KEY: ledger.adminApiKey,
    });
    expect(code, output).toBe(0);
    expect(output.match(/, confirmed$/gm)).toHaveLength(12);
    // Work left for the console: two invoices to confirm, one request with no offer yet.
    expect(output.match(/, waiting for confirmation$/gm)).toHaveLength(2);
    expect(output).toMatch(/to finance CNY [\d.]+: open, no offer yet$/m);
    // The key files of the two parties that sign with their own key, private to this user, each
    // holding the key the party signs with now.
    const files = readdirSync(keysDir).sort();
    expect(files).toHaveLength(2);
    for (const file of files) {
      expect(file).toMatch(/^(huadong-heavy-machinery-group|ningbo-precision-gears)-\w+\.key\.json$/);
      expect(statSync(path.join(keysDir, file)).mode & 0o777).toBe(0o600);
      expect(output).toContain(path.join(keysDir, file));
      const key = JSON.parse(readFileSync(path.join(keysDir, file), 'utf8')) as { keyId: string };
      const active = await ledger.owner.db
        .selectFrom('party_key')
        .select('status')
        .where('key_id', '=', key.keyId)
        .executeTakeFirstOrThrow();
      expect(active.status).toBe('active');
    }
    const waiting = await ledger.owner.db
      .selectFrom('trade_document')
      .select('id')
      .where('kind', '=', 'invoice')
      .where('status', '=', 'issued')
      .execute();
    expect(waiting).toHaveLength(2);
    expect(output.match(/^ {2}.+ tp_[\w-]{43}$/gm)).toHaveLength(9);
    const { db } = ledger.owner;
    const invoices = await db
      .selectFrom('trade_document')
      .select('id')
      .where('status', '=', 'confirmed')
      .execute();
    expect(invoices).toHaveLength(12);
    const tiers = await db.selectFrom('receivable').select('tier').distinct().orderBy('tier').execute();
    expect(tiers.map((row) => row.tier)).toEqual([0n, 1n, 2n]);
    const payment = await db.selectFrom('payment').selectAll().executeTakeFirstOrThrow();
    const allocations = await db.selectFrom('payment_allocation').selectAll().execute();
    expect(allocations.reduce((sum, row) => sum + row.amount_minor, 0n)).toBe(payment.amount_minor);
    expect(allocations).toHaveLength(3);
    // The self-signing supplier registered with proof of possession and rotated with its old key.
    expect(output).toMatch(/^ {2}Ningbo Precision Gears \w+ rotated its signing key/m);
    const rotated = await db
      .selectFrom('party_key')
      .select('key_authorization')
      .where('key_authorization', '=', 'rotated_by_previous_key')
      .execute();
    expect(rotated).toHaveLength(1);
    // The lender financed a tier-2 supplier's part on paper signed by the parties' own keys.
    expect(output, output).toMatch(/read the verification report: GENUINE/);
    const financings = await db.selectFrom('financing').selectAll().orderBy('status').execute();
    expect(financings.map((row) => row.status)).toEqual(['disbursed', 'requested']);
    const [financing] = financings;
    const part = await db
      .selectFrom('receivable')
      .selectAll()
      .where('id', '=', financing?.child_receivable_id ?? '')
      .executeTakeFirstOrThrow();
    expect(part.financed_by).toBe(financing?.id);
    expect(part.holder_party_id).toBe(financing?.lender_party_id);
    expect(part.face_minor).toBe(financing?.amount_minor);
    const financed = await db
      .selectFrom('receivable')
      .select('tier')
      .where('id', '=', financing?.receivable_id ?? '')
      .executeTakeFirstOrThrow();
    expect(part.tier).toBe(financed.tier + 1n);
  });

  it('dates its trade back from today: what is still owed reads open, never overdue, and falls due later', async () => {
    const today = todayUtc();
    const receivables = await ledger.owner.db
      .selectFrom('receivable')
      .select(['status', 'due_date', 'outstanding_minor'])
      .execute();
    const owed = receivables.filter((row) => row.outstanding_minor > 0n);
    expect(owed.length).toBeGreaterThan(11);
    for (const row of owed) {
      const read = { status: row.status, dueDate: row.due_date, outstandingMinor: row.outstanding_minor };
      expect(effectiveStatus(read, today, defaultPolicy)).toBe('open');
      expect(row.due_date > today).toBe(true);
    }
    const documents = await ledger.owner.db.selectFrom('trade_document').select('document_date').execute();
    for (const { document_date } of documents) expect(document_date <= today).toBe(true);
  });

  it('runs again beside the first run, found through HOST and PORT as npm start reads them', async () => {
    const { port } = new URL(server.url);
    const { code, output } = await runDemo([], {
      ADMIN_API_KEY: ledger.adminApiKey,
      HOST: '0.0.0.0',
      PORT: port,
    });
    expect(code, output).toBe(0);
    expect(output).toContain(`seeding a demo supply chain at http://127.0.0.1:${port}/graphql`);
    expect(output.match(/, confirmed$/gm)).toHaveLength(12);
    const invoices = await ledger.owner.db
      .selectFrom('trade_document')
      .select('id')
      .where('status', '=', 'confirmed')
      .execute();
    expect(invoices).toHaveLength(24);
    // Without --keys-dir, the key files go to DATA_DIR/demo-keys, as npm start reads DATA_DIR.
    expect(readdirSync(path.join(dataDir, 'demo-keys'))).toHaveLength(2);
  });

  it('explains what to do when no ledger answers, naming --url, or HOST and PORT', async () => {
    const given = await runDemo(['--url', 'http://127.0.0.1:9/graphql'], {
      ADMIN_API_KEY: 'tp_unused-but-present-000000000000',
    });
    expect(given.code).toBe(1);
    expect(given.output).toBe(
      'demo failed: no ledger answers at http://127.0.0.1:9/graphql (--url): start it with `npm start` in ' +
        'another terminal, or correct --url\n',
    );
    const port = await freePort();
    const fromEnv = await runDemo([], {
      ADMIN_API_KEY: 'tp_unused-but-present-000000000000',
      PORT: String(port),
    });
    expect(fromEnv.code).toBe(1);
    expect(fromEnv.output).toBe(
      `demo failed: no ledger answers at http://127.0.0.1:${port}/graphql (HOST and PORT): start it with ` +
        '`npm start` in another terminal, or give its address with --url (or the HOST and PORT it was started with)\n',
    );
  });
});
