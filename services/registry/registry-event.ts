/**
 * Registry changes (parties, keys, API credentials) are events too, signed by the platform operator
 * with its custodial key, so that the key registry a verifier trusts is itself in the log. The
 * idempotency key is scoped to the caller, since the platform is the actor of all of them.
 */

import type { Ledger } from '../context.js';
import type { Trx } from '../db/transaction.js';
import { operationRequestHash } from '../events/envelope.js';
import type { AppendedEvent, LedgerEvent } from '../events/event.js';
import { appendCustodialEvent, findReplay } from '../events/event.service.js';
import { registryInputProblem } from '../parties/input-checks.js';
import type { Actor, Party } from '../parties/party.js';
import type { NewPartyKey } from '../parties/party-key.repository.js';
import { ok, type Result } from '../result.js';

export interface RegistryRequest {
  operation: string;
  actor: Actor;
  idempotencyKey: string;
  /** The caller's input as plain JSON: it defines what counts as the same request. */
  input: unknown;
}

function scopedKey(request: RegistryRequest): string {
  return `${request.actor.partyId}/${request.idempotencyKey}`;
}

/**
 * The first event of an earlier identical request, undefined for a new one.
 *
 * Failure codes: invalid_input (a string of the input breaks the text rule), idempotency_key_reused.
 */
export async function findRegistryReplay(
  trx: Trx,
  ledger: Ledger,
  request: RegistryRequest,
): Promise<Result<LedgerEvent | undefined>> {
  const problem = registryInputProblem(request.input);
  if (problem) return problem;
  const requestHash = operationRequestHash(request.operation, request.actor.partyId, request.input);
  return findReplay(trx, ledger.platformPartyId, scopedKey(request), requestHash);
}

export async function appendRegistryEvent(
  trx: Trx,
  ledger: Ledger,
  request: RegistryRequest,
  event: { kind: string; counterparty: string | null; payload: Record<string, unknown>; refs?: string[] },
): Promise<Result<AppendedEvent>> {
  const requestHash = operationRequestHash(request.operation, request.actor.partyId, request.input);
  const appended = await appendCustodialEvent(
    trx,
    ledger.custody,
    {
      kind: event.kind,
      actor: ledger.platformPartyId,
      counterparty: event.counterparty,
      refs: event.refs ?? [],
      payload: { ...event.payload, requestedBy: request.actor.partyId },
      occurredAt: new Date().toISOString(),
      idempotencyKey: scopedKey(request),
    },
    requestHash,
  );
  return appended.ok ? ok(appended.value) : appended;
}

/** A self-held key's registration statement and its signature of it, for offline verifiers. */
export interface RegistrationProof {
  statement: string;
  proofOfPossession: string;
}

/** The party.registered event of a party and the key it registered with, if any. */
export function partyRegistered(party: Party, key: NewPartyKey | null, proof: RegistrationProof | null) {
  return {
    kind: 'party.registered',
    counterparty: party.id,
    payload: {
      partyId: party.id,
      legalName: party.legalName,
      registrationScheme: party.registrationScheme,
      registrationId: party.registrationId,
      roles: party.roles,
      parentPartyId: party.parentPartyId,
      key: key && {
        keyId: key.keyId,
        publicKey: key.publicKey.toString('hex'),
        custodial: key.sealedPrivateKey !== null,
        statement: proof?.statement ?? null,
        proofOfPossession: proof?.proofOfPossession ?? null,
      },
    },
  };
}
