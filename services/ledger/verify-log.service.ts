/**
 * verifyLog: the whole log checked in the database, for administrators and auditors. It streams every
 * leaf with its event in leaf order, a keyset page at a time, and names exactly the event whose row no
 * longer matches what was signed and logged; it grows the tree from the stored leaf hashes and checks
 * the root against every checkpoint, and every checkpoint note against the log key.
 */
import { assert } from '../assert.js';
import type { Ledger } from '../context.js';
import { parseVerifierKey, type VerifierKey } from '../crypto/signed-note.js';
import { inTransaction } from '../db/transaction.js';
import { type Actor, seesEverything } from '../parties/party.js';
import { fail, ok, type Result } from '../result.js';
import { verifyCheckpoint } from './checkpoint.js';
import { latestTreeSize } from './proof.repository.js';
import { eventProblems, FrontierTree, type LogVerification, ProblemList } from './verify-log.js';
import {
  type CheckpointRow,
  checkpointsBetween,
  type LeafEvidence,
  leavesWithEvents,
} from './verify-log.repository.js';

export { type LogCheck, type LogProblem, type LogVerification, logChecks } from './verify-log.js';

export const verifyLogChunkRowsMax = 10_000;

export interface VerifyLogOptions {
  /** The log's C2SP verifier key, as the server was configured with it (never read from the database). */
  logVerifierKey: string;
  /** Leaves per query; tests lower it to cross page boundaries. */
  chunkRowsMax?: number;
}

/** The scan's running state: the tree so far, and whether a missing leaf stopped root checks. */
class Scan {
  readonly tree = new FrontierTree();
  readonly problems = new ProblemList();
  eventsChecked = 0;
  checkpointsChecked = 0;
  /** Set at the first missing leaf: no later root can be recomputed. */
  broken = false;

  constructor(private readonly logKey: VerifierKey) {}

  /** Checks and appends the leaves below `upto`, which must continue the tree without a gap. */
  absorb(leaves: readonly LeafEvidence[], upto: number): void {
    const hashes: Buffer[] = [];
    for (const leaf of leaves) {
      this.eventsChecked += 1;
      this.problems.add(...eventProblems(leaf));
      if (this.broken) continue;
      if (leaf.leafIndex !== this.tree.size + hashes.length) {
        this.missing(this.tree.size + hashes.length);
        continue;
      }
      hashes.push(leaf.leafHash);
    }
    if (this.broken) return;
    this.tree.append(hashes);
    if (this.tree.size < upto) this.missing(this.tree.size);
  }

  private missing(leafIndex: number): void {
    this.broken = true;
    this.problems.add({
      check: 'leaf_missing',
      leafIndex,
      detail: `no leaf row (or no event or signing key behind it) at index ${leafIndex}`,
    });
  }

  checkpoint(row: CheckpointRow): void {
    this.checkpointsChecked += 1;
    const at = { treeSize: row.treeSize };
    const verified = verifyCheckpoint(row.note, this.logKey);
    if (!verified.ok) {
      this.problems.add({ check: 'checkpoint_signature', ...at, detail: verified.reason });
    } else if (
      verified.checkpoint.treeSize !== BigInt(row.treeSize) ||
      !verified.checkpoint.rootHash.equals(row.rootHash)
    ) {
      this.problems.add({
        check: 'checkpoint_row',
        ...at,
        detail: 'the row’s tree size or root hash differs from its signed note',
      });
    }
    if (this.broken) return;
    assert(this.tree.size === row.treeSize, 'the scan reached the checkpoint size');
    const signedRoot = verified.ok ? verified.checkpoint.rootHash : row.rootHash;
    const root = this.tree.root();
    if (!root.equals(signedRoot)) {
      this.problems.add({
        check: 'checkpoint_root',
        ...at,
        detail: `the root over the stored leaves is ${root.toString('hex')}, the checkpoint signs ${signedRoot.toString('hex')}`,
      });
    }
  }
}

/** One page of leaves [from, to) with the checkpoints that fall inside it, absorbed in order. */
function scanPage(scan: Scan, leaves: LeafEvidence[], checkpoints: CheckpointRow[]): void {
  let cursor = 0;
  for (const checkpoint of checkpoints) {
    let end = cursor;
    while (
      end < leaves.length &&
      (leaves[end]?.leafIndex ?? Number.POSITIVE_INFINITY) < checkpoint.treeSize
    ) {
      end += 1;
    }
    scan.absorb(leaves.slice(cursor, end), checkpoint.treeSize);
    cursor = end;
    scan.checkpoint(checkpoint);
  }
  const rest = leaves.slice(cursor);
  const last = rest[rest.length - 1];
  scan.absorb(rest, last === undefined ? scan.tree.size : last.leafIndex + 1);
}

/**
 * Checks every anchored event and every checkpoint up to the latest checkpoint at the start.
 *
 * Failure codes: forbidden (only platform administrators and auditors).
 */
export async function verifyLog(
  ledger: Ledger,
  actor: Actor,
  options: VerifyLogOptions,
): Promise<Result<LogVerification>> {
  if (!seesEverything(actor)) return fail('forbidden', 'only administrators and auditors verify the log');
  const logKey = parseVerifierKey(options.logVerifierKey);
  assert(logKey, 'the configured log verifier key parses');
  const chunk = options.chunkRowsMax ?? verifyLogChunkRowsMax;
  assert(Number.isSafeInteger(chunk) && chunk > 0, 'chunkRowsMax is a positive integer');
  const treeSize = await inTransaction(ledger.db, latestTreeSize);
  const scan = new Scan(logKey);
  let from = 0;
  do {
    const to = Math.min(from + chunk, treeSize);
    const [leaves, checkpoints] = await inTransaction(
      ledger.db,
      async (trx) =>
        [
          await leavesWithEvents(trx, from, to),
          await checkpointsBetween(trx, from === 0 ? 0 : from + 1, to),
        ] as const,
    );
    scanPage(scan, leaves, checkpoints);
    if (!scan.broken && scan.tree.size < to) scan.absorb([], to);
    from = to;
  } while (from < treeSize);
  return ok({
    ok: scan.problems.found === 0,
    treeSize,
    eventsChecked: scan.eventsChecked,
    checkpointsChecked: scan.checkpointsChecked,
    problems: scan.problems.kept,
  });
}
