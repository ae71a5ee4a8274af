/**
 * What a failed `npm start` says: one line on stderr naming the variable to change, exit code 1, no
 * stack trace. Each case runs `scripts/start.ts` for real and fails before it needs a database of its
 * own (the port, the address and the folder come first; a database that does not answer is waited
 * for DB_RECONNECT_WAIT_MS, here briefly).
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../services/db/embedded.js';
import { runScript, stackFrame } from '../support/script-run.js';

let scratch = '';
beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'tradeproof-start-errors-'));
});
afterAll(async () => {
  await chmod(path.join(scratch, 'locked'), 0o755).catch(() => {});
  await rm(scratch, { recursive: true, force: true });
});

/** A start that must fail: the one line it printed on stderr, after checking the rest. */
async function failedStart(env: Record<string, string>): Promise<string> {
  const run = await runScript('scripts/start.ts', [], {
    PORT: '0',
    DATABASE_URL: '',
    APP_DATABASE_URL: '',
    ADMIN_API_KEY: '',
    DATA_DIR: path.join(scratch, 'data'),
    ...env,
  });
  expect(run.code, run.stdout + run.stderr).toBe(1);
  expect(run.stderr).not.toMatch(stackFrame);
  const lines = run.stderr.split('\n').filter(Boolean);
  expect(lines, run.stderr).toHaveLength(1);
  return lines[0] ?? '';
}

const withDatabase = (url: string) => ({
  DATABASE_URL: url,
  CUSTODY_KEY: randomBytes(32).toString('hex'),
  DB_RECONNECT_WAIT_MS: '1000',
});

const isRoot = process.getuid?.() === 0;
if (isRoot)
  console.log('start-errors.test.ts: the folder without write permission case needs a non-root user');

describe('a failed npm start', () => {
  it('names DATABASE_URL when nothing listens where it points', async () => {
    const port = await freePort();
    const line = await failedStart(withDatabase(`postgresql://tradeproof@127.0.0.1:${port}/tradeproof`));
    expect(line).toBe(
      `[tradeproof] failed to start: no database answers at 127.0.0.1:${port} (connection refused) after 1 s ` +
        'of trying: check DATABASE_URL, and that the database server is running (DB_RECONNECT_WAIT_MS sets the wait)',
    );
  }, 120_000);

  it('names DATABASE_URL when something listens there but never answers, after a bounded wait', async () => {
    const silent = net.createServer(() => {
      // Takes the connection and says nothing, like a server that hangs or a wrong port.
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    try {
      const line = await failedStart(withDatabase(`postgresql://tradeproof@127.0.0.1:${port}/tradeproof`));
      expect(line).toMatch(
        new RegExp(
          `^\\[tradeproof\\] failed to start: no database answers at 127\\.0\\.0\\.1:${port} \\(.+\\) after 1 s of trying: check DATABASE_URL`,
        ),
      );
    } finally {
      silent.close();
    }
  }, 120_000);

  it('names DATABASE_URL when the database refuses the login', async () => {
    // A role nobody created: refused under password and trust authentication alike.
    const url = new URL(inject('adminDatabaseUrl'));
    url.username = 'tradeproof_no_such_role';
    url.password = 'not-a-password';
    const line = await failedStart(withDatabase(url.toString()));
    expect(line).toMatch(
      new RegExp(
        `^\\[tradeproof\\] failed to start: the database at ${url.host} refused the login \\(.+\\): check DATABASE_URL$`,
      ),
    );
  }, 120_000);

  it('names HOST when it is not an address of this machine', async () => {
    // 192.0.2.0/24 is TEST-NET-1: documentation only, never assigned to a machine.
    const line = await failedStart({ HOST: '192.0.2.1' });
    expect(line).toBe(
      '[tradeproof] failed to start: 192.0.2.1 is not an address of this machine, so the server cannot listen ' +
        'there: set HOST to one of its addresses (127.0.0.1 for this machine only, 0.0.0.0 for every network)',
    );
  }, 120_000);

  it('names DATA_DIR when it cannot be a folder', async () => {
    const file = path.join(scratch, 'a-file');
    await writeFile(file, 'not a folder\n');
    const line = await failedStart({ DATA_DIR: path.join(file, 'data') });
    expect(line).toBe(
      `[tradeproof] failed to start: DATA_DIR ${file}/data is not a folder this user can write (part of the ` +
        'path is a file): set DATA_DIR to one it can, or change its permissions',
    );
  }, 120_000);

  it.skipIf(isRoot)(
    'names DATA_DIR when this user may not write there',
    async () => {
      const locked = path.join(scratch, 'locked');
      await mkdir(locked);
      await chmod(locked, 0o555);
      const line = await failedStart({ DATA_DIR: locked });
      expect(line).toBe(
        `[tradeproof] failed to start: DATA_DIR ${locked} is not a folder this user can write (permission ` +
          'denied): set DATA_DIR to one it can, or change its permissions',
      );
    },
    120_000,
  );
});
