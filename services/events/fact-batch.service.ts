/**
 * Many prepared facts submitted at once (GraphQL submitStatements), each with its own answer in input
 * order, exactly as submitFact would have given it. The signatures are checked first, all together, on
 * the verifier threads (crypto/verify-pool.ts) against the actor's active key; then the facts are
 * written in groups, each group one short SERIALIZABLE transaction through the retry helper. A failure
 * is found before its fact writes anything (appendSubmitted), so a group commits everything else in it;
 * a group whose transaction cannot commit is written again one fact per transaction, so that one fact's
 * trouble never costs another its answer. Nothing is answered before its transaction committed.
 * Inside a group, the rows of facts that only insert (FactSpec.bulkInsert) go to the database as one
 * multi-row INSERT per table (db/insert-buffer.ts): per-row round trips, not the server's work, were
 * what bounded ingest.
 */
import { performance } from 'node:perf_hooks';
import type { Ledger } from '../context.js';
import { inlineVerifier } from '../crypto/verify-pool.js';
import { bufferInserts, flushInserts } from '../db/insert-buffer.js';
import { inSnapshot, inTransaction, type Trx } from '../db/transaction.js';
import { inTransactionResult } from '../db/transaction-result.js';
import type { Actor } from '../parties/party.js';
import { findPartiesByIds, primeParties } from '../parties/party.repository.js';
import { findActiveKey } from '../parties/party-key.repository.js';
import { fail, ok, type Result } from '../result.js';
import type { AppendedEvent } from './event.js';
import { usedIdempotencyKeys } from './event.repository.js';
import { appendSubmitted, checkSubmission, type Submitted, writeFact } from './fact-write.js';
import { takenIds, trustFreeIds } from './object-id.repository.js';

/** Statements in one submitStatements call. */
export const statementBatchItemsMax = 1000;

export interface BatchOptions {
  /**
   * Facts written per transaction: few enough that a conflict retries little work (a projection's
   * foreign key to its new event would read pages other groups insert into: docs/database.md, 0089).
   */
  groupFactsMax: number;
  /** Groups of one call written at once, each on a connection of its own. */
  groupsConcurrent: number;
}

export const defaultBatchOptions: BatchOptions = { groupFactsMax: 128, groupsConcurrent: 1 };

/**
 * Where submitFacts spent its time since the process started, summed over calls (concurrent calls
 * overlap): for the ingest bench's breakdown (scripts/bench/ingest.ts), never for decisions.
 */
export const batchPhaseTotals = { calls: 0, items: 0, checkMs: 0, verifyMs: 0, writeMs: 0 };

export interface StatementItem {
  statement: string;
  /** Hex Ed25519 signature of the eventHash; null asks for the custodial key. */
  signature: string | null;
}

type Answer = Result<AppendedEvent>;

interface Pending {
  index: number;
  statement: string;
  submitted: Submitted;
  verification?: { keyId: string; valid: boolean };
}

/**
 * The signatures of every signed submission checked at once against the actor's active key; a
 * signature the threads could not decide fails its item with verification_unavailable (retryable).
 * Without an active key nothing is checked here: the transaction says actor_has_no_active_key.
 */
async function verifyAll(ledger: Ledger, actor: Actor, pending: Pending[], answers: Answer[]) {
  const signed = pending.filter((entry) => entry.submitted.signature !== null);
  const key = signed.length > 0 ? await findActiveKey(ledger.db, actor.partyId) : undefined;
  if (key === undefined) return;
  const verdicts = await (ledger.verifier ?? inlineVerifier).verifyMany(
    signed.map((entry) => ({
      publicKey: key.publicKey,
      message: entry.submitted.prepared.eventHash,
      signature: entry.submitted.signature as Buffer,
    })),
  );
  signed.forEach((entry, position) => {
    const valid = verdicts[position];
    if (typeof valid === 'boolean') {
      entry.verification = { keyId: key.keyId, valid };
      return;
    }
    answers[entry.index] = fail(
      'verification_unavailable',
      'the signature could not be checked: send the same statement again',
      'signature',
    );
  });
}

/**
 * Groups of at most groupFactsMax in input order, except that every statement under one idempotency
 * key joins the group of its first: the second is then answered as a replay of the first in the same
 * transaction, instead of racing it from another connection.
 */
function groupsOf(pending: Pending[], groupFactsMax: number): Pending[][] {
  const groups: Pending[][] = [];
  const groupOfKey = new Map<string, Pending[]>();
  for (const entry of pending) {
    const key = entry.submitted.envelope.idempotencyKey;
    const joined = groupOfKey.get(key);
    if (joined) {
      joined.push(entry);
      continue;
    }
    let last = groups.at(-1);
    if (last === undefined || last.length >= groupFactsMax) {
      last = [];
      groups.push(last);
    }
    last.push(entry);
    groupOfKey.set(key, last);
  }
  return groups;
}

/**
 * What the group's transaction may trust on its first attempt, read just before in a snapshot that
 * takes no predicate locks (as submitFact does for one fact): which idempotency keys the actor used
 * already, and which of the ids the facts create are free. Both are reads of keys normally absent,
 * which, done serializably, would make concurrent groups conflict (object-id.repository.ts).
 */
async function readGroupBeforeWrite(ledger: Ledger, actor: Actor, group: Pending[]) {
  const claims = group.flatMap(({ submitted }) => submitted.spec.claims?.(submitted.payload) ?? []);
  const claimedOnce = claims.filter(
    (id, index) => claims.indexOf(id) === claims.lastIndexOf(id) || index < 0,
  );
  return inSnapshot(ledger.db, async (trx) => {
    const keys = group.map((entry) => entry.submitted.envelope.idempotencyKey);
    const used = await usedIdempotencyKeys(trx, actor.partyId, keys);
    const taken = await takenIds(trx, claimedOnce);
    return { used, freeIds: claimedOnce.filter((id) => !taken.has(id)) };
  });
}

/**
 * The group's own reads, once inside its transaction: the parties its facts name and the actor's
 * active key, which no fact of the group changes.
 */
async function readGroupParties(trx: Trx, actor: Actor, group: Pending[]) {
  const ids = new Set([actor.partyId]);
  for (const { submitted } of group)
    if (submitted.envelope.counterparty) ids.add(submitted.envelope.counterparty);
  primeParties(trx, await findPartiesByIds(trx, [...ids]));
  return findActiveKey(trx, actor.partyId);
}

/**
 * One transaction for the group; if it cannot commit (retries exhausted, an unexpected error), one
 * transaction per fact. An unexpected error of one fact is thrown only after every other fact of the
 * call has its answer and its writes committed. The first attempt trusts what readGroupBeforeWrite
 * found: a fact whose key was unused is written without looking its replay up again (a second fact
 * under the same key in the group still looks, and finds the first); a retry reads it all inside.
 */
async function writeGroup(ledger: Ledger, actor: Actor, group: Pending[], answers: Answer[]) {
  const before = await readGroupBeforeWrite(ledger, actor, group);
  try {
    const written = await inTransaction(ledger.db, async (trx, attempt) => {
      const key = await readGroupParties(trx, actor, group);
      if (attempt === 1) trustFreeIds(trx, before.freeIds);
      const buffer = group.some((entry) => entry.submitted.spec.bulkInsert)
        ? await bufferInserts(trx)
        : undefined;
      const written = new Set<string>();
      const inGroup: Answer[] = [];
      for (const entry of group) {
        const { idempotencyKey } = entry.submitted.envelope;
        const known = {
          ...(entry.verification ? { verification: entry.verification } : {}),
          ...(key ? { activeKey: key } : {}),
        };
        const trusted = attempt === 1 && !before.used.has(idempotencyKey) && !written.has(idempotencyKey);
        written.add(idempotencyKey);
        // A fact that reads what earlier facts wrote (a replay lookup, an untrusted id, a chain)
        // must see their rows: they are written first.
        const bulk = trusted && entry.submitted.spec.bulkInsert === true;
        if (buffer) {
          if (!bulk) await flushInserts(trx);
          buffer.active = bulk;
        }
        inGroup.push(
          trusted
            ? await writeFact(trx, ledger, actor, entry.submitted, known)
            : await appendSubmitted(trx, ledger, actor, entry.submitted, known),
        );
      }
      if (buffer) {
        buffer.active = false;
        await flushInserts(trx);
      }
      return inGroup;
    });
    group.forEach((entry, position) => {
      answers[entry.index] = written[position] as Answer;
    });
    return null;
  } catch {
    let unexpected: unknown = null;
    for (const entry of group) {
      try {
        answers[entry.index] = await inTransactionResult(ledger.db, (trx) =>
          appendSubmitted(
            trx,
            ledger,
            actor,
            entry.submitted,
            entry.verification ? { verification: entry.verification } : {},
          ),
        );
      } catch (error) {
        unexpected ??= error;
      }
    }
    return unexpected;
  }
}

/**
 * Appends up to statementBatchItemsMax prepared facts of the actor: the answer of each, in input order,
 * is what submitFact would answer for it alone (a replay included, also of an earlier item of the same
 * call). Throws only for an unexpected error, after writing everything else.
 *
 * Failure codes: invalid_input (the whole call: more than statementBatchItemsMax items); for each item,
 * those of submitFact and verification_unavailable.
 */
export async function submitFacts(
  ledger: Ledger,
  actor: Actor,
  items: readonly StatementItem[],
  options: BatchOptions = defaultBatchOptions,
): Promise<Result<Answer[]>> {
  if (items.length > statementBatchItemsMax) {
    return fail('invalid_input', `at most ${statementBatchItemsMax} statements per call`, 'items');
  }
  const startedMs = performance.now();
  const answers: Answer[] = new Array(items.length);
  const pending: Pending[] = [];
  items.forEach((item, index) => {
    const checked = checkSubmission(item.statement, item.signature, actor);
    if (checked.ok) pending.push({ index, statement: item.statement, submitted: checked.value });
    else answers[index] = checked;
  });
  const checkedMs = performance.now();
  await verifyAll(ledger, actor, pending, answers);
  const verifiedMs = performance.now();
  const groups = groupsOf(
    pending.filter((entry) => answers[entry.index] === undefined),
    options.groupFactsMax,
  );
  let next = 0;
  const unexpected: unknown[] = [];
  const writer = async () => {
    for (let group = groups[next++]; group !== undefined; group = groups[next++]) {
      const error = await writeGroup(ledger, actor, group, answers);
      if (error !== null) unexpected.push(error);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.groupsConcurrent, groups.length) }, writer));
  batchPhaseTotals.calls++;
  batchPhaseTotals.items += items.length;
  batchPhaseTotals.checkMs += checkedMs - startedMs;
  batchPhaseTotals.verifyMs += verifiedMs - checkedMs;
  batchPhaseTotals.writeMs += performance.now() - verifiedMs;
  if (unexpected.length > 0) throw unexpected[0];
  return ok(answers);
}
