/**
 * traceFunds reads payments by payer (a level's payees, then the payers' payments) through
 * payment_payer_created (0147), never by scanning every payment. With few rows the planner rightly prefers a scan, so sequential scans are
 * switched off: the check is that the index serves the statement's shape at all.
 */
import { randomUUID } from 'node:crypto';
import { CompiledQuery, type KyselyPlugin, type RootOperationNode } from 'kysely';
import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../services/db/transaction.js';
import { readPayees, readPaymentsBy } from '../../services/exposure/trace-funds.repository.js';
import { useTestLedger } from '../support/ledger.js';

const database = useTestLedger();

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

const nodes = (plan: PlanNode): PlanNode[] => [plan, ...(plan.Plans ?? []).flatMap(nodes)];

describe('the payment read of traceFunds on PostgreSQL', () => {
  it.each([
    ['the payments of a set of payers', readPaymentsBy],
    ['the payees of a level', readPayees],
  ] as const)('reads %s through payment_payer_created', async (_what, read) => {
    if (database.owner.flavor !== 'postgres') return;
    const captured: Array<{
      node: RootOperationNode;
      queryId: Parameters<KyselyPlugin['transformQuery']>[0]['queryId'];
    }> = [];
    const plugin: KyselyPlugin = {
      transformQuery: (args) => {
        captured.push({ node: args.node, queryId: args.queryId });
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    const db = database.owner.db;
    const window = { disbursedEventId: randomUUID(), currency: 'CNY', asOf: new Date() };
    await read(db.withPlugin(plugin), [randomUUID(), randomUUID()], window);
    const [statement] = captured;
    if (statement === undefined) throw new Error('no statement captured');
    const compiled = db.getExecutor().compileQuery(statement.node, statement.queryId);
    const plan = await inTransaction(db, async (trx) => {
      await trx.executeQuery(CompiledQuery.raw('SET LOCAL enable_seqscan = off'));
      const explained = await trx.executeQuery<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(
        CompiledQuery.raw(`EXPLAIN (FORMAT JSON) ${compiled.sql}`, [...compiled.parameters]),
      );
      const root = explained.rows[0]?.['QUERY PLAN'][0];
      if (!root) throw new Error('no plan');
      return nodes(root.Plan);
    });
    expect(plan.map((node) => node['Index Name'])).toContain('payment_payer_created');
    expect(
      plan.filter((node) => node['Relation Name'] === 'payment' && node['Node Type'] === 'Seq Scan'),
    ).toEqual([]);
  });
});
