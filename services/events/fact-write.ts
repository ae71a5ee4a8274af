/**
 * The write half of stating a fact: the checks a submitted statement passes before any database read
 * (checkSubmission), what submit reads in a snapshot before its write (readBeforeWrite), and the write
 * itself inside a SERIALIZABLE transaction (writeFact): the fact's own checks, the chain's head, the
 * signature, the event and its projections. submitFact (fact.service.ts) and submitFacts
 * (fact-batch.service.ts) both write through here.
 */

import type { Ledger } from '../context.js';
import { canonicalJson, parseHex, sha256 } from '../crypto/index.js';
import type { Trx } from '../db/transaction.js';
import { inSnapshotResult } from '../db/transaction-result.js';
import { signCustodially } from '../parties/custody.js';
import { idempotencyKeyProblem } from '../parties/input-checks.js';
import type { Actor } from '../parties/party.js';
import { primePartiesOf } from '../parties/party.repository.js';
import { findActiveKey } from '../parties/party-key.repository.js';
import { type Failure, fail, ok, type Result } from '../result.js';
import { enqueueNotices } from '../webhooks/outbox.js';
import { type Envelope, envelopeProblem } from './envelope.js';
import type { AppendedEvent, LedgerEvent } from './event.js';
import { appendSignedEvent, findEnvelopeReplay } from './event.service.js';
import { type FactLinks, type FactSpec, factSpec, roleProblem } from './fact.js';
import { appendToChain, type ChainPlace, chainedLinks, placeInChain } from './fact-chain.js';
import { kindsOfId } from './object-id.repository.js';
import { occurredAtProblem, parseStatement } from './submitted-statement.js';

export function sameLinks(envelope: Envelope, links: FactLinks): boolean {
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

export interface Submitted {
  envelope: Envelope;
  spec: FactSpec<Record<string, unknown>>;
  payload: Record<string, unknown>;
  /** Null asks the platform to sign with the actor's custodial key. */
  signature: Buffer | null;
  /** The statement's bytes (its canonical form, checked) and their SHA-256, the eventHash. */
  prepared: { statement: Buffer; eventHash: Buffer };
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
  const bytes = Buffer.from(statement, 'utf8');
  const prepared = { statement: bytes, eventHash: sha256(bytes) };
  return ok({ envelope, spec, payload: payload.value, signature, prepared });
}

/** What submit learned before its write: the ids it may trust free, the actor's active key. */
export interface ReadBeforeWrite {
  freeIds: string[];
  /** Read only for a signed statement (its signature is then checked off the event loop). */
  activeKey?: { keyId: string; publicKey: Buffer };
}

/**
 * What submit reads before its write, in a snapshot that takes no predicate locks: the replay of
 * the idempotency key, which of the ids the fact creates no object holds yet, and for a signed
 * statement the actor's active key. The first two are reads of keys that are normally absent, which,
 * done serializably, would conflict with every concurrent insert near them (object-id.repository.ts).
 */
export function readBeforeWrite(
  ledger: Ledger,
  { envelope, spec, payload, signature }: Submitted,
): Promise<Result<{ replay: LedgerEvent } | ReadBeforeWrite>> {
  return inSnapshotResult(
    ledger.db,
    async (trx): Promise<Result<{ replay: LedgerEvent } | ReadBeforeWrite>> => {
      const replay = await findEnvelopeReplay(trx, envelope);
      if (!replay.ok) return replay;
      if (replay.value) return ok({ replay: replay.value });
      const freeIds: string[] = [];
      for (const id of spec.claims?.(payload) ?? [])
        if ((await kindsOfId(trx, id)).length === 0) freeIds.push(id);
      const activeKey = signature === null ? undefined : await findActiveKey(trx, envelope.actor);
      return ok({ freeIds, ...(activeKey ? { activeKey } : {}) });
    },
  );
}

/**
 * The statement's signature checked on the ledger's verifier threads against the key read before
 * the write, so that the event loop does not spend a verification per request; the write uses the
 * verdict only while that key is still the active one, and checks inline otherwise (also when no
 * thread could decide).
 */
export async function verifyBeforeWrite(
  ledger: Ledger,
  submitted: Submitted,
  key: { keyId: string; publicKey: Buffer } | undefined,
): Promise<KnownBeforeWrite> {
  if (submitted.signature === null || key === undefined || ledger.verifier === undefined) return {};
  const [valid] = await ledger.verifier.verifyMany([
    {
      publicKey: key.publicKey,
      message: submitted.prepared.eventHash,
      signature: submitted.signature,
    },
  ]);
  return typeof valid === 'boolean' ? { verification: { keyId: key.keyId, valid } } : {};
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
  { envelope, spec, payload, signature, prepared }: Submitted,
  known: KnownBeforeWrite = {},
): Promise<Result<AppendedEvent>> {
  const late = occurredAtProblem(envelope.occurredAt, Date.now(), ledger.policy);
  if (late) return late;
  await primePartiesOf(trx, envelope.counterparty ? [actor.partyId, envelope.counterparty] : [actor.partyId]);
  // The chain's head first, locked: a concurrent fact about the same invoice waits here.
  const place = await placeInChain(trx, spec, payload, { lock: true });
  const checked = await spec.check(trx, ledger, actor, payload);
  if (!checked.ok) return checked;
  const stale = staleLinksProblem(spec, envelope, checked.value, place);
  if (stale) return stale;
  let signed: { signature: Buffer; activeKey?: { keyId: string; publicKey: Buffer } };
  if (signature === null) {
    const custodial = await signCustodially(trx, ledger.custody, actor.partyId, prepared.eventHash);
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
    prepared,
    ...(signature !== null && known.verification ? { verification: known.verification } : {}),
  });
  if (!appended.ok || appended.value.replayed) return appended;
  await spec.project(trx, ledger, appended.value.event, payload);
  await appendToChain(trx, place, appended.value.event);
  if (spec.notify) await enqueueNotices(trx, await spec.notify(trx, appended.value.event, payload));
  return appended;
}
