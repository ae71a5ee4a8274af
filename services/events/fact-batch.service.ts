/**
 * Many prepared facts submitted at once (GraphQL submitStatements), each with its own answer in input
 * order, exactly as submitFact would have given it. The signatures are checked first, all together, on
 * the verifier threads (crypto/verify-pool.ts) against the actor's active key; then the facts are
 * written in groups, each group one short SERIALIZABLE transaction through the retry helper. A failure
 * is found before its fact writes anything (appendSubmitted), so a group commits everything else in it;
 * a group whose transaction cannot commit is written again one fact per transaction, so that one fact's
 * trouble never costs another its answer. Nothing is answered before its transaction committed.
 */
import { performance } from 'node:perf_hooks';
import { sha256 } from '../crypto/index.js';
import { inlineVerifier } from '../crypto/verify-pool.js';
import { inTransaction } from '../db/transaction.js';
import { inTransactionResult } from '../db/transaction-result.js';
import type { Ledger } from '../ledger.js';
import type { Actor } from '../parties/party.js';
import { findActiveKey } from '../parties/party-key.repository.js';
import { fail, ok, type Result } from '../result.js';
import type { AppendedEvent } from './event.js';
import { appendSubmitted, checkSubmission, type Submitted } from './fact.service.js';

/** Statements in one submitStatements call. */
export const statementBatchItemsMax = 1000;

export interface BatchOptions {
  /** Facts written per transaction: few enough that a conflict retries little work. */
  groupFactsMax: number;
  /** Groups of one call written at once, each on a connection of its own. */
  groupsConcurrent: number;
}

export const defaultBatchOptions: BatchOptions = { groupFactsMax: 50, groupsConcurrent: 1 };

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
      // checkSubmission made sure the statement is the envelope's canonical JSON: this is its eventHash.
      message: sha256(Buffer.from(entry.statement, 'utf8')),
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
 * One transaction for the group; if it cannot commit (retries exhausted, an unexpected error), one
 * transaction per fact. An unexpected error of one fact is thrown only after every other fact of the
 * call has its answer and its writes committed.
 */
async function writeGroup(ledger: Ledger, actor: Actor, group: Pending[], answers: Answer[]) {
  const append = (trx: Parameters<typeof appendSubmitted>[0], entry: Pending) =>
    appendSubmitted(trx, ledger, actor, entry.submitted, entry.verification);
  try {
    const written = await inTransaction(ledger.db, async (trx) => {
      const inGroup: Answer[] = [];
      for (const entry of group) inGroup.push(await append(trx, entry));
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
        answers[entry.index] = await inTransactionResult(ledger.db, (trx) => append(trx, entry));
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
