/**
 * The two steps of stating a fact. prepareFact checks the input and returns the canonical statement
 * and its hash to sign; submitFact takes the statement back with the actor's signature (or, for a
 * custodial party, none: the platform signs), checks everything again inside the transaction, and
 * appends the event and its projections atomically.
 */
import { canonicalJson, parseHex, toHex } from '../crypto/index.js';
import { inTransaction, type Trx } from '../db/transaction.js';
import { inTransactionResult } from '../db/transaction-result.js';
import type { Ledger } from '../ledger.js';
import { signCustodially } from '../parties/custody.js';
import { idempotencyKeyProblem } from '../parties/input-checks.js';
import type { Actor } from '../parties/party.js';
import { fail, ok, type Result } from '../result.js';
import { type Envelope, envelopeFields, envelopeRequestHash, newSalt, prepare } from './envelope.js';
import type { AppendedEvent, LedgerEvent } from './event.js';
import { findEventByIdempotencyKey } from './event.repository.js';
import { appendSignedEvent, findReplay } from './event.service.js';
import { type FactLinks, factSpec, roleProblem } from './fact.js';

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
 * Checks a fact and returns its statement to sign. Writes nothing.
 *
 * Failure codes: forbidden (the actor holds none of the fact's roles; before any database read),
 * invalid_input, envelope_invalid, idempotency_key_reused, and those of the fact's own checks.
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
  const earlier = await inTransaction(ledger.db, (trx) =>
    findEventByIdempotencyKey(trx, actor.partyId, idempotencyKey),
  );
  if (earlier) return preparedAgain(earlier.event, kind, payload.value, idempotencyKey);
  const links = await inTransaction(ledger.db, (trx) => spec.check(trx, ledger, actor, payload.value));
  if (!links.ok) return links;
  const { statement, eventHash, envelope } = prepare({
    kind,
    actor: actor.partyId,
    counterparty: links.value.counterparty,
    refs: links.value.refs,
    payload: payload.value,
    occurredAt: new Date().toISOString(),
    salt: newSalt(),
    idempotencyKey,
  });
  return ok({ envelope, statement: statement.toString('utf8'), eventHash: toHex(eventHash) });
}

/**
 * Preparing again under a key that was used: the same fact gets its first statement back (submitting
 * it is then a replay); another fact is idempotency_key_reused.
 */
function preparedAgain(
  event: LedgerEvent,
  kind: string,
  payload: Record<string, unknown>,
  idempotencyKey: string,
): Result<PreparedFact> {
  const envelope = JSON.parse(event.statement.toString('utf8')) as Envelope;
  if (envelope.kind !== kind || canonicalJson(envelope.payload) !== canonicalJson(payload)) {
    return fail(
      'idempotency_key_reused',
      `idempotency key "${idempotencyKey}" was used before for a different request`,
      'idempotencyKey',
    );
  }
  return ok({ envelope, statement: event.statement.toString('utf8'), eventHash: toHex(event.eventHash) });
}

function parseStatement(statement: string): Result<Envelope> {
  const invalid = (message: string) => fail('envelope_invalid', message, 'statement');
  let parsed: unknown;
  try {
    parsed = JSON.parse(statement);
  } catch {
    return invalid('statement is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return invalid('statement is not an object');
  if (canonicalJson(Object.keys(parsed).sort()) !== canonicalJson(envelopeFields)) {
    return invalid(`statement must have exactly the fields ${envelopeFields.join(', ')}`);
  }
  const envelope = parsed as Envelope;
  const types = [
    typeof envelope.kind,
    typeof envelope.actor,
    typeof envelope.occurredAt,
    typeof envelope.salt,
  ];
  if (types.some((type) => type !== 'string') || typeof envelope.idempotencyKey !== 'string') {
    return invalid('statement fields have the wrong types');
  }
  if (!Array.isArray(envelope.refs) || !envelope.refs.every((ref) => typeof ref === 'string')) {
    return invalid('refs must be a list of event hashes');
  }
  if (canonicalJson(parsed) !== statement) return invalid('statement is not in RFC 8785 canonical form');
  return ok(envelope);
}

/**
 * Appends a prepared fact. `signatureHex` is the actor's Ed25519 signature of the eventHash; null
 * asks the platform to sign with the actor's custodial key.
 *
 * Failure codes: envelope_invalid, forbidden (not the statement's actor, or none of the fact's roles;
 * before any database read), invalid_input, idempotency_key_reused, the codes of
 * appendSignedEvent and custodial signing, and those of the fact's own checks.
 */
export async function submitFact(
  ledger: Ledger,
  actor: Actor,
  statement: string,
  signatureHex: string | null,
): Promise<Result<AppendedEvent>> {
  const parsed = parseStatement(statement);
  if (!parsed.ok) return parsed;
  const envelope = parsed.value;
  if (envelope.actor !== actor.partyId) {
    return fail('forbidden', 'a party submits only statements in which it is the actor', 'statement');
  }
  const spec = factSpec(envelope.kind);
  if (!spec) return fail('envelope_invalid', `unknown fact kind ${envelope.kind}`, 'statement');
  const forbidden = roleProblem(spec, actor);
  if (forbidden) return forbidden;
  const payload = spec.parse(envelope.payload);
  if (!payload.ok) return payload;
  if (canonicalJson(payload.value) !== canonicalJson(envelope.payload)) {
    return fail('envelope_invalid', 'payload is not in normal form: prepare it again', 'statement');
  }
  const signature = signatureHex === null ? null : parseHex(signatureHex, 64);
  if (signatureHex !== null && signature === null) {
    return fail('signature_invalid', 'signature must be 64 bytes of hex', 'signature');
  }
  return inTransactionResult(ledger.db, async (trx: Trx): Promise<Result<AppendedEvent>> => {
    const replay = await findReplay(
      trx,
      envelope.actor,
      envelope.idempotencyKey,
      envelopeRequestHash(envelope),
    );
    if (!replay.ok) return replay;
    if (replay.value) return ok({ event: replay.value, replayed: true });
    const links = await spec.check(trx, ledger, actor, payload.value);
    if (!links.ok) return links;
    if (!sameLinks(envelope, links.value)) {
      return fail(
        'envelope_invalid',
        'counterparty or refs differ from the ledger: prepare it again',
        'statement',
      );
    }
    let signed = signature;
    if (signed === null) {
      const custodial = await signCustodially(
        trx,
        ledger.custody,
        actor.partyId,
        prepare(envelope).eventHash,
      );
      if (!custodial.ok) return custodial;
      signed = custodial.value.signature;
    }
    const appended = await appendSignedEvent(trx, {
      envelope,
      signature: signed,
      custodial: signature === null,
    });
    if (!appended.ok || appended.value.replayed) return appended;
    await spec.project(trx, ledger, appended.value.event, payload.value);
    return appended;
  });
}

/** prepareFact then submitFact with the custodial key: for custodial parties, scripts and tests. */
export async function recordFact(
  ledger: Ledger,
  actor: Actor,
  kind: string,
  input: unknown,
  idempotencyKey: string,
): Promise<Result<AppendedEvent>> {
  const prepared = await prepareFact(ledger, actor, kind, input, idempotencyKey);
  if (!prepared.ok) return prepared;
  return submitFact(ledger, actor, prepared.value.statement, null);
}
