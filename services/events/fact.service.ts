/**
 * The two steps of stating a fact. prepareFact checks the input and returns the canonical statement
 * and its hash to sign; submitFact takes the statement back with the actor's signature (or, for a
 * custodial party, none: the platform signs), checks everything again inside the transaction, and
 * appends the event and its projections atomically.
 */

import type { Ledger } from '../context.js';
import { toHex } from '../crypto/index.js';
import { inOneStatement, type Trx } from '../db/transaction.js';
import { inSnapshotResult, inTransactionResult } from '../db/transaction-result.js';
import { idempotencyKeyProblem } from '../parties/input-checks.js';
import type { Actor } from '../parties/party.js';
import { ok, type Result } from '../result.js';
import { type Envelope, newSalt, type PreparedEvent, prepare } from './envelope.js';
import type { AppendedEvent } from './event.js';
import { findEventByIdempotencyKey } from './event.repository.js';
import { findEnvelopeReplay, idempotencyKeyReused } from './event.service.js';
import { type FactLinks, type FactSpec, factSpec, roleProblem } from './fact.js';
import { chainedLinks, placeInChain } from './fact-chain.js';
import { checkSubmission, readBeforeWrite, sameLinks, verifyBeforeWrite, writeFact } from './fact-write.js';
import { trustFreeIds } from './object-id.repository.js';
import { findPreparedStatement, keepPreparedStatement } from './prepared-statement.repository.js';
import { occurredAtProblem, sameFact } from './submitted-statement.js';

export interface PreparedFact {
  envelope: Envelope;
  /** The exact canonical JSON to keep; submit it back unchanged. */
  statement: string;
  /** SHA-256 of the statement: what the actor signs with Ed25519. */
  eventHash: string;
}

function preparedFact(statement: Buffer, eventHash: Buffer): PreparedFact {
  const text = statement.toString('utf8');
  return { envelope: JSON.parse(text) as Envelope, statement: text, eventHash: toHex(eventHash) };
}

/**
 * Checks a fact and returns its statement to sign. Changes no ledger state; it records the statement
 * it hands out under (actor, idempotency key), so that preparing the same input again returns the
 * same statement for as long as it would still be accepted: its counterparty and refs (the head of
 * its fact chain among them) are what the ledger says now and its occurredAt is inside the window
 * submit allows. Otherwise a fresh statement replaces it. Once one is recorded, its statement is
 * returned.
 *
 * Failure codes: forbidden (the actor holds none of the fact's roles; before any database read),
 * invalid_input, idempotency_key_reused (the key was used for another fact, recorded or only
 * prepared), and those of the fact's own checks.
 */
export async function prepareFact(
  ledger: Ledger,
  actor: Actor,
  kind: string,
  input: unknown,
  idempotencyKey: string,
): Promise<Result<PreparedFact>> {
  const spec = factSpec(kind);
  if (!spec) throw new Error(`no fact kind ${kind}`);
  const forbidden = roleProblem(spec, actor);
  if (forbidden) return forbidden;
  const keyProblem = idempotencyKeyProblem(idempotencyKey);
  if (keyProblem) return keyProblem;
  const payload = spec.parse(input);
  if (!payload.ok) return payload;
  // Prepare writes no ledger state and submit checks everything again, serializably: its reads
  // need one snapshot, not predicate locks that would make concurrent writers conflict.
  const plan = await inSnapshotResult(ledger.db, (trx) =>
    planPreparation(trx, ledger, actor, spec, payload.value, idempotencyKey),
  );
  if (!plan.ok) return plan;
  if ('reuse' in plan.value) return ok(plan.value.reuse);
  const { links, completed, replacing } = plan.value;
  const now = new Date();
  const fresh = prepare({
    kind,
    actor: actor.partyId,
    counterparty: links.counterparty,
    refs: links.refs,
    payload: completed,
    occurredAt: now.toISOString(),
    salt: newSalt(),
    idempotencyKey,
  });
  return keepPrepared(ledger, actor.partyId, fresh, now, replacing);
}

type PreparationPlan =
  | { reuse: PreparedFact }
  | { completed: Record<string, unknown>; links: FactLinks; replacing: Buffer | null };

/** What prepare hands out: the statement prepared or recorded before, or the links of a fresh one. */
async function planPreparation(
  trx: Trx,
  ledger: Ledger,
  actor: Actor,
  spec: FactSpec<Record<string, unknown>>,
  payload: Record<string, unknown>,
  idempotencyKey: string,
): Promise<Result<PreparationPlan>> {
  const recorded = await findEventByIdempotencyKey(trx, actor.partyId, idempotencyKey);
  const stored = await findPreparedStatement(trx, actor.partyId, idempotencyKey);
  const first = recorded?.event ?? stored;
  const previous = first && preparedFact(first.statement, first.eventHash);
  const earlier = previous?.envelope.kind === spec.kind ? previous.envelope.payload : undefined;
  const completed = spec.complete ? await spec.complete(trx, ledger, payload, earlier) : payload;
  if (previous && !sameFact(previous.envelope, spec.kind, completed))
    return idempotencyKeyReused(idempotencyKey);
  if (previous && recorded) return ok({ reuse: previous });
  const checked = await spec.check(trx, ledger, actor, completed);
  if (!checked.ok) return checked;
  const links = chainedLinks(spec, checked.value, await placeInChain(trx, spec, completed, { lock: false }));
  const stillValid =
    previous &&
    sameLinks(previous.envelope, links) &&
    !occurredAtProblem(previous.envelope.occurredAt, Date.now(), ledger.policy);
  if (previous && stillValid) return ok({ reuse: previous });
  return ok({ completed, links, replacing: stored?.eventHash ?? null });
}

/**
 * Stores a fresh preparation in place of the one read before (`replacing`). When a concurrent prepare
 * under the same key stored its statement first, that statement stands if it states the same fact.
 *
 * Failure codes: idempotency_key_reused.
 */
async function keepPrepared(
  ledger: Ledger,
  actorPartyId: string,
  fresh: PreparedEvent,
  preparedAt: Date,
  replacing: Buffer | null,
): Promise<Result<PreparedFact>> {
  const { envelope, statement, eventHash } = fresh;
  const { idempotencyKey } = envelope;
  const preparation = { actorPartyId, idempotencyKey, statement, eventHash, preparedAt };
  // One statement (an insert, or a compare-and-set update), so no transaction around it.
  const stored = await inOneStatement(ledger.db, (db) => keepPreparedStatement(db, preparation, replacing));
  if (stored) return ok(preparedFact(statement, eventHash));
  const kept = await inSnapshotResult(ledger.db, async (trx) =>
    ok(await findPreparedStatement(trx, actorPartyId, idempotencyKey)),
  );
  if (!kept.ok) return kept;
  const raced = kept.value;
  if (!raced) return ok(preparedFact(statement, eventHash));
  const winner = preparedFact(raced.statement, raced.eventHash);
  return sameFact(winner.envelope, envelope.kind, envelope.payload)
    ? ok(winner)
    : idempotencyKeyReused(idempotencyKey);
}

/**
 * Appends a prepared fact. `signatureHex` is the actor's Ed25519 signature of the eventHash; null
 * asks the platform to sign with the actor's custodial key. A statement prepared for the same fact
 * under the same key as one already recorded is a replay of that one, whichever preparation it is;
 * occurredAt is held to the window only for a statement that would be appended.
 *
 * Failure codes: envelope_invalid, forbidden (not the statement's actor, or none of the fact's roles;
 * before any database read), invalid_input, idempotency_key_reused, occurred_at_out_of_window, the
 * codes of appendSignedEvent and custodial signing, and those of the fact's own checks.
 */
export async function submitFact(
  ledger: Ledger,
  actor: Actor,
  statement: string,
  signatureHex: string | null,
): Promise<Result<AppendedEvent>> {
  const submitted = checkSubmission(statement, signatureHex, actor);
  if (!submitted.ok) return submitted;
  const { envelope } = submitted.value;
  const before = await readBeforeWrite(ledger, submitted.value);
  if (!before.ok) return before;
  if ('replay' in before.value) return ok({ event: before.value.replay, replayed: true });
  const { freeIds, activeKey } = before.value;
  const known = await verifyBeforeWrite(ledger, submitted.value, activeKey);
  const written = await inTransactionResult(ledger.db, async (trx, attempt) => {
    // The first attempt relies on the snapshot read just before; a retry, after a conflict or a
    // duplicate key, reads everything again inside its transaction.
    if (attempt === 1) {
      trustFreeIds(trx, freeIds);
    } else {
      const replay = await findEnvelopeReplay(trx, envelope);
      if (!replay.ok) return replay;
      if (replay.value) return ok({ event: replay.value, replayed: true });
    }
    return writeFact(trx, ledger, actor, submitted.value, known);
  });
  if (written.ok) return written;
  // A request that raced its own first submission (same key) may have failed on what that one
  // wrote; it is a replay all the same.
  const replay = await inSnapshotResult(ledger.db, (trx) => findEnvelopeReplay(trx, envelope));
  if (!replay.ok) return replay;
  return replay.value ? ok({ event: replay.value, replayed: true }) : written;
}

/** How often recordFact prepares again when other facts about the same invoice keep landing first. */
const chainRacesMax = 20;

/**
 * prepareFact then submitFact with the custodial key: for custodial parties, scripts and tests.
 * Since the platform signs, a statement overtaken by another fact of its chain is simply prepared
 * and signed again.
 */
export async function recordFact(
  ledger: Ledger,
  actor: Actor,
  kind: string,
  input: unknown,
  idempotencyKey: string,
): Promise<Result<AppendedEvent>> {
  for (let attempt = 1; ; attempt++) {
    const prepared = await prepareFact(ledger, actor, kind, input, idempotencyKey);
    if (!prepared.ok) return prepared;
    const submitted = await submitFact(ledger, actor, prepared.value.statement, null);
    if (submitted.ok || submitted.code !== 'chain_head_moved' || attempt >= chainRacesMax) return submitted;
  }
}
