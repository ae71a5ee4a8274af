/**
 * Signing keys: a party rotates by adding a new key (the previous active key becomes `rotated`) and
 * revokes a compromised one. Events keep naming the key that signed them, so old events still verify.
 * Who may add a key is key-authority.ts; what is signed for it, key-statement.ts.
 */
import { assert } from '../assert.js';
import type { Ledger } from '../context.js';
import { keyIdOf, parseHex, toHex } from '../crypto/index.js';
import { inTransaction, type Trx } from '../db/transaction.js';
import { inTransactionResult } from '../db/transaction-result.js';
import type { LedgerEvent } from '../events/event.js';
import { newCustodialKey } from '../parties/custody.js';
import { idempotencyKeyProblem, parsePublicKey, uuidProblem } from '../parties/input-checks.js';
import {
  authorizeKeyAddition,
  type KeyProofs,
  keyProofsProblem,
  type PartyKeyState,
} from '../parties/key-authority.js';
import { type KeyStatement, keyAdditionStatement } from '../parties/key-statement.js';
import { type Actor, type KeyAuthorization, mayManage, type PartyKey } from '../parties/party.js';
import { findPartyById } from '../parties/party.repository.js';
import {
  findActiveKey,
  findKey,
  findKeysByIds,
  findLatestKey,
  insertActiveKey,
  type NewPartyKey,
  retireKey,
} from '../parties/party-key.repository.js';
import { type Failure, fail, ok, type Result } from '../result.js';
import { appendRegistryEvent, findRegistryReplay, type RegistryRequest } from './registry-event.js';

/** The key a request asks for: a self-held public key (hex) or a custodial one. */
export interface KeyChoice {
  partyId: string;
  publicKey: string | null;
  custodial: boolean;
}

export interface AddPartyKeyInput extends KeyChoice, KeyProofs {
  idempotencyKey: string;
}

export interface KeyOutcome {
  key: PartyKey;
  replayed: boolean;
}

/** The new key's public half, or null for a custodial key; checks need no database. */
export function keyChoiceProblem(choice: KeyChoice): Failure | null {
  const problem = uuidProblem(choice.partyId, 'partyId');
  if (problem) return problem;
  if ((choice.publicKey !== null) === choice.custodial) {
    return fail('invalid_input', 'give exactly one of publicKey or custodial: true', 'publicKey');
  }
  if (choice.publicKey === null) return null;
  const parsed = parsePublicKey(choice.publicKey);
  return parsed.ok ? null : parsed;
}

/** The parsed self-held key of a checked choice, null for a custodial one. */
function chosenPublicKey(choice: KeyChoice): Buffer | null {
  return choice.publicKey === null ? null : parseHex(choice.publicKey, 32);
}

export function newKeyFor(ledger: Ledger, choice: KeyChoice): Result<NewPartyKey> {
  const publicKey = chosenPublicKey(choice);
  if (publicKey === null) return newCustodialKey(ledger.custody, choice.partyId);
  return ok({ keyId: keyIdOf(publicKey), partyId: choice.partyId, publicKey, sealedPrivateKey: null });
}

export async function partyKeyState(trx: Trx, partyId: string): Promise<PartyKeyState> {
  return { active: await findActiveKey(trx, partyId), latest: await findLatestKey(trx, partyId) };
}

/** The statement for `choice` given the party's keys now. */
export function statementFor(choice: KeyChoice, state: PartyKeyState): KeyStatement {
  const publicKey = chosenPublicKey(choice);
  return keyAdditionStatement({
    partyId: choice.partyId,
    publicKey: publicKey && toHex(publicKey),
    custodial: choice.custodial,
    previousKeyId: state.latest?.keyId ?? null,
  });
}

export interface PreparedKeyAddition extends KeyStatement {
  previousKeyId: string | null;
  /** The active key is self-held: addPartyKey needs its currentKeySignature. */
  currentKeySignatureRequired: boolean;
  /** The new key is self-held: it signs the statement hash too (proofOfPossession). */
  proofOfPossessionRequired: boolean;
  /** No key is active and the last was self-held: only administrator recovery adds a key. */
  recoveryRequired: boolean;
}

/**
 * The key addition statement to sign for addPartyKey (and requestKeyRecovery). Writes nothing.
 *
 * Failure codes: invalid_input, forbidden, party_not_found, public_key_invalid.
 */
export async function preparePartyKeyAddition(
  ledger: Ledger,
  actor: Actor,
  choice: KeyChoice,
): Promise<Result<PreparedKeyAddition>> {
  const problem = keyChoiceProblem(choice);
  if (problem) return problem;
  if (!mayManage(actor, choice.partyId))
    return fail('forbidden', 'only the party or a platform administrator manages its keys');
  // A public key registered already is addPartyKey's to report: a client retrying an addition that
  // did go through prepares again, and its retry is answered as a replay.
  return inTransactionResult(ledger.db, async (trx): Promise<Result<PreparedKeyAddition>> => {
    if (!(await findPartyById(trx, choice.partyId)))
      return fail('party_not_found', 'no party with that id', 'partyId');
    const publicKey = chosenPublicKey(choice);
    const state = await partyKeyState(trx, choice.partyId);
    return ok({
      ...statementFor(choice, state),
      previousKeyId: state.latest?.keyId ?? null,
      currentKeySignatureRequired: state.active !== undefined && !state.active.custodial,
      proofOfPossessionRequired: publicKey !== null,
      recoveryRequired: state.active === undefined && state.latest !== undefined && !state.latest.custodial,
    });
  });
}

export interface KeyInstallation {
  key: NewPartyKey;
  state: PartyKeyState;
  authorization: KeyAuthorization;
  statement: string;
  proofs: KeyProofs;
  /** What an administrator recovery records; null otherwise. */
  recovery: Record<string, unknown> | null;
  refs: string[];
}

const hexOrNull = (hex: string | null) => (hex === null ? null : toHex(parseHex(hex) ?? Buffer.alloc(0)));

/**
 * Appends party_key.added (with the statement and its signatures, for offline verifiers) and makes
 * the key active. Signed before the swap: when the platform rotates its own key, the previous key
 * vouches for the new one, so the chain of registry keys a verifier follows leads back to its first.
 */
export async function installKey(
  trx: Trx,
  ledger: Ledger,
  request: RegistryRequest,
  installation: KeyInstallation,
): Promise<Result<PartyKey>> {
  const { key, state, proofs } = installation;
  const appended = await appendRegistryEvent(trx, ledger, request, {
    kind: 'party_key.added',
    counterparty: key.partyId,
    refs: installation.refs,
    payload: {
      partyId: key.partyId,
      keyId: key.keyId,
      publicKey: key.publicKey.toString('hex'),
      custodial: key.sealedPrivateKey !== null,
      rotatedKeyId: state.active?.keyId ?? null,
      previousKeyId: state.latest?.keyId ?? null,
      authorization: installation.authorization,
      statement: installation.statement,
      currentKeySignature: hexOrNull(proofs.currentKeySignature),
      proofOfPossession: hexOrNull(proofs.proofOfPossession),
      recovery: installation.recovery,
    },
  });
  if (!appended.ok) return appended;
  if (state.active) await retireKey(trx, state.active.keyId, 'rotated');
  return ok(await insertActiveKey(trx, key, installation.authorization));
}

/**
 * Adds a key and makes it the party's active key; the previous active key becomes `rotated`. A
 * self-held active key must sign the addition (currentKeySignature); a new self-held key proves
 * possession. See key-authority.ts for the whole rule.
 *
 * Failure codes: invalid_input, forbidden, proof_of_possession_required, idempotency_key_reused,
 * party_not_found, public_key_invalid, key_already_registered, key_recovery_required,
 * current_key_signature_required, current_key_signature_invalid, proof_of_possession_invalid,
 * custody_unavailable.
 */
/** The answer to a replayed key addition: the key its first registry event added. */
export async function replayedKey(trx: Trx, first: LedgerEvent): Promise<Result<KeyOutcome>> {
  const key = await findKey(trx, (first.payload as { keyId: string }).keyId);
  return key ? ok({ key, replayed: true }) : fail('key_not_found', 'the replayed key is gone');
}

export async function addPartyKey(
  ledger: Ledger,
  actor: Actor,
  input: AddPartyKeyInput,
): Promise<Result<KeyOutcome>> {
  const problem = keyChoiceProblem(input) ?? idempotencyKeyProblem(input.idempotencyKey);
  if (problem) return problem;
  if (!mayManage(actor, input.partyId))
    return fail('forbidden', 'only the party or a platform administrator manages its keys');
  const proofsProblem = keyProofsProblem(input.custodial, input);
  if (proofsProblem) return proofsProblem;
  // The same addition retried after a lost answer is signed afresh (the statement names the key it
  // installed), so the signatures are not part of what makes it the same request.
  const { partyId, publicKey, custodial } = input;
  const request = {
    operation: 'addPartyKey',
    actor,
    idempotencyKey: input.idempotencyKey,
    input: { partyId, publicKey, custodial },
  };
  return inTransactionResult(ledger.db, async (trx): Promise<Result<KeyOutcome>> => {
    const replay = await findRegistryReplay(trx, ledger, request);
    if (!replay.ok) return replay;
    if (replay.value) return replayedKey(trx, replay.value);
    if (!(await findPartyById(trx, input.partyId)))
      return fail('party_not_found', 'no party with that id', 'partyId');
    const candidate = newKeyFor(ledger, input);
    if (!candidate.ok) return candidate;
    if (await findKey(trx, candidate.value.keyId)) {
      return fail('key_already_registered', 'that public key is registered already', 'publicKey');
    }
    const state = await partyKeyState(trx, input.partyId);
    const { statement, statementHash } = statementFor(input, state);
    const authorization = authorizeKeyAddition(state, chosenPublicKey(input), statementHash, input);
    if (!authorization.ok) return authorization;
    const key = await installKey(trx, ledger, request, {
      key: candidate.value,
      state,
      authorization: authorization.value,
      statement,
      proofs: input,
      recovery: null,
      refs: [],
    });
    return key.ok ? ok({ key: key.value, replayed: false }) : key;
  });
}

export interface RevokePartyKeyInput {
  keyId: string;
  idempotencyKey: string;
}

/**
 * Revokes a key (active or rotated): it signs nothing more. Events it signed before stay valid. The
 * party's API key suffices, as an emergency stop; replacing a revoked self-held key then takes an
 * administrator recovery.
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

/** How each of `keyIds` was authorized: the mark every event signed by that key carries. */
export async function keyAuthorizationsOf(
  ledger: Ledger,
  keyIds: readonly string[],
): Promise<Map<string, KeyAuthorization>> {
  const keys = await inTransaction(ledger.db, (trx) => findKeysByIds(trx, keyIds));
  return new Map(keys.map((key) => [key.keyId, key.authorization]));
}
