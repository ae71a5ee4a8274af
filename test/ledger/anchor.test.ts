import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { insertSyntheticEvents } from '../../scripts/bench/synthetic-events.js';
import { parseVerifierKey } from '../../services/crypto/signed-note.js';
import { TransactionRetriesExhaustedError } from '../../services/db/transaction.js';
import { type AnchorOptions, anchorBatch } from '../../services/ledger/anchor.js';
import { verifyCheckpoint } from '../../services/ledger/checkpoint.js';
import { ensureLogSigner, type LogSigner } from '../../services/ledger/log-signer.js';
import { leafHash, rootFromLeafHashes } from '../../services/ledger/merkle.js';
import { merkletreejsRoot } from '../../services/ledger/merkletreejs.js';
import { fetchNodes } from '../../services/ledger/node-store.js';
import { addressesOf, buildInclusionProof, inclusionProofNodes } from '../../services/ledger/proofs.js';
import { verifyInclusion } from '../../services/ledger/verify.js';
import { useTestLedger } from '../support/ledger.js';

const ledger = useTestLedger();
let signer: LogSigner;

const options = (overrides: Partial<AnchorOptions> = {}): AnchorOptions => ({
  batchEventsMax: 1000,
  lateCheckedThrough: null,
  lateSettleMs: 0,
  holder: 'test-worker',
  leaseTtlMs: 5_000,
  ...overrides,
});

/** Batches until nothing is pending; like the worker loop, a batch that kept conflicting is run again. */
async function anchorAll(overrides: Partial<AnchorOptions> = {}): Promise<number> {
  for (;;) {
    const result = await anchorBatch(ledger.app.db, signer, options(overrides)).catch((error: unknown) => {
      if (error instanceof TransactionRetriesExhaustedError) return null;
      throw error;
    });
    if (result && result.anchored === 0 && result.leader) return result.treeSize;
  }
}

async function leaves() {
  return ledger.owner.db
    .selectFrom('leaf')
    .innerJoin('event', 'event.id', 'leaf.event_id')
    .select(['leaf.leaf_index', 'leaf.leaf_hash', 'event.event_hash', 'event.id'])
    .orderBy('leaf.leaf_index')
    .execute();
}

async function latestCheckpoint() {
  return ledger.owner.db
    .selectFrom('checkpoint')
    .selectAll()
    .orderBy('tree_size', 'desc')
    .executeTakeFirstOrThrow();
}

async function syntheticEvents(count: number) {
  const key = await ledger.owner.db
    .selectFrom('party_key')
    .select('key_id')
    .where('party_id', '=', ledger.ledger.platformPartyId)
    .executeTakeFirstOrThrow();
  await insertSyntheticEvents(ledger.owner.db, count, {
    partyId: ledger.ledger.platformPartyId,
    keyId: key.key_id,
  });
}

describe('anchoring', () => {
  beforeAll(async () => {
    signer = await ensureLogSigner(ledger.app.db, ledger.ledger.custody, 'tradeproof.test/log');
  });

  it('gives every event one consecutive leaf and signs a checkpoint over the RFC 9162 root', async () => {
    await ledger.newParty(['supplier']);
    const size = await anchorAll();
    const rows = await leaves();
    const events = await ledger.owner.db.selectFrom('event').select('id').execute();
    expect(rows).toHaveLength(events.length);
    expect(size).toBe(events.length);
    expect(rows.map((row) => Number(row.leaf_index))).toEqual(events.map((_, index) => index));
    for (const row of rows) expect(row.leaf_hash).toEqual(leafHash(row.event_hash));
    const checkpoint = await latestCheckpoint();
    const key = parseVerifierKey(signer.verifierKey);
    if (!key) throw new Error('verifier key does not parse');
    const verified = verifyCheckpoint(checkpoint.note, key, 'tradeproof.test/log');
    expect(verified.ok).toBe(true);
    expect(checkpoint.root_hash).toEqual(rootFromLeafHashes(rows.map((row) => row.leaf_hash)));
  });

  it('keeps tiles and roots right across uneven batches past several tiles, and serves inclusion proofs', async () => {
    await syntheticEvents(70_000);
    let batch = 0;
    const sizes = [1, 255, 256, 257, 4095, 9000, 30_000, 70_000];
    for (;;) {
      const result = await anchorBatch(
        ledger.app.db,
        signer,
        options({ batchEventsMax: sizes[batch++ % sizes.length] }),
      );
      if (result.anchored === 0) break;
    }
    const rows = await leaves();
    const checkpoint = await latestCheckpoint();
    expect(Number(checkpoint.tree_size)).toBe(rows.length);
    expect(checkpoint.root_hash).toEqual(rootFromLeafHashes(rows.map((row) => row.leaf_hash)));
    // merkletreejs, an independent implementation, agrees on the root of the stored log.
    expect(checkpoint.root_hash).toEqual(merkletreejsRoot(rows.map((row) => row.leaf_hash)));
    for (const leafIndex of [0, 1, 255, 256, 65_535, 65_536, rows.length - 1]) {
      const elements = inclusionProofNodes(leafIndex, rows.length);
      const fetched = await fetchNodes(ledger.app.db, addressesOf(elements));
      const proof = buildInclusionProof(leafIndex, rows.length, fetched);
      const row = rows[leafIndex];
      expect(row && verifyInclusion(row.leaf_hash, leafIndex, rows.length, proof, checkpoint.root_hash)).toBe(
        true,
      );
    }
  }, 120_000);

  it('anchors each event exactly once when two workers run at once', async () => {
    await syntheticEvents(1500);
    const worker = (holder: string) => anchorAll({ holder, batchEventsMax: 97, leaseTtlMs: 1 });
    await Promise.all([worker('worker-a'), worker('worker-b')]);
    const rows = await leaves();
    const events = await ledger.owner.db.selectFrom('event').select('id').execute();
    expect(new Set(rows.map((row) => row.id)).size).toBe(events.length);
    expect(rows.map((row) => Number(row.leaf_index))).toEqual(rows.map((_, index) => index));
    const checkpoint = await latestCheckpoint();
    expect(checkpoint.root_hash).toEqual(rootFromLeafHashes(rows.map((row) => row.leaf_hash)));
  }, 120_000);

  it('loses nothing and repeats nothing when a batch dies before it commits', async () => {
    await syntheticEvents(500);
    const before = await latestCheckpoint();
    await expect(
      anchorBatch(
        ledger.app.db,
        signer,
        options({ beforeCommit: async () => Promise.reject(new Error('crash')) }),
      ),
    ).rejects.toThrow('crash');
    expect((await latestCheckpoint()).tree_size).toBe(before.tree_size);
    await anchorAll();
    const rows = await leaves();
    const { count } = await ledger.owner.db
      .selectFrom('event')
      .select((eb) => eb.fn.countAll<bigint>().as('count'))
      .executeTakeFirstOrThrow();
    expect(BigInt(rows.length)).toBe(count);
  });

  it('stands aside while another worker holds the lease', async () => {
    await sql`DELETE FROM lease`.execute(ledger.owner.db);
    await syntheticEvents(5);
    const held = await anchorBatch(ledger.app.db, signer, options({ holder: 'leader', leaseTtlMs: 60_000 }));
    expect(held.leader).toBe(true);
    await syntheticEvents(5);
    const other = await anchorBatch(ledger.app.db, signer, options({ holder: 'follower' }));
    expect(other).toMatchObject({ leader: false, anchored: 0 });
    const pending = await anchorBatch(
      ledger.app.db,
      signer,
      options({ holder: 'leader', leaseTtlMs: 60_000 }),
    );
    expect(pending).toMatchObject({ leader: true, anchored: 5 });
  });
});
