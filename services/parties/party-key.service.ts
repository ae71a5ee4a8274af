/**
 * Signing keys: a party rotates by adding a new key (the previous active key becomes `rotated`) and
 * revokes a compromised one. Events keep naming the key that signed them, so old events still verify.
 */
import { assert } from '../assert.js';
import { keyIdOf } from '../crypto/index.js';
import { inTransactionResult } from '../db/transaction-result.js';
import type { Ledger } from '../ledger.js';
import { fail, ok, type Result } from '../result.js';
import { newCustodialKey } from './custody.js';
import { idempotencyKeyProblem, parsePublicKey, uuidProblem } from './input-checks.js';
import { type Actor, mayManage, type PartyKey } from './party.js';
import { findPartyById } from './party.repository.js';
import {
  findActiveKey,
  findKey,
  insertActiveKey,
  type NewPartyKey,
  retireKey,
} from './party-key.repository.js';
import { appendRegistryEvent, findRegistryReplay } from './registry-event.js';

export interface AddPartyKeyInput {
  partyId: string;
  publicKey: string | null;
  custodial: boolean;
  idempotencyKey: string;
}

export interface KeyOutcome {
  key: PartyKey;
  replayed: boolean;
}

function newKey(ledger: Ledger, input: AddPartyKeyInput): Result<NewPartyKey> {
  if ((input.publicKey !== null) === input.custodial) {
    return fail('invalid_input', 'give exactly one of publicKey or custodial: true', 'publicKey');
  }
  if (input.custodial) return newCustodialKey(ledger.custody, input.partyId);
  const parsed = parsePublicKey(input.publicKey ?? '');
  if (!parsed.ok) return parsed;
  return ok({
    keyId: keyIdOf(parsed.key),
    partyId: input.partyId,
    publicKey: parsed.key,
    sealedPrivateKey: null,
  });
}

/**
 * Adds a key and makes it the party's active key; the previous active key becomes `rotated`.
 *
 * Failure codes: invalid_input, forbidden, party_not_found, idempotency_key_reused, public_key_invalid,
 * key_already_registered, custody_unavailable.
 */
export async function addPartyKey(
  ledger: Ledger,
  actor: Actor,
  input: AddPartyKeyInput,
): Promise<Result<KeyOutcome>> {
  const problem = uuidProblem(input.partyId, 'partyId') ?? idempotencyKeyProblem(input.idempotencyKey);
  if (problem) return problem;
  if (!mayManage(actor, input.partyId))
    return fail('forbidden', 'only the party or a platform administrator manages its keys');
  const request = { operation: 'addPartyKey', actor, idempotencyKey: input.idempotencyKey, input };
  return inTransactionResult(ledger.db, async (trx): Promise<Result<KeyOutcome>> => {
    const replay = await findRegistryReplay(trx, ledger, request);
    if (!replay.ok) return replay;
    if (replay.value) {
      const key = await findKey(trx, (replay.value.payload as { keyId: string }).keyId);
      return key ? ok({ key, replayed: true }) : fail('key_not_found', 'the replayed key is gone');
    }
    if (!(await findPartyById(trx, input.partyId)))
      return fail('party_not_found', 'no party with that id', 'partyId');
    const candidate = newKey(ledger, input);
    if (!candidate.ok) return candidate;
    if (await findKey(trx, candidate.value.keyId)) {
      return fail('key_already_registered', 'that public key is registered already', 'publicKey');
    }
    const previous = await findActiveKey(trx, input.partyId);
    // Signed before the swap: when the platform rotates its own key, the previous key vouches for
    // the new one, so the chain of registry keys a verifier follows leads back to its first key.
    const appended = await appendRegistryEvent(trx, ledger, request, {
      kind: 'party_key.added',
      counterparty: input.partyId,
      payload: {
        partyId: input.partyId,
        keyId: candidate.value.keyId,
        publicKey: candidate.value.publicKey.toString('hex'),
        custodial: candidate.value.sealedPrivateKey !== null,
        rotatedKeyId: previous?.keyId ?? null,
      },
    });
    if (!appended.ok) return appended;
    if (previous) await retireKey(trx, previous.keyId, 'rotated');
    const key = await insertActiveKey(trx, candidate.value);
    return ok({ key, replayed: false });
  });
}

export interface RevokePartyKeyInput {
  keyId: string;
  idempotencyKey: string;
}

/**
 * Revokes a key (active or rotated): it signs nothing more. Events it signed before stay valid.
 *
 * Failure codes: invalid_input, forbidden, key_not_found, key_already_revoked, idempotency_key_reused.
 */
export async function revokePartyKey(
  ledger: Ledger,
  actor: Actor,
  input: RevokePartyKeyInput,
): Promise<Result<KeyOutcome>> {
  if (!/^[0-9a-f]{64}$/.test(input.keyId))
    return fail('invalid_input', 'keyId must be 64 lowercase hex characters', 'keyId');
  const keyProblem = idempotencyKeyProblem(input.idempotencyKey);
  if (keyProblem) return keyProblem;
  const request = { operation: 'revokePartyKey', actor, idempotencyKey: input.idempotencyKey, input };
  return inTransactionResult(ledger.db, async (trx): Promise<Result<KeyOutcome>> => {
    const replay = await findRegistryReplay(trx, ledger, request);
    if (!replay.ok) return replay;
    const key = await findKey(trx, input.keyId);
    // A key the caller may not manage is reported as missing, so key ids of others are not probed.
    if (!key || !mayManage(actor, key.partyId)) return fail('key_not_found', 'no key with that id', 'keyId');
    if (replay.value) return ok({ key, replayed: true });
    if (key.status === 'revoked') return fail('key_already_revoked', 'the key was revoked already', 'keyId');
    if (key.keyId === (await findActiveKey(trx, ledger.platformPartyId))?.keyId) {
      return fail('forbidden', "the platform's own registry key is rotated, never revoked to nothing");
    }
    await retireKey(trx, key.keyId, 'revoked');
    const appended = await appendRegistryEvent(trx, ledger, request, {
      kind: 'party_key.revoked',
      counterparty: key.partyId,
      payload: { partyId: key.partyId, keyId: key.keyId },
    });
    if (!appended.ok) return appended;
    const revoked = await findKey(trx, key.keyId);
    assert(revoked?.status === 'revoked', 'a revoked key reads back as not revoked');
    return ok({ key: revoked, replayed: false });
  });
}
