/**
 * Event.leafIndex for an event still waiting to be anchored is answered from the latest checkpoint
 * alone: a client polling for its event must not read the leaf rows the anchoring batch writes
 * (on CockroachDB each such read can push the batch and make it restart).
 */
import type { KyselyPlugin, PluginTransformQueryArgs, RootOperationNode } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { insertSyntheticEvents } from '../../scripts/bench/synthetic-events.js';
import { leafIndexesOf } from '../../services/ledger/log-query.service.js';
import { anchorAll, syntheticActor } from '../support/anchor.js';
import { useTestLedger } from '../support/ledger.js';

const ledger = useTestLedger();
let actor: { partyId: string; keyId: string };

/** Records the tables each query names. */
class TablesRead implements KyselyPlugin {
  readonly queries: string[] = [];
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.queries.push(JSON.stringify(args.node));
    return args.node;
  }
  async transformResult<T>(args: { result: T }): Promise<T> {
    return args.result;
  }
  readsLeaf(): boolean {
    return this.queries.some((query) => query.includes('"name":"leaf"'));
  }
}

async function positions(ids: string[]) {
  const rows = await ledger.owner.db
    .selectFrom('event')
    .select(['id', 'recorded_at'])
    .where('id', 'in', ids)
    .execute();
  return rows.map((row) => ({ id: row.id, recordedAt: row.recorded_at }));
}

describe('leaf indexes of pending events', () => {
  beforeAll(async () => {
    actor = await syntheticActor(ledger);
  });

  it('answers pending events without reading leaf, anchored ones from it', async () => {
    const anchoredIds = await insertSyntheticEvents(ledger.owner.db, 3, actor);
    const treeSize = await anchorAll(ledger);
    const pendingIds = await insertSyntheticEvents(ledger.owner.db, 2, actor);
    const recorder = new TablesRead();
    const watched = { ...ledger.ledger, db: ledger.app.db.withPlugin(recorder) };

    const pending = await leafIndexesOf(watched, await positions(pendingIds));
    expect(pending.size).toBe(0);
    expect(recorder.readsLeaf()).toBe(false);

    const anchored = await leafIndexesOf(watched, await positions(anchoredIds));
    expect([...anchored.values()].sort((a, b) => a - b)).toEqual(
      [0, 1, 2].map((offset) => treeSize - 3 + offset),
    );
    expect(recorder.readsLeaf()).toBe(true);
  });
});
