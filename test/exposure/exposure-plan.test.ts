/**
 * The walk's plan on PostgreSQL: each level reads the claims of its frontier through the partial
 * indexes of 0140 and 0141, never the whole receivable table (6,000 claims, analysed).
 */
import { CompiledQuery, type KyselyPlugin, type RootOperationNode, sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Db, inTransaction } from '../../services/db/transaction.js';
import { readExposureRows } from '../../services/exposure/claim-graph.repository.js';
import type { ExposureDirection } from '../../services/exposure/exposure.js';
import { useTestLedger } from '../support/ledger.js';
import { type ClaimSpec, claimWorld, insertClaims, insertParties } from './claim-world.js';

const database = useTestLedger();
let parties: string[] = [];

beforeAll(async () => {
  // Enough claims, with statistics, that reading a frontier's claims by index beats reading all.
  const world = await claimWorld(database);
  parties = await insertParties(database, 500);
  const specs: ClaimSpec[] = [];
  for (let index = 0; index < 6_000; index++) {
    const obligor = parties[index % 50] ?? '';
    const holder = parties[50 + ((index * 7) % 450)] ?? '';
    specs.push({
      holder,
      obligor,
      faceMinor: BigInt(index + 1),
      status: index % 3 === 0 ? 'settled' : 'open',
      settledMinor: index % 3 === 0 ? BigInt(index + 1) : 0n,
    });
  }
  await insertClaims(database, world, specs);
  await sql`ANALYZE receivable`.execute(database.owner.db);
});

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

/** The plan of the one statement `run` sends. */
async function planOf(db: Db, run: (db: Db) => Promise<unknown>): Promise<PlanNode[]> {
  type Captured = {
    node: RootOperationNode;
    queryId: Parameters<KyselyPlugin['transformQuery']>[0]['queryId'];
  };
  const captured: Captured[] = [];
  const plugin: KyselyPlugin = {
    transformQuery: (args) => {
      captured.push({ node: args.node, queryId: args.queryId });
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  await run(db.withPlugin(plugin));
  const [statement] = captured;
  if (statement === undefined) throw new Error('no statement captured');
  const compiled = db.getExecutor().compileQuery(statement.node, statement.queryId);
  return inTransaction(db, async (trx) => {
    const plan = await trx.executeQuery<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(
      CompiledQuery.raw(`EXPLAIN (FORMAT JSON) ${compiled.sql}`, [...compiled.parameters]),
    );
    const root = plan.rows[0]?.['QUERY PLAN'][0];
    if (!root) throw new Error('no plan');
    return nodes(root.Plan);
  });
}

describe('the exposure walk on PostgreSQL', () => {
  it.each([
    ['upstream', 'receivable_claim_obligor'],
    ['downstream', 'receivable_claim_holder'],
  ] as const)('walks %s through %s', async (direction: ExposureDirection, index) => {
    if (database.owner.flavor !== 'postgres') return;
    const plan = await planOf(database.owner.db, (db) =>
      readExposureRows(
        db,
        {
          partyId: direction === 'upstream' ? (parties[0] ?? '') : (parties[60] ?? ''),
          direction,
          maxDepth: 4,
          currency: 'CNY',
        },
        '2025-06-01',
      ),
    );
    expect(plan.map((node) => node['Index Name'])).toContain(index);
    expect(
      plan.filter((node) => node['Relation Name'] === 'receivable' && node['Node Type'] === 'Seq Scan'),
    ).toEqual([]);
  });
});
