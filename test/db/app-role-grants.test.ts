/**
 * What the application role may change, column by column: UPDATE only where the code updates, and
 * no UPDATE or DELETE at all on the log, the events, payments and document references. Each
 * statement runs for real as the app role (`WHERE false`, so nothing changes): the server checks
 * privileges whether or not a row matches.
 */
import { type RawBuilder, sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../services/db/transaction.js';
import { useTestDatabase } from '../support/database.js';

const database = useTestDatabase();
const insufficientPrivilege = '42501';

/** The columns the services update (every updateTable and UPDATE in services/), and the lease. */
const updatable: Record<string, readonly string[]> = {
  party_key: ['retired_at', 'status'],
  api_key: ['revoked_at'],
  trade_document: ['status'],
  receivable: [
    'credited_minor',
    'financing_id',
    'on_hold',
    'settled_minor',
    'status',
    'transferred_minor',
    'version',
  ],
  financing: [
    'accepted_offer_id',
    'child_receivable_id',
    'closed_event_id',
    'disbursed_event_id',
    'lender_party_id',
    'payment_reference',
    'status',
  ],
  financing_response: ['status'],
  financed_root: ['financed_minor'],
  credit_limit: ['event_id', 'limit_minor', 'updated_at'],
  // Not ledger state: the statement prepare last handed out for a key, replaced until one is recorded.
  prepared_statement: ['event_hash', 'prepared_at', 'statement'],
  // A party's settings and the outbox, not ledger state: a webhook is removed, a delivery is settled.
  webhook: ['removed_at'],
  webhook_delivery: [
    'attempts',
    'delivered_at',
    'last_attempt_at',
    'last_error',
    'last_status_code',
    'next_attempt_at',
    'status',
  ],
};
const leaseTable = 'lease';
// Not ledger state: the first administrator API key, sealed, deleted once a start has printed it.
const deletedWhenDone = ['pending_admin_api_key'];
const neverUpdated = [
  'event',
  'leaf',
  'tile',
  'checkpoint',
  'witness',
  'cosignature',
  'ledger_setting',
  'party',
  'payment',
  'payment_allocation',
  'trade_document_ref',
  'fact_chain_link',
  'webhook_request',
  'financing_lender',
  'verification_report',
  'invoice_fingerprint',
  'financing_alert',
  'receivable_history',
];

async function sqlstateOf(db: Db, statement: RawBuilder<unknown>): Promise<string> {
  try {
    await statement.execute(db);
    return 'succeeded';
  } catch (error) {
    return (error as { code?: string }).code ?? `no SQLSTATE: ${String(error)}`;
  }
}

describe('the application role, table by table and column by column', () => {
  const columns = new Map<string, string[]>();

  beforeAll(async () => {
    // Generated columns are left out: nobody may assign them, owner or not.
    const { rows } = await sql<{ table_name: string; column_name: string }>`
      SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = current_schema() AND is_generated = 'NEVER'
        AND table_name NOT LIKE 'kysely_%'
      ORDER BY table_name, column_name`.execute(database.owner.db);
    for (const row of rows)
      columns.set(row.table_name, [...(columns.get(row.table_name) ?? []), row.column_name]);
  });

  it('knows every table it checks', () => {
    for (const table of [...neverUpdated, ...Object.keys(updatable), ...deletedWhenDone, leaseTable]) {
      expect(columns.has(table), table).toBe(true);
    }
  });

  it.each(neverUpdated)('may neither UPDATE any column of %s nor DELETE from it', async (table) => {
    for (const column of columns.get(table) ?? []) {
      const update = sql`UPDATE ${sql.table(table)} SET ${sql.ref(column)} = ${sql.ref(column)} WHERE false`;
      expect(await sqlstateOf(database.app.db, update), `${table}.${column}`).toBe(insufficientPrivilege);
    }
    const remove = sql`DELETE FROM ${sql.table(table)} WHERE false`;
    expect(await sqlstateOf(database.app.db, remove)).toBe(insufficientPrivilege);
  });

  const updatableRows = Object.entries(updatable).map(([table, allowed]) => [table, allowed.join(', ')]);
  it.each(updatableRows)('may UPDATE in %s only %s, and never DELETE', async (table) => {
    const allowed = updatable[table] ?? [];
    const outcome: Record<string, string> = {};
    for (const column of columns.get(table) ?? []) {
      const update = sql`UPDATE ${sql.table(table)} SET ${sql.ref(column)} = ${sql.ref(column)} WHERE false`;
      outcome[column] = await sqlstateOf(database.app.db, update);
    }
    const expected = Object.fromEntries(
      Object.keys(outcome).map((column) => [
        column,
        allowed.includes(column) ? 'succeeded' : insufficientPrivilege,
      ]),
    );
    expect(outcome).toEqual(expected);
    const remove = sql`DELETE FROM ${sql.table(table)} WHERE false`;
    expect(await sqlstateOf(database.app.db, remove)).toBe(insufficientPrivilege);
  });

  it.each(deletedWhenDone)('may UPDATE no column of %s, and may DELETE from it', async (table) => {
    for (const column of columns.get(table) ?? []) {
      const update = sql`UPDATE ${sql.table(table)} SET ${sql.ref(column)} = ${sql.ref(column)} WHERE false`;
      expect(await sqlstateOf(database.app.db, update), `${table}.${column}`).toBe(insufficientPrivilege);
    }
    const remove = sql`DELETE FROM ${sql.table(table)} WHERE false`;
    expect(await sqlstateOf(database.app.db, remove)).toBe('succeeded');
  });

  it('may not rewrite a registered public key (party_key.public_key)', async () => {
    const update = sql`UPDATE party_key SET public_key = ${Buffer.alloc(32)}`;
    expect(await sqlstateOf(database.app.db, update)).toBe(insufficientPrivilege);
  });

  it('has every table of the schema listed here, so a new table needs a decision', () => {
    const listed = new Set([...neverUpdated, ...Object.keys(updatable), ...deletedWhenDone, leaseTable]);
    expect([...columns.keys()].filter((table) => !listed.has(table))).toEqual([]);
  });
});
