/**
 * `npm run sign -- submit` end to end: prepared statements as JSON lines, signed with the party's key
 * file by the CLI in a child process, submitted in batches to a real HTTP server, one outcome per line
 * in input order; sending the same statements again answers every one replayed.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startHttpServer } from '../../graphql/http.js';
import { writeKeyFile } from '../../scripts/client/key-file.js';
import { startVerifyPool, type VerifyPool } from '../../services/crypto/verify-pool.js';
import { prepareFact } from '../../services/events/fact.service.js';
import { purchaseOrderKind } from '../../services/trade/index.js';
import { preparedStatement } from '../client/statements.js';
import { freshKey } from '../support/fixtures.js';
import { type TestParty, testLimits, useTestLedger } from '../support/ledger.js';
import { stackFrame } from '../support/script-run.js';
import { purchaseOrderPayload } from '../trade/trade-fixtures.js';

const t = useTestLedger();
const root = new URL('../../', import.meta.url).pathname;
let buyer: TestParty;
let seller: TestParty;
let server: RunningServer;
let pool: VerifyPool;
let directory: string;
let keyFile: string;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The CLI in a child process (asynchronously: the server answering it runs in this one). */
function sign(args: string[], env: Record<string, string>, input = ''): Promise<Run> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/sign.ts', ...args], {
    cwd: root,
    env: { ...process.env, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdin.end(input);
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

beforeAll(async () => {
  buyer = await t.newParty(['core_enterprise'], { custodial: true });
  seller = await t.newParty(['supplier']);
  pool = startVerifyPool({ threads: 2 });
  server = await startHttpServer({
    ledger: { ...t.ledger, verifier: pool },
    logSigner: t.logSigner,
    graphiql: false,
    host: '127.0.0.1',
    port: 0,
    requestBodyBytesMax: 8 * 1_048_576,
    ...testLimits,
  });
  directory = await mkdtemp(path.join(tmpdir(), 'tradeproof-sign-submit-'));
  keyFile = path.join(directory, 'seller.key.json');
  if (!seller.keyPair) throw new Error('the seller holds its key');
  await writeKeyFile(keyFile, seller.keyPair);
});

afterAll(async () => {
  await server?.close(1000);
  await pool?.close();
  await rm(directory, { recursive: true, force: true });
});

async function preparedOrders(count: number) {
  const prepared = [];
  for (let index = 0; index < count; index++) {
    const payload = purchaseOrderPayload(buyer, seller, [{ itemCode: 'A', quantity: '1', unitPrice: '5' }]);
    const result = await prepareFact(t.ledger, seller.actor, purchaseOrderKind, payload, freshKey('po'));
    if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
    prepared.push(result.value);
  }
  return prepared;
}

describe('npm run sign -- submit', { timeout: 120_000 }, () => {
  it('signs and submits JSON lines in batches, answering each line in order, and again as replays', async () => {
    const orders = await preparedOrders(5);
    // Someone else's statement: the server refuses it alone.
    const foreign = preparedStatement().statement;
    const lines = [
      JSON.stringify(orders[0]?.statement),
      JSON.stringify({ statement: orders[1]?.statement, eventHash: orders[1]?.eventHash }),
      JSON.stringify(foreign),
      '',
      ...orders.slice(2).map((order) => JSON.stringify(order.statement)),
    ];
    const file = path.join(directory, 'statements.jsonl');
    await writeFile(file, `${lines.join('\n')}\n`);
    const url = `${server.url}/graphql`;
    const env = { TRADEPROOF_API_KEY: seller.apiKey };

    const first = await sign(
      ['submit', '--key', keyFile, '--url', url, '--statements', file, '--batch', '2'],
      env,
    );
    expect(first.stderr).not.toMatch(stackFrame);
    expect(first.code).toBe(1);
    const outcomes = first.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(outcomes.map((outcome) => outcome.line)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(outcomes[2].error).toMatchObject({ code: 'FORBIDDEN', retryable: false });
    const written = outcomes.filter((outcome) => outcome.error === undefined);
    expect(written.map((outcome) => outcome.eventHash)).toEqual(orders.map((order) => order.eventHash));
    expect(written.every((outcome) => outcome.replayed === false)).toBe(true);
    expect(first.stderr).toContain('submitted 2/6');
    expect(first.stderr).toContain('submitted 6/6');
    expect(first.stderr).toContain('6 statements: 5 recorded, 0 already recorded, 1 refused');

    const again = await sign(
      ['submit', '--key', keyFile, '--url', url],
      env,
      `${orders.map((order) => JSON.stringify(order.statement)).join('\n')}\n`,
    );
    expect(again.code).toBe(0);
    const replays = again.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(replays.map((outcome) => outcome.eventId)).toEqual(written.map((outcome) => outcome.eventId));
    expect(replays.every((outcome) => outcome.replayed === true)).toBe(true);
    expect(again.stderr).toContain('5 statements: 0 recorded, 5 already recorded, 0 refused');
  });

  it('says what is missing or malformed, with the usage and exit 2', async () => {
    const noKey = await sign(['submit', '--key', keyFile, '--url', `${server.url}/graphql`], {
      TRADEPROOF_API_KEY: '',
    });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('give --api-key or set TRADEPROOF_API_KEY');
    expect(noKey.stderr).toContain('submit --key <key.json> --url <graphql url>');
    const badLine = await sign(
      ['submit', '--key', keyFile, '--url', `${server.url}/graphql`],
      { TRADEPROOF_API_KEY: seller.apiKey },
      '{"statement": 12}\n',
    );
    expect(badLine.code).toBe(2);
    expect(badLine.stderr).toContain('line 1: neither a JSON string nor an object with a "statement"');
    expect(badLine.stderr).not.toMatch(stackFrame);
  });
});
