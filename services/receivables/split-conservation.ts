/**
 * The law every split keeps, read back after the write (a transfer, or a disbursement that splits
 * the financed part off to its lender): the parent still adds up, and its children's faces sum to
 * what it passed on.
 */
import { assert } from '../assert.js';
import type { Trx } from '../db/transaction.js';
import { assertNodeConserves } from './receivable.js';
import { findChildren, findReceivable } from './receivable.repository.js';

/** `kind` names the fact whose write broke the law, in the assertion's message. */
export async function assertSplitConserves(trx: Trx, parentId: string, kind: string): Promise<void> {
  const parent = await findReceivable(trx, parentId);
  assert(parent !== undefined, `${kind}: the parent vanished`);
  assertNodeConserves(parent);
  const children = await findChildren(trx, parent);
  const childFaces = children.reduce((sum, child) => sum + child.faceMinor, 0n);
  assert(childFaces === parent.transferredMinor, `${kind}: children do not sum to the transferred amount`);
}
