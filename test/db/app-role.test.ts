import { type RawBuilder, sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { sign } from '../../services/crypto/index.js';
import { appRoleName } from '../../services/db/app-role.js';
import type { Db } from '../../services/db/transaction.js';
import { inTransactionResult } from '../../services/db/transaction-result.js';
import { newSalt, prepare } from '../../services/events/envelope.js';
import type { LedgerEvent } from '../../services/events/event.js';
import { appendSignedEvent } from '../../services/events/event.service.js';
import { freshKey } from '../support/fixtures.js';
import { useTestLedger } from '../support/ledger.js';

const ledger = useTestLedger();
const insufficientPrivilege = '42501';

/** The SQLSTATE a statement fails with, or 'succeeded'. */
async function sqlstateOf(db: Db, statement: RawBuilder<unknown>): Promise<string> {
  try {
    await statement.execute(db);
    return 'succeeded';
  } catch (error) {
    return (error as { code?: string }).code ?? `no SQLSTATE: ${String(error)}`;
  }
}

async function readEvents() {
  return ledger.owner.db.selectFrom('event').select(['id', 'kind', 'statement']).orderBy('id').execute();
}

describe('the application role', () => {
  let event: LedgerEvent;

  beforeAll(async () => {
    const party = await ledger.newParty(['supplier']);
    const envelope = {
      kind: 'invoice.issued',
      actor: party.party.id,
      counterparty: null,
      refs: [],
      payload: { invoiceNumber: 'INV-42' },
      occurredAt: new Date().toISOString(),
      salt: newSalt(),
      idempotencyKey: freshKey('event'),
    };
    const signature = sign(party.keyPair?.privateKey ?? Buffer.alloc(32), prepare(envelope).eventHash);
    const appended = await inTransactionResult(ledger.app.db, (trx) =>
      appendSignedEvent(trx, { envelope, signature }),
    );
    if (!appended.ok) throw new Error(`test setup: ${appended.code}`);
    event = appended.value.event;
  });

  it('is what the app connection logs in as, and not a superuser', async () => {
    const { rows } = await sql<{ user: string; superuser: boolean }>`
      SELECT current_user AS "user", (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user) AS superuser
    `.execute(ledger.app.db);
    expect(rows[0]).toEqual({ user: appRoleName, superuser: false });
  });

  it('inserts events through appendSignedEvent', async () => {
    const row = await ledger.owner.db
      .selectFrom('event')
      .select(['kind', 'statement'])
      .where('id', '=', event.id)
      .executeTakeFirst();
    expect(row?.kind).toBe('invoice.issued');
    expect(row?.statement.equals(event.statement)).toBe(true);
  });

  it.each([
    ['UPDATE event', () => sql`UPDATE event SET kind = 'invoice.rewritten' WHERE id = ${event.id}`],
    ['UPDATE event statement', () => sql`UPDATE event SET statement = ${Buffer.from('{}')}`],
    ['DELETE FROM event', () => sql`DELETE FROM event WHERE id = ${event.id}`],
    ['DELETE FROM event (all rows)', () => sql`DELETE FROM event`],
    ['TRUNCATE event', () => sql`TRUNCATE event`],
    ['DROP TABLE event', () => sql`DROP TABLE event`],
    ['ALTER TABLE event ADD COLUMN', () => sql`ALTER TABLE event ADD COLUMN note TEXT`],
    ['ALTER TABLE event DROP CONSTRAINT', () => sql`ALTER TABLE event DROP CONSTRAINT event_event_hash_key`],
  ])('may not %s (SQLSTATE 42501) and changes nothing', async (_name, statement) => {
    const before = await readEvents();
    expect(before.length).toBeGreaterThan(0);
    expect(await sqlstateOf(ledger.app.db, statement())).toBe(insufficientPrivilege);
    expect(await readEvents()).toEqual(before);
  });

  it('leaves the event table with its columns after a refused ALTER', async () => {
    const { rows } = await sql<{ column_name: string }>`
      SELECT column_name FROM information_schema.columns WHERE table_name = 'event' AND column_name = 'note'
    `.execute(ledger.owner.db);
    expect(rows).toEqual([]);
  });

  it('is the restriction: the owner connection may UPDATE the same row', async () => {
    const updated = await sql`UPDATE event SET kind = 'invoice.rewritten' WHERE id = ${event.id}`.execute(
      ledger.owner.db,
    );
    expect(updated.numAffectedRows).toBe(1n);
    const row = await ledger.owner.db
      .selectFrom('event')
      .select('kind')
      .where('id', '=', event.id)
      .executeTakeFirst();
    expect(row?.kind).toBe('invoice.rewritten');
  });
});
