/**
 * The schema a migrated database holds, read from the server's own catalogue: what the portability
 * rules of docs/database.md promise (no foreign key on leaf, millisecond defaults, the event and
 * document indexes), and, on PostgreSQL, that the lists people page through are read through them.
 */
import { randomUUID } from 'node:crypto';
import { CompiledQuery, type KyselyPlugin, type RootOperationNode, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../services/db/transaction.js';
import { inTransaction } from '../../services/db/transaction.js';
import { listEvents } from '../../services/events/event.repository.js';
import { listDocumentsPage } from '../../services/trade/trade-document.repository.js';
import { useTestDatabase } from '../support/database.js';

const database = useTestDatabase();

async function indexes(table: string): Promise<Map<string, string>> {
  const { rows } = await sql<{ indexname: string; indexdef: string }>`
    SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ${table}`.execute(database.owner.db);
  return new Map(rows.map((row) => [row.indexname, row.indexdef]));
}

describe('the migrated schema', () => {
  // 0031 drops the key by PostgreSQL's default name; 0025 no longer creates it, so no server keeps one.
  it('gives leaf no foreign key, by the information schema', async () => {
    const { rows } = await sql<{ name: string }>`
      SELECT constraint_name AS name FROM information_schema.table_constraints
      WHERE table_schema = current_schema() AND table_name = 'leaf' AND constraint_type = 'FOREIGN KEY'`.execute(
      database.owner.db,
    );
    expect(rows).toEqual([]);
    const { rows: referencing } = await sql<{ name: string }>`
      SELECT rc.constraint_name AS name FROM information_schema.referential_constraints AS rc
      JOIN information_schema.key_column_usage AS k
        ON k.constraint_name = rc.constraint_name AND k.constraint_schema = rc.constraint_schema
      WHERE k.table_schema = current_schema() AND k.table_name = 'leaf'`.execute(database.owner.db);
    expect(referencing).toEqual([]);
  });

  // 0089: a purchase order's write would otherwise read the event primary key's page (the key's
  // check), where concurrent orders insert their events: a serializable conflict between
  // independent writes (docs/database.md).
  it('gives trade_document no foreign key to event, keeping the others', async () => {
    const { rows } = await sql<{ name: string }>`
      SELECT constraint_name AS name FROM information_schema.table_constraints
      WHERE table_schema = current_schema() AND table_name = 'trade_document'
        AND constraint_type = 'FOREIGN KEY' ORDER BY constraint_name`.execute(database.owner.db);
    const names = rows.map((row) => row.name);
    expect(names).not.toContain('trade_document_event_id_fkey');
    expect(names).toContain('trade_document_buyer_party_id_fkey');
  });

  it.each([
    ['event', 'recorded_at'],
    ['webhook_delivery', 'created_at'],
    ['trade_document', 'created_at'],
  ])('defaults %s.%s to now() at millisecond precision, unit in the singular', async (table, column) => {
    const { rows } = await sql<{ fallback: string }>`
      SELECT column_default AS fallback FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = ${table} AND column_name = ${column}`.execute(
      database.owner.db,
    );
    expect(rows[0]?.fallback).toMatch(/date_trunc\('millisecond'/);
  });

  it('indexes events by time, by actor and by counterparty, and the old indexes are gone', async () => {
    const event = await indexes('event');
    for (const name of ['event_recorded_at_id', 'event_actor_recorded', 'event_counterparty_recorded']) {
      expect(event.has(name), name).toBe(true);
    }
    expect(event.has('event_recorded')).toBe(false);
    expect(event.has('event_counterparty')).toBe(false);
    // Events without a counterparty are never looked up by it: the index leaves them out.
    expect(event.get('event_counterparty_recorded')).toMatch(
      /WHERE \(?counterparty_party_id IS NOT NULL\)?/i,
    );
    if (database.owner.flavor === 'cockroach')
      expect(event.get('event_recorded_at_id')).toMatch(/USING HASH/i);
  });

  it.each([
    ['party_key', 'party_key_party'],
    ['api_key', 'api_key_party'],
    ['trade_document', 'trade_document_created'],
  ])('indexes %s by %s', async (table, name) => {
    expect((await indexes(table)).has(name)).toBe(true);
  });
});

/** Captures the statement a repository function runs, to EXPLAIN it. */
interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

/**
 * The index scans of a plan, each with the node types between it and the nearest LIMIT above it: an
 * ordered scan that feeds its LIMIT directly reads only a page.
 */
function indexScans(
  node: PlanNode,
  above: string[] = [],
): Array<{ scan: string; index: string; above: string[] }> {
  const type = node['Node Type'];
  const own = node['Index Name'] ? [{ scan: type, index: node['Index Name'], above }] : [];
  const below = type === 'Limit' ? [] : [...above, type];
  return [...own, ...(node.Plans ?? []).flatMap((child) => indexScans(child, below))];
}

function capturing(db: Db): { db: Db; explain(): Promise<PlanNode> } {
  let node: RootOperationNode | undefined;
  let queryId: Parameters<KyselyPlugin['transformQuery']>[0]['queryId'] | undefined;
  const plugin: KyselyPlugin = {
    transformQuery: (args) => {
      node = args.node;
      queryId = args.queryId;
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  return {
    db: db.withPlugin(plugin),
    explain: async () => {
      if (!node || !queryId) throw new Error('no statement captured');
      const compiled = db.getExecutor().compileQuery(node, queryId);
      // Tables this small are cheapest to read whole; forbid that, so the plan shows what an index
      // the planner can use would do on a large table.
      return inTransaction(db, async (trx) => {
        await sql`SET LOCAL enable_seqscan = off`.execute(trx);
        const plan = await trx.executeQuery<{ 'QUERY PLAN': unknown }>(
          CompiledQuery.raw(`EXPLAIN (FORMAT JSON) ${compiled.sql}`, [...compiled.parameters]),
        );
        const [root] = (plan.rows[0]?.['QUERY PLAN'] ?? []) as Array<{ Plan: PlanNode }>;
        if (!root) throw new Error('no plan');
        return root.Plan;
      });
    },
  };
}

/** EXPLAIN's output and enable_seqscan are PostgreSQL's; CockroachDB's plans are checked by review. */
function onPostgres(): boolean {
  if (database.owner.flavor === 'postgres') return true;
  console.info(
    '[schema-shape] plan checks skipped: EXPLAIN (FORMAT JSON) and enable_seqscan are PostgreSQL only',
  );
  return false;
}

describe('the plans on PostgreSQL', () => {
  const firstPage = { after: null, before: null, limit: 20, inverted: false };
  const laterPage = {
    after: { recordedAt: new Date('2026-01-01T00:00:00Z'), id: randomUUID() },
    before: null,
    limit: 20,
    inverted: false,
  };

  it.each([
    ['a first page', firstPage],
    ['a page after a cursor', laterPage],
  ])(
    "read a party's events, %s, in order from its actor and counterparty indexes, unsorted",
    async (_name, page) => {
      if (!onPostgres()) return;
      const probe = capturing(database.owner.db);
      await listEvents(probe.db, randomUUID(), page);
      const scans = indexScans(await probe.explain());
      // Each side is an ordered index scan feeding its own LIMIT: a page reads a page, whatever the
      // party's history (an OR over both columns would read and sort all of it).
      expect(scans).toEqual(
        expect.arrayContaining([
          { scan: 'Index Scan', index: 'event_actor_recorded', above: [] },
          { scan: 'Index Scan', index: 'event_counterparty_recorded', above: [] },
        ]),
      );
    },
  );

  it('reads every document in (created_at, id) order from trade_document_created, unsorted', async () => {
    if (!onPostgres()) return;
    const probe = capturing(database.owner.db);
    const filter = { partyId: null, kind: null, counterpartyId: null };
    await listDocumentsPage(probe.db, filter, {
      after: { createdAt: new Date('2026-01-01T00:00:00Z'), id: randomUUID() },
      before: null,
      limit: 20,
      inverted: false,
    });
    expect(indexScans(await probe.explain())).toEqual([
      { scan: 'Index Scan', index: 'trade_document_created', above: [] },
    ]);
  });
});
