/**
 * The two steps of stating a fact. prepareFact checks the input and returns the canonical statement
 * and its hash to sign; submitFact takes the statement back with the actor's signature (or, for a
 * custodial party, none: the platform signs), checks everything again inside the transaction, and
 * appends the event and its projections atomically.
 */
import { canonicalJson, parseHex, toHex } from '../crypto/index.js';
import { inOneStatement, type Trx } from '../db/transaction.js';
import { inSnapshotResult, inTransactionResult } from '../db/transaction-result.js';
import type { Ledger } from '../ledger.js';
import { kindsOfId, trustFreeIds } from '../objects/object-id.repository.js';
import { signCustodially } from '../parties/custody.js';
import { idempotencyKeyProblem } from '../parties/input-checks.js';
import type { Actor } from '../parties/party.js';
import { type Failure, fail, ok, type Result } from '../result.js';
import { enqueueNotices } from '../webhooks/outbox.js';
import { type Envelope, envelopeProblem, newSalt, type PreparedEvent, prepare } from './envelope.js';
import type { AppendedEvent, LedgerEvent } from './event.js';
import { findEventByIdempotencyKey } from './event.repository.js';
import { appendSignedEvent, findEnvelopeReplay, idempotencyKeyReused } from './event.service.js';
import { type FactLinks, type FactSpec, factSpec, roleProblem } from './fact.js';
import { appendToChain, type ChainPlace, chainedLinks, placeInChain } from './fact-chain.js';
import { findPreparedStatement, keepPreparedStatement } from './prepared-statement.repository.js';
import { occurredAtProblem, parseStatement, sameFact } from './submitted-statement.js';

export interface PreparedFact {
  envelope: Envelope;
  /** The exact canonical JSON to keep; submit it back unchanged. */
  statement: string;
  /** SHA-256 of the statement: what the actor signs with Ed25519. */
  eventHash: string;
}

function sameLinks(envelope: Envelope, links: FactLinks): boolean {
  return (
    envelope.counterparty === links.counterparty && canonicalJson(envelope.refs) === canonicalJson(links.refs)
  );
}

/**
 * Why a submitted statement's counterparty and refs are not what the ledger says now:
 * chain_head_moved when they would be, had the chain's head not moved on since it was prepared
 * (another fact about the invoice was recorded: prepare again), else envelope_invalid.
 */
function staleLinksProblem(
  spec: FactSpec<Record<string, unknown>>,
  envelope: Envelope,
  checked: FactLinks,
  place: ChainPlace | null,
): Failure | null {
  if (sameLinks(envelope, chainedLinks(spec, checked, place))) return null;
  const statedHead = envelope.refs[0];
  if (
    place?.headHash &&
    statedHead !== undefined &&
    sameLinks(envelope, chainedLinks(spec, checked, { ...place, headHash: statedHead }))
  ) {
    return fail(
      'chain_head_moved',
      'another fact about this invoice was recorded after the statement was prepared: prepare it again and sign the new statement',
      'statement',
    );
  }
  return fail(
    'envelope_invalid',
    'counterparty or refs differ from the ledger: prepare it again',
    'statement',
  );
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
  const completed = spec.complete ? await spec.complete(trx, ledger, payload) : payload;
  const recorded = await findEventByIdempotencyKey(trx, actor.partyId, idempotencyKey);
  const stored = await findPreparedStatement(trx, actor.partyId, idempotencyKey);
  const first = recorded?.event ?? stored;
  const previous = first && preparedFact(first.statement, first.eventHash);
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

export interface Submitted {
  envelope: Envelope;
  spec: FactSpec<Record<string, unknown>>;
  payload: Record<string, unknown>;
  /** Null asks the platform to sign with the actor's custodial key. */
  signature: Buffer | null;
}

/**
 * The checks of a submitted statement that need no database, in order: envelope shape, the actor,
 * the fact's roles, the idempotency key, the payload, every envelope field, canonical form, then the
 * signature's form. Text is checked before anything hashes or stores it.
 *
 * Failure codes: envelope_invalid, forbidden, invalid_input, signature_invalid.
 */
export function checkSubmission(
  statement: string,
  signatureHex: string | null,
  actor: Actor,
): Result<Submitted> {
  const parsed = parseStatement(statement);
  if (!parsed.ok) return parsed;
  const envelope = parsed.value;
  if (envelope.actor !== actor.partyId) {
    return fail('forbidden', 'a party submits only statements in which it is the actor', 'statement');
  }
  const spec = factSpec(envelope.kind);
  if (!spec) return fail('envelope_invalid', `unknown fact kind ${envelope.kind}`, 'statement');
  const problem = roleProblem(spec, actor) ?? idempotencyKeyProblem(envelope.idempotencyKey);
  if (problem) return problem;
  const payload = spec.parse(envelope.payload);
  if (!payload.ok) return payload;
  if (canonicalJson(payload.value) !== canonicalJson(envelope.payload)) {
    return fail('envelope_invalid', 'payload is not in normal form: prepare it again', 'statement');
  }
  const invalid = envelopeProblem(envelope);
  if (invalid) return invalid;
  if (canonicalJson(envelope) !== statement) {
    return fail('envelope_invalid', 'statement is not in RFC 8785 canonical form', 'statement');
  }
  const signature = signatureHex === null ? null : parseHex(signatureHex, 64);
  if (signatureHex !== null && signature === null) {
    return fail('signature_invalid', 'signature must be 64 bytes of hex', 'signature');
  }
  return ok({ envelope, spec, payload: payload.value, signature });
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
  const { envelope, spec, payload } = submitted.value;
  const before = await readBeforeWrite(ledger, envelope, spec.claims?.(payload) ?? []);
  if (!before.ok) return before;
  if ('replay' in before.value) return ok({ event: before.value.replay, replayed: true });
  const { freeIds } = before.value;
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
    return writeFact(trx, ledger, actor, submitted.value);
  });
  if (written.ok) return written;
  // A request that raced its own first submission (same key) may have failed on what that one
  // wrote; it is a replay all the same.
  const replay = await inSnapshotResult(ledger.db, (trx) => findEnvelopeReplay(trx, envelope));
  if (!replay.ok) return replay;
  return replay.value ? ok({ event: replay.value, replayed: true }) : written;
}

/**
 * What submit reads before its write, in a snapshot that takes no predicate locks: the replay of
 * the idempotency key, and which of the ids the fact creates no object holds yet. Both are reads of
 * keys that are normally absent, which, done serializably, would conflict with every concurrent
 * insert near them (object-id.repository.ts).
 */
function readBeforeWrite(
  ledger: Ledger,
  envelope: Envelope,
  claims: readonly string[],
): Promise<Result<{ replay: LedgerEvent } | { freeIds: string[] }>> {
  return inSnapshotResult(
    ledger.db,
    async (trx): Promise<Result<{ replay: LedgerEvent } | { freeIds: string[] }>> => {
      const replay = await findEnvelopeReplay(trx, envelope);
      if (!replay.ok) return replay;
      if (replay.value) return ok({ replay: replay.value });
      const freeIds: string[] = [];
      for (const id of claims) if ((await kindsOfId(trx, id)).length === 0) freeIds.push(id);
      return ok({ freeIds });
    },
  );
}

/**
 * A checked submission appended in a batch's transaction (fact-batch.service.ts), or a failure. Every
 * failure is found by reads alone, before the first write (the event), so a batch may run several
 * submissions in one transaction and commit the rest when one fails. `verification` is the answer of
 * a signature check made before the transaction (SignedSubmission).
 */
export async function appendSubmitted(
  trx: Trx,
  ledger: Ledger,
  actor: Actor,
  submitted: Submitted,
  known: KnownBeforeWrite = {},
): Promise<Result<AppendedEvent>> {
  const replay = await findEnvelopeReplay(trx, submitted.envelope);
  if (!replay.ok) return replay;
  if (replay.value) return ok({ event: replay.value, replayed: true });
  return writeFact(trx, ledger, actor, submitted, known);
}

/** What a batch knows before a fact's write: its signature's verdict, the actor's active key. */
export interface KnownBeforeWrite {
  verification?: { keyId: string; valid: boolean };
  /** Read inside this transaction. */
  activeKey?: { keyId: string; publicKey: Buffer };
}

/** The write of submit once its replay is ruled out: checks, signature, event, projections. */
export async function writeFact(
  trx: Trx,
  ledger: Ledger,
  actor: Actor,
  { envelope, spec, payload, signature }: Submitted,
  known: KnownBeforeWrite = {},
): Promise<Result<AppendedEvent>> {
  const late = occurredAtProblem(envelope.occurredAt, Date.now(), ledger.policy);
  if (late) return late;
  // The chain's head first, locked: a concurrent fact about the same invoice waits here.
  const place = await placeInChain(trx, spec, payload, { lock: true });
  const checked = await spec.check(trx, ledger, actor, payload);
  if (!checked.ok) return checked;
  const stale = staleLinksProblem(spec, envelope, checked.value, place);
  if (stale) return stale;
  let signed: { signature: Buffer; activeKey?: { keyId: string; publicKey: Buffer } };
  if (signature === null) {
    const custodial = await signCustodially(trx, ledger.custody, actor.partyId, prepare(envelope).eventHash);
    if (!custodial.ok) return custodial;
    const { keyId, publicKey } = custodial.value;
    signed = { signature: custodial.value.signature, activeKey: { keyId, publicKey } };
  } else {
    signed = { signature, ...(known.activeKey ? { activeKey: known.activeKey } : {}) };
  }
  const appended = await appendSignedEvent(trx, {
    envelope,
    ...signed,
    custodial: signature === null,
    replayChecked: true,
    ...(signature !== null && known.verification ? { verification: known.verification } : {}),
  });
  if (!appended.ok || appended.value.replayed) return appended;
  await spec.project(trx, ledger, appended.value.event, payload);
  await appendToChain(trx, place, appended.value.event);
  if (spec.notify) await enqueueNotices(trx, await spec.notify(trx, appended.value.event, payload));
  return appended;
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
