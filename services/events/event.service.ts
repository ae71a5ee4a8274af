/**
 * Appending signed events. The server rebuilds the canonical statement from the envelope fields,
 * checks the signature against the actor's active key, and stores the exact statement bytes, hash
 * and signature. An idempotency key is scoped to its actor.
 */
import { randomUUID } from 'node:crypto';
import { assert } from '../assert.js';
import type { Custody } from '../context.js';
import { verify } from '../crypto/index.js';
import type { Trx } from '../db/transaction.js';
import { signCustodially } from '../parties/custody.js';
import { findPartiesByIds } from '../parties/party.repository.js';
import { findActiveKey } from '../parties/party-key.repository.js';
import { type Failure, fail, ok, type Result } from '../result.js';
import {
  type Envelope,
  envelopeProblem,
  envelopeRequestHash,
  prepare,
  prepareUnsalted,
  type UnsaltedEnvelope,
} from './envelope.js';
import type { AppendedEvent, LedgerEvent } from './event.js';
import { existingEventHashes, findEventByIdempotencyKey, insertEvent } from './event.repository.js';

export interface SignedSubmission {
  envelope: Envelope;
  signature: Buffer;
  /** Set when the platform signed with the actor's custodial key. */
  custodial?: boolean;
  /**
   * What counts as "the same request" for replays, for events the platform states on a caller's
   * behalf (registry/registry-event.ts); without it, envelopeRequestHash of the envelope.
   */
  requestHash?: Buffer;
  /**
   * The signature was checked already, off the transaction (a batch, on the verifier threads), against
   * key `keyId`: while that key is still the active one, its answer stands and is not computed again.
   */
  verification?: { keyId: string; valid: boolean };
  /** The caller looked the idempotency key up already, in this transaction or a snapshot before it. */
  replayChecked?: boolean;
  /** The actor's active key, when the caller read it in this transaction (to sign custodially). */
  activeKey?: { keyId: string; publicKey: Buffer };
  /**
   * The caller checked the envelope (envelopeProblem) and holds its canonical statement and hash
   * already (a submitted statement is its own canonical form): not computed again.
   */
  prepared?: { statement: Buffer; eventHash: Buffer };
}

export function idempotencyKeyReused(idempotencyKey: string): Failure<'idempotency_key_reused'> {
  return fail(
    'idempotency_key_reused',
    `idempotency key "${idempotencyKey}" was used before for a different request`,
    'idempotencyKey',
  );
}

/**
 * Looks up the idempotency key: a replay of the same request returns the first event, the same key
 * with another request is `idempotency_key_reused`, and a fresh key returns undefined.
 *
 * Failure codes: idempotency_key_reused.
 */
export async function findReplay(
  trx: Trx,
  actorPartyId: string,
  idempotencyKey: string,
  requestHash: Buffer,
): Promise<Result<LedgerEvent | undefined>> {
  const existing = await findEventByIdempotencyKey(trx, actorPartyId, idempotencyKey);
  if (!existing) return ok(undefined);
  if (!existing.requestHash.equals(requestHash)) {
    return idempotencyKeyReused(idempotencyKey);
  }
  return ok(existing.event);
}

/**
 * findReplay for a signed envelope: the same request is judged by envelopeRequestHash of both
 * statements, the recorded one re-read from its signed bytes, so the answer does not depend on how
 * an older row computed its request_hash.
 *
 * Failure codes: idempotency_key_reused.
 */
export async function findEnvelopeReplay(
  trx: Trx,
  envelope: Envelope,
): Promise<Result<LedgerEvent | undefined>> {
  const existing = await findEventByIdempotencyKey(trx, envelope.actor, envelope.idempotencyKey);
  if (!existing) return ok(undefined);
  const recorded = JSON.parse(existing.event.statement.toString('utf8')) as Envelope;
  if (!envelopeRequestHash(recorded).equals(envelopeRequestHash(envelope))) {
    return idempotencyKeyReused(envelope.idempotencyKey);
  }
  return ok(existing.event);
}

/**
 * Appends a signed event, or returns the first one for a replay.
 *
 * Failure codes, in the order they are checked: envelope_invalid, idempotency_key_reused,
 * actor_not_found, counterparty_not_found, actor_has_no_active_key, signature_invalid, ref_not_found.
 * A replay is answered before the signature is checked: only the actor itself can reach this (the
 * API requires envelope.actor to be the authenticated caller), and it learns nothing new.
 */
export async function appendSignedEvent(
  trx: Trx,
  submission: SignedSubmission,
): Promise<Result<AppendedEvent>> {
  const { envelope, signature } = submission;
  const problem = submission.prepared ? null : envelopeProblem(envelope);
  if (problem) return problem;
  const requestHash = submission.requestHash ?? envelopeRequestHash(envelope);
  if (!submission.replayChecked) {
    const replay = submission.requestHash
      ? await findReplay(trx, envelope.actor, envelope.idempotencyKey, requestHash)
      : await findEnvelopeReplay(trx, envelope);
    if (!replay.ok) return replay;
    if (replay.value) return ok({ event: replay.value, replayed: true });
  }

  const partyIds =
    envelope.counterparty === null ? [envelope.actor] : [envelope.actor, envelope.counterparty];
  const parties = new Set((await findPartiesByIds(trx, partyIds)).map((party) => party.id));
  if (!parties.has(envelope.actor))
    return fail('actor_not_found', 'the acting party is not registered', 'actor');
  if (envelope.counterparty !== null && !parties.has(envelope.counterparty)) {
    return fail('counterparty_not_found', 'the counterparty is not registered', 'counterparty');
  }
  const key = submission.activeKey ?? (await findActiveKey(trx, envelope.actor));
  if (!key) return fail('actor_has_no_active_key', 'the acting party has no active signing key', 'actor');
  const { statement, eventHash } = submission.prepared ?? prepare(envelope);
  const { verification } = submission;
  const valid =
    verification?.keyId === key.keyId ? verification.valid : verify(key.publicKey, eventHash, signature);
  if (!valid) {
    return fail(
      'signature_invalid',
      `the signature does not verify against active key ${key.keyId}`,
      'signature',
    );
  }
  const refHashes = envelope.refs.map((ref) => Buffer.from(ref, 'hex'));
  const found = await existingEventHashes(trx, refHashes);
  const missing = envelope.refs.find((ref) => !found.has(ref));
  if (missing !== undefined) return fail('ref_not_found', `no recorded event has hash ${missing}`, 'refs');

  const event = await insertEvent(trx, {
    id: randomUUID(),
    kind: envelope.kind,
    actorPartyId: envelope.actor,
    counterpartyPartyId: envelope.counterparty,
    keyId: key.keyId,
    custodial: submission.custodial ?? false,
    idempotencyKey: envelope.idempotencyKey,
    requestHash,
    statement,
    eventHash,
    signature,
    payload: envelope.payload,
    occurredAt: new Date(envelope.occurredAt),
  });
  assert(event.statement.equals(statement), 'stored statement differs from the signed statement');
  return ok({ event, replayed: false });
}

/**
 * Builds, signs with the actor's custodial key and appends an event.
 *
 * Failure codes: those of appendSignedEvent, and custody_unavailable, no_custodial_key.
 */
export async function appendCustodialEvent(
  trx: Trx,
  custody: Custody,
  fields: UnsaltedEnvelope,
  requestHash?: Buffer,
): Promise<Result<AppendedEvent>> {
  const prepared = prepareUnsalted(fields);
  const signed = await signCustodially(trx, custody, fields.actor, prepared.eventHash);
  if (!signed.ok) return signed;
  return appendSignedEvent(trx, {
    envelope: prepared.envelope,
    signature: signed.value.signature,
    custodial: true,
    ...(requestHash ? { requestHash } : {}),
  });
}
