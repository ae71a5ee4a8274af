import { anchorBatch } from '../../services/ledger/anchor.js';
import type { TestLedger } from './ledger.js';

/** Anchors every pending event, late ones included; returns the tree size of the latest checkpoint. */
export async function anchorAll(ledger: TestLedger): Promise<number> {
  for (;;) {
    const result = await anchorBatch(ledger.app.db, ledger.logSigner, {
      batchEventsMax: 10_000,
      lateCheckedThrough: null,
      lateSettleMs: 0,
      holder: 'test',
      leaseTtlMs: 1,
    });
    if (result.anchored === 0) return result.treeSize;
  }
}

/** The platform as the actor of synthetic events (scripts/bench/synthetic-events.ts). */
export async function syntheticActor(ledger: TestLedger): Promise<{ partyId: string; keyId: string }> {
  const key = await ledger.owner.db
    .selectFrom('party_key')
    .select('key_id')
    .where('party_id', '=', ledger.ledger.platformPartyId)
    .executeTakeFirstOrThrow();
  return { partyId: ledger.ledger.platformPartyId, keyId: key.key_id };
}
