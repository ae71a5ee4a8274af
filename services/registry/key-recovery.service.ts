/**
 * Administrator recovery: for a party that lost its self-held key (or had it revoked), the only way
 * to install a key without that key's signature. One administrator API key requests it, with a
 * reason; a different administrator API key approves it (four eyes), and only then is the key
 * installed. Both acts are registry events; the key is marked `administrator_recovery`, and so is
 * every event it signs, so that a lender sees which signatures rest on the platform's word.
 */

import type { Ledger } from '../context.js';
import { parseHex, toHex } from '../crypto/index.js';
import type { Trx } from '../db/transaction.js';
import { inTransactionResult } from '../db/transaction-result.js';
import type { LedgerEvent } from '../events/event.js';
import { findEventsByIds } from '../events/event.repository.js';
import { idempotencyKeyProblem, uuidProblem } from '../parties/input-checks.js';
import { type KeyProofs, keyProofsProblem, possessionProblem } from '../parties/key-authority.js';
import { type Actor, isPlatformAdmin } from '../parties/party.js';
import { findPartyById } from '../parties/party.repository.js';
import { findKey, findLatestKey } from '../parties/party-key.repository.js';
import { type Failure, fail, ok, type Result } from '../result.js';
import {
  installKey,
  type KeyChoice,
  type KeyOutcome,
  keyChoiceProblem,
  newKeyFor,
  partyKeyState,
  replayedKey,
  statementFor,
} from './party-key.service.js';
import { appendRegistryEvent, findRegistryReplay } from './registry-event.js';

export const recoveryReasonLengthMax = 500;
const requestedKind = 'party_key.recovery_requested';

export interface RequestKeyRecoveryInput extends KeyChoice {
  proofOfPossession: string | null;
  reason: string;
  idempotencyKey: string;
}

/** A recovery request as its registry event records it. */
export interface KeyRecoveryRequest {
  id: string;
  eventHash: Buffer;
  partyId: string;
  publicKey: string | null;
  custodial: boolean;
  previousKeyId: string | null;
  statement: string;
  proofOfPossession: string | null;
  reason: string;
  requestedByApiKeyId: string;
  requestedAt: Date;
}

export interface KeyRecoveryRequestOutcome {
  request: KeyRecoveryRequest;
  replayed: boolean;
}

/** An administrator acting through an API key: only such a caller takes part in a recovery. */
function administratorProblem(actor: Actor): Failure | null {
  if (isPlatformAdmin(actor) && actor.apiKeyId !== undefined) return null;
  return fail('forbidden', 'only a platform administrator, through an API key, takes part in a key recovery');
}

function requestOf(event: LedgerEvent): KeyRecoveryRequest {
  const payload = event.payload as Omit<KeyRecoveryRequest, 'id' | 'eventHash' | 'requestedAt'>;
  return {
    id: event.id,
    eventHash: event.eventHash,
    partyId: payload.partyId,
    publicKey: payload.publicKey,
    custodial: payload.custodial,
    previousKeyId: payload.previousKeyId,
    statement: payload.statement,
    proofOfPossession: payload.proofOfPossession,
    reason: payload.reason,
    requestedByApiKeyId: payload.requestedByApiKeyId,
    requestedAt: event.recordedAt,
  };
}

function reasonProblem(reason: string): Failure | null {
  if (reason.length >= 1 && reason.length <= recoveryReasonLengthMax && reason === reason.trim()) return null;
  return fail(
    'invalid_input',
    `reason must be 1 to ${recoveryReasonLengthMax} characters, trimmed`,
    'reason',
  );
}

/**
 * Records an administrator's request to install `publicKey` (with its proof of possession over the
 * key addition statement) or a custodial key on a party. Installs nothing until approved.
 *
 * Failure codes: forbidden, invalid_input, proof_of_possession_required, idempotency_key_reused,
 * party_not_found, public_key_invalid, key_already_registered, proof_of_possession_invalid.
 */
export async function requestKeyRecovery(
  ledger: Ledger,
  actor: Actor,
  input: RequestKeyRecoveryInput,
): Promise<Result<KeyRecoveryRequestOutcome>> {
  const problem =
    administratorProblem(actor) ??
    keyChoiceProblem(input) ??
    reasonProblem(input.reason) ??
    idempotencyKeyProblem(input.idempotencyKey) ??
    keyProofsProblem(input.custodial, {
      proofOfPossession: input.proofOfPossession,
      currentKeySignature: null,
    });
  if (problem) return problem;
  const request = { operation: 'requestKeyRecovery', actor, idempotencyKey: input.idempotencyKey, input };
  return inTransactionResult(ledger.db, async (trx): Promise<Result<KeyRecoveryRequestOutcome>> => {
    const replay = await findRegistryReplay(trx, ledger, request);
    if (!replay.ok) return replay;
    if (replay.value) return ok({ request: requestOf(replay.value), replayed: true });
    if (!(await findPartyById(trx, input.partyId)))
      return fail('party_not_found', 'no party with that id', 'partyId');
    const candidate = newKeyFor(ledger, input);
    if (!candidate.ok) return candidate;
    if (input.publicKey !== null && (await findKey(trx, candidate.value.keyId))) {
      return fail('key_already_registered', 'that public key is registered already', 'publicKey');
    }
    const state = await partyKeyState(trx, input.partyId);
    const { statement, statementHash } = statementFor(input, state);
    const newPublicKey = input.publicKey === null ? null : candidate.value.publicKey;
    const possession = possessionProblem(newPublicKey, statementHash, input.proofOfPossession);
    if (possession) return possession;
    const appended = await appendRegistryEvent(trx, ledger, request, {
      kind: requestedKind,
      counterparty: input.partyId,
      payload: {
        partyId: input.partyId,
        publicKey: newPublicKey && toHex(newPublicKey),
        custodial: input.custodial,
        previousKeyId: state.latest?.keyId ?? null,
        statement,
        proofOfPossession:
          input.proofOfPossession && toHex(parseHex(input.proofOfPossession) ?? Buffer.alloc(0)),
        reason: input.reason,
        requestedByApiKeyId: actor.apiKeyId,
      },
    });
    return appended.ok ? ok({ request: requestOf(appended.value.event), replayed: false }) : appended;
  });
}

export interface ApproveKeyRecoveryInput {
  requestId: string;
  idempotencyKey: string;
}

async function pendingRequest(
  trx: Trx,
  ledger: Ledger,
  requestId: string,
): Promise<Result<KeyRecoveryRequest>> {
  const [event] = await findEventsByIds(trx, [requestId]);
  if (!event || event.kind !== requestedKind || event.actorPartyId !== ledger.platformPartyId) {
    return fail('key_recovery_not_found', 'no key recovery request with that id', 'requestId');
  }
  const request = requestOf(event);
  // Approving installs a key on top of the party's latest: a request made before another change
  // (including its own approval) would silently undo it.
  if (((await findLatestKey(trx, request.partyId))?.keyId ?? null) !== request.previousKeyId) {
    return fail(
      'key_recovery_not_pending',
      "the request was approved already, or the party's keys changed since: request again",
      'requestId',
    );
  }
  return ok(request);
}

/**
 * Approves a recovery request with a second administrator API key and installs its key, marked
 * `administrator_recovery`; the previous active key, if any, becomes `rotated`.
 *
 * Failure codes: forbidden (not an administrator's API key, or the one that requested it),
 * invalid_input, idempotency_key_reused, key_recovery_not_found, key_recovery_not_pending,
 * key_already_registered, custody_unavailable.
 */
export async function approveKeyRecovery(
  ledger: Ledger,
  actor: Actor,
  input: ApproveKeyRecoveryInput,
): Promise<Result<KeyOutcome>> {
  const problem =
    administratorProblem(actor) ??
    uuidProblem(input.requestId, 'requestId') ??
    idempotencyKeyProblem(input.idempotencyKey);
  if (problem) return problem;
  const request = { operation: 'approveKeyRecovery', actor, idempotencyKey: input.idempotencyKey, input };
  return inTransactionResult(ledger.db, async (trx): Promise<Result<KeyOutcome>> => {
    const replay = await findRegistryReplay(trx, ledger, request);
    if (!replay.ok) return replay;
    if (replay.value) return replayedKey(trx, replay.value);
    const pending = await pendingRequest(trx, ledger, input.requestId);
    if (!pending.ok) return pending;
    const recovery = pending.value;
    if (recovery.requestedByApiKeyId === actor.apiKeyId) {
      return fail('forbidden', 'a different administrator API key than the requesting one must approve');
    }
    const candidate = newKeyFor(ledger, recovery);
    if (!candidate.ok) return candidate;
    if (await findKey(trx, candidate.value.keyId)) {
      return fail('key_already_registered', 'that public key is registered already', 'requestId');
    }
    const proofs: KeyProofs = { currentKeySignature: null, proofOfPossession: recovery.proofOfPossession };
    const key = await installKey(trx, ledger, request, {
      key: candidate.value,
      state: await partyKeyState(trx, recovery.partyId),
      authorization: 'administrator_recovery',
      statement: recovery.statement,
      proofs,
      recovery: {
        requestEventId: recovery.id,
        requestEventHash: toHex(recovery.eventHash),
        reason: recovery.reason,
        requestedByApiKeyId: recovery.requestedByApiKeyId,
        approvedByApiKeyId: actor.apiKeyId,
      },
      refs: [toHex(recovery.eventHash)],
    });
    return key.ok ? ok({ key: key.value, replayed: false }) : key;
  });
}
