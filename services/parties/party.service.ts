/**
 * Registering parties. Only a platform administrator registers a party; the registration is an event
 * the platform signs, and the party row is its projection, written in the same transaction.
 */
import { randomUUID } from 'node:crypto';
import { keyIdOf } from '../crypto/index.js';
import type { Trx } from '../db/transaction.js';
import { inTransactionResult } from '../db/transaction-result.js';
import type { Ledger } from '../ledger.js';
import { type Failure, fail, ok, type Result } from '../result.js';
import { newCustodialKey } from './custody.js';
import { idempotencyKeyProblem, parsePublicKey, textProblem, uuidProblem } from './input-checks.js';
import {
  type Actor,
  isPlatformAdmin,
  legalNameLengthMax,
  type Party,
  type PartyRole,
  partyRoles,
} from './party.js';
import { findPartyById, insertParty, registrationIdTaken } from './party.repository.js';
import { findKey, insertActiveKey, type NewPartyKey } from './party-key.repository.js';
import { validateRegistrationId } from './registration-id.js';
import { appendRegistryEvent, findRegistryReplay, partyRegistered } from './registry-event.js';

export interface RegisterPartyInput {
  legalName: string;
  registrationId: string;
  roles: string[];
  parentPartyId: string | null;
  /** Hex Ed25519 public key the party signs with; or ask for a custodial key instead. */
  publicKey: string | null;
  custodialKey: boolean;
  idempotencyKey: string;
}

export interface PartyOutcome {
  party: Party;
  replayed: boolean;
}

function rolesProblem(roles: string[]): Failure | null {
  if (roles.length === 0) return fail('invalid_input', 'a party needs at least one role', 'roles');
  const unknown = roles.find((role) => !(partyRoles as readonly string[]).includes(role));
  if (unknown !== undefined) return fail('invalid_input', `unknown role "${unknown}"`, 'roles');
  if (new Set(roles).size !== roles.length) return fail('invalid_input', 'roles must not repeat', 'roles');
  return null;
}

async function initialKey(
  ledger: Ledger,
  trx: Trx,
  partyId: string,
  input: RegisterPartyInput,
): Promise<Result<NewPartyKey | null>> {
  if (input.publicKey !== null && input.custodialKey) {
    return fail('invalid_input', 'give a publicKey or ask for a custodialKey, not both', 'custodialKey');
  }
  if (input.custodialKey) return newCustodialKey(ledger.custody, partyId);
  if (input.publicKey === null) return ok(null);
  const parsed = parsePublicKey(input.publicKey);
  if (!parsed.ok) return parsed;
  const keyId = keyIdOf(parsed.key);
  if (await findKey(trx, keyId))
    return fail('key_already_registered', 'that public key is registered already', 'publicKey');
  return ok({ keyId, partyId, publicKey: parsed.key, sealedPrivateKey: null });
}

/**
 * Registers an organisation with its roles, registration id and optional signing key.
 *
 * Failure codes: forbidden, invalid_input, idempotency_key_reused, registration_id_invalid_format,
 * registration_id_check_failed, registration_id_taken, parent_party_not_found, public_key_invalid,
 * key_already_registered, custody_unavailable.
 */
export async function registerParty(
  ledger: Ledger,
  actor: Actor,
  input: RegisterPartyInput,
): Promise<Result<PartyOutcome>> {
  if (!isPlatformAdmin(actor)) return fail('forbidden', 'only a platform administrator registers parties');
  const inputProblem =
    idempotencyKeyProblem(input.idempotencyKey) ??
    textProblem(input.legalName, 'legalName', legalNameLengthMax, 'name') ??
    rolesProblem(input.roles);
  if (inputProblem) return inputProblem;
  const request = { operation: 'registerParty', actor, idempotencyKey: input.idempotencyKey, input };
  return inTransactionResult(ledger.db, async (trx): Promise<Result<PartyOutcome>> => {
    const replay = await findRegistryReplay(trx, ledger, request);
    if (!replay.ok) return replay;
    if (replay.value) {
      const partyId = (replay.value.payload as { partyId: string }).partyId;
      const party = await findPartyById(trx, partyId);
      return party ? ok({ party, replayed: true }) : fail('party_not_found', 'the replayed party is gone');
    }
    const registration = validateRegistrationId(input.registrationId);
    if (!registration.ok) return fail(registration.code, registration.message, 'registrationId');
    if (await registrationIdTaken(trx, registration.value)) {
      return fail('registration_id_taken', `${registration.value} is registered already`, 'registrationId');
    }
    if (input.parentPartyId !== null) {
      const parentProblem = uuidProblem(input.parentPartyId, 'parentPartyId');
      if (parentProblem) return parentProblem;
      if (!(await findPartyById(trx, input.parentPartyId))) {
        return fail(
          'parent_party_not_found',
          'the declared parent company is not registered',
          'parentPartyId',
        );
      }
    }
    const partyId = randomUUID();
    const key = await initialKey(ledger, trx, partyId, input);
    if (!key.ok) return key;
    const party = await insertParty(trx, {
      id: partyId,
      legalName: input.legalName,
      registrationScheme: registration.scheme,
      registrationId: registration.value,
      roles: input.roles as PartyRole[],
      parentPartyId: input.parentPartyId,
    });
    if (key.value) await insertActiveKey(trx, key.value);
    const appended = await appendRegistryEvent(trx, ledger, request, partyRegistered(party, key.value));
    return appended.ok ? ok({ party, replayed: false }) : appended;
  });
}
