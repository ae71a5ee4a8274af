/** A worker killed (SIGKILL) in the middle of a batch: nothing of the batch remains, nothing is lost. */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { insertSyntheticEvents } from '../../scripts/bench/synthetic-events.js';
import { anchorBatch } from '../../services/ledger/anchor.js';
import { rootFromLeafHashes } from '../../services/ledger/merkle.js';
import { testLogOrigin, useTestLedger } from '../support/ledger.js';

const ledger = useTestLedger();
const root = new URL('../../', import.meta.url).pathname;

function runDoomedWorker(): Promise<{ signal: NodeJS.Signals | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/ledger/fixtures/anchor-then-die.ts'], {
      cwd: root,
      env: {
        ...process.env,
        ANCHOR_DATABASE_URL: ledger.appUrl,
        ANCHOR_CUSTODY_KEY: ledger.ledger.custody.key?.toString('hex') ?? '',
        ANCHOR_LOG_ORIGIN: testLogOrigin,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (_code, signal) => resolve({ signal, output }));
  });
}

describe('a worker killed mid-batch', () => {
  it('leaves no partial batch, and the next worker anchors every event exactly once', async () => {
    const key = await ledger.owner.db
      .selectFrom('party_key')
      .select('key_id')
      .where('party_id', '=', ledger.ledger.platformPartyId)
      .executeTakeFirstOrThrow();
    await insertSyntheticEvents(ledger.owner.db, 2000, {
      partyId: ledger.ledger.platformPartyId,
      keyId: key.key_id,
    });

    const { signal, output } = await runDoomedWorker();
    expect(signal, output).toBe('SIGKILL');
    expect(output).toContain('written, not committed');
    const count = async (table: 'leaf' | 'checkpoint' | 'tile') =>
      (
        await ledger.owner.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<bigint>().as('n'))
          .executeTakeFirstOrThrow()
      ).n;
    expect(await count('leaf')).toBe(0n);
    expect(await count('checkpoint')).toBe(0n);
    expect(await count('tile')).toBe(0n);

    const result = await anchorBatch(ledger.app.db, ledger.logSigner, {
      batchEventsMax: 100_000,
      lateCheckedThrough: null,
      lateSettleMs: 0,
      holder: 'next-worker',
      leaseTtlMs: 5000,
    });
    const events = await ledger.owner.db.selectFrom('event').select('id').execute();
    expect(result.anchored).toBe(events.length);
    const leaves = await ledger.owner.db.selectFrom('leaf').selectAll().orderBy('leaf_index').execute();
    expect(new Set(leaves.map((leaf) => leaf.event_id)).size).toBe(events.length);
    const checkpoint = await ledger.owner.db.selectFrom('checkpoint').selectAll().executeTakeFirstOrThrow();
    expect(checkpoint.root_hash).toEqual(rootFromLeafHashes(leaves.map((leaf) => leaf.leaf_hash)));
  });
});
