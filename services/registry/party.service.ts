/**
 * Registering parties. Only a platform administrator registers a party; the registration is an event
 * the platform signs, and the party row is its projection, written in the same transaction.
 */
import { randomUUID } from 'node:crypto';
import type { Ledger } from '../context.js';
import { keyIdOf, toHex } from '../crypto/index.js';
import type { Trx } from '../db/transaction.js';
import { inTransactionResult } from '../db/transaction-result.js';
import { newCustodialKey } from '../parties/custody.js';
import { idempotencyKeyProblem, parsePublicKey, textProblem, uuidProblem } from '../parties/input-checks.js';
import { possessionProblem } from '../parties/key-authority.js';
import { registrationStatement } from '../parties/key-statement.js';
import {
  type Actor,
  isPlatformAdmin,
  legalNameLengthMax,
  type Party,
  type PartyRole,
  partyRoles,
} from '../parties/party.js';
import { findPartyById, insertParty, registrationIdTaken } from '../parties/party.repository.js';
import { findKey, insertActiveKey, type NewPartyKey } from '../parties/party-key.repository.js';
import { validateRegistrationId } from '../parties/registration-id.js';
import { type Failure, fail, ok, type Result } from '../result.js';
import {
  appendRegistryEvent,
  findRegistryReplay,
  partyRegistered,
  type RegistrationProof,
} from './registry-event.js';

export interface RegisterPartyInput {
  legalName: string;
  registrationId: string;
  roles: string[];
  parentPartyId: string | null;
  /** Hex Ed25519 public key the party signs with; or ask for a custodial key instead. */
  publicKey: string | null;
  /**
   * With publicKey: that key's Ed25519 signature of the registration statement's hash
   * (key-statement.ts), so that nobody registers a key it does not hold.
   */
  proofOfPossession: string | null;
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

function keyInputProblem(input: RegisterPartyInput): Failure | null {
  if (input.publicKey !== null && input.custodialKey) {
    return fail('invalid_input', 'give a publicKey or ask for a custodialKey, not both', 'custodialKey');
  }
  if (input.publicKey === null && input.proofOfPossession !== null) {
    return fail('invalid_input', 'proofOfPossession goes with a publicKey', 'proofOfPossession');
  }
  if (input.publicKey !== null && input.proofOfPossession === null) {
    return fail(
      'proof_of_possession_required',
      'a publicKey needs proofOfPossession: its signature of the registration statement hash',
      'proofOfPossession',
    );
  }
  return null;
}

interface InitialKey {
  key: NewPartyKey;
  proof: RegistrationProof | null;
}

async function initialKey(
  ledger: Ledger,
  trx: Trx,
  partyId: string,
  registrationId: string,
  input: RegisterPartyInput,
): Promise<Result<InitialKey | null>> {
  if (input.custodialKey) {
    const key = newCustodialKey(ledger.custody, partyId);
    return key.ok ? ok({ key: key.value, proof: null }) : key;
  }
  if (input.publicKey === null) return ok(null);
  const parsed = parsePublicKey(input.publicKey);
  if (!parsed.ok) return parsed;
  const keyId = keyIdOf(parsed.key);
  if (await findKey(trx, keyId))
    return fail('key_already_registered', 'that public key is registered already', 'publicKey');
  const { statement, statementHash } = registrationStatement(registrationId, toHex(parsed.key));
  const possession = possessionProblem(parsed.key, statementHash, input.proofOfPossession);
  if (possession) return possession;
  return ok({
    key: { keyId, partyId, publicKey: parsed.key, sealedPrivateKey: null },
    // Verified above, so it is 64 bytes of hex; stored in the one lowercase spelling.
    proof: { statement, proofOfPossession: (input.proofOfPossession ?? '').toLowerCase() },
  });
}

/**
 * Registers an organisation with its roles, registration id and optional signing key.
 *
 * Failure codes: forbidden, invalid_input, idempotency_key_reused, registration_id_invalid_format,
 * registration_id_check_failed, registration_id_taken, parent_party_not_found, public_key_invalid,
 * key_already_registered, proof_of_possession_required, proof_of_possession_invalid, custody_unavailable.
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
    rolesProblem(input.roles) ??
    keyInputProblem(input);
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
    const key = await initialKey(ledger, trx, partyId, registration.value, input);
    if (!key.ok) return key;
    const party = await insertParty(trx, {
      id: partyId,
      legalName: input.legalName,
      registrationScheme: registration.scheme,
      registrationId: registration.value,
      roles: input.roles as PartyRole[],
      parentPartyId: input.parentPartyId,
    });
    if (key.value) await insertActiveKey(trx, key.value.key, 'registered');
    const appended = await appendRegistryEvent(
      trx,
      ledger,
      request,
      partyRegistered(party, key.value?.key ?? null, key.value?.proof ?? null),
    );
    return appended.ok ? ok({ party, replayed: false }) : appended;
  });
}
