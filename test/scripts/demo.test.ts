/** `npm run demo` seeds its chain through the public API of a running ledger and reports what it did. */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startHttpServer } from '../../graphql/http.js';
import { testLimits, useTestLedger } from '../support/ledger.js';

const ledger = useTestLedger();
const root = new URL('../../', import.meta.url).pathname;
let server: RunningServer;

function runDemo(url: string, adminApiKey: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', '--url', url], {
      cwd: root,
      env: { ...process.env, ADMIN_API_KEY: adminApiKey },
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
  afterAll(() => server.close(1000));

  it('seeds twelve confirmed invoices, splits over three tiers and one settlement, printing the API keys', async () => {
    const { code, output } = await runDemo(server.url, ledger.adminApiKey);
    expect(code, output).toBe(0);
    expect(output.match(/, confirmed$/gm)).toHaveLength(12);
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
  });

  it('explains what to do when no ledger answers', async () => {
    const { code, output } = await runDemo(
      'http://127.0.0.1:9/graphql',
      'tp_unused-but-present-000000000000',
    );
    expect(code).toBe(1);
    expect(output).toContain('npm start');
  });
});
