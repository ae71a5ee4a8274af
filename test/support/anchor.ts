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
