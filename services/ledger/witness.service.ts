/**
 * Witness registration and cosignatures. A lender (or auditor) registers a witness key; its side
 * checks each new checkpoint for consistency with the last one it cosigned (scripts/client/witness.ts)
 * and sends the cosignature line, which is kept only if it verifies over that very checkpoint note.
 */
import { randomUUID } from 'node:crypto';
import { assert } from '../assert.js';
import type { Ledger } from '../context.js';
import { isValidKeyName, noteSignaturesMax, parseNote, parseVerifierKey } from '../crypto/signed-note.js';
import type { Db, Trx } from '../db/transaction.js';
import { inTransactionResult } from '../db/transaction-result.js';
import { isUuid } from '../input-rules.js';
import { idempotencyKeyProblem, parsePublicKey, textProblem } from '../parties/input-checks.js';
import type { Actor } from '../parties/party.js';
import { appendRegistryEvent, findRegistryReplay } from '../registry/registry-event.js';
import { type Failure, fail, ok, type Result } from '../result.js';
import { verifyCosignature } from './checkpoint.js';
import { findCheckpoint } from './proof.repository.js';
import {
  appendSignatureLines,
  type Cosignature,
  signatureLineLengthMax,
  type Witness,
  witnessVerifierKey,
} from './witness.js';
import {
  findLatestCosignature,
  findWitness,
  findWitnessByNameOrKey,
  insertCosignature,
  insertWitness,
  listCosignatures,
} from './witness.repository.js';

export const witnessNameLengthMax = 100;

export interface RegisterWitnessInput {
  name: string;
  /** The witness's Ed25519 public key, 32 bytes in hex. */
  publicKey: string;
  idempotencyKey: string;
}

export interface WitnessOutcome {
  witness: Witness;
  replayed: boolean;
}

function mayRegisterWitness(actor: Actor): boolean {
  return actor.roles.includes('lender') || actor.roles.includes('auditor');
}

function nameProblem(name: string): Failure | null {
  const text = textProblem(name, 'name', witnessNameLengthMax, 'code');
  if (text) return text;
  if (!isValidKeyName(name)) {
    return fail(
      'invalid_input',
      `name must be a note key name of 1 to ${witnessNameLengthMax} characters, without spaces or "+"`,
      'name',
    );
  }
  return null;
}

/**
 * Registers a witness key for the caller's party, recorded as a platform-signed `witness.registered`
 * event. A replay with the same idempotency key and input returns the first witness.
 *
 * Failure codes: invalid_input, forbidden, public_key_invalid, idempotency_key_reused,
 * witness_already_registered.
 */
export async function registerWitness(
  ledger: Ledger,
  actor: Actor,
  input: RegisterWitnessInput,
): Promise<Result<WitnessOutcome>> {
  const problem = nameProblem(input.name) ?? idempotencyKeyProblem(input.idempotencyKey);
  if (problem) return problem;
  if (!mayRegisterWitness(actor)) return fail('forbidden', 'only lenders and auditors register witnesses');
  const parsed = parsePublicKey(input.publicKey);
  if (!parsed.ok) return parsed;
  const publicKey = parsed.key;
  const request = {
    operation: 'registerWitness',
    actor,
    idempotencyKey: input.idempotencyKey,
    input: { name: input.name, publicKey: publicKey.toString('hex') },
  };
  return inTransactionResult(ledger.db, async (trx): Promise<Result<WitnessOutcome>> => {
    const replay = await findRegistryReplay(trx, ledger, request);
    if (!replay.ok) return replay;
    if (replay.value) {
      const witness = await findWitness(trx, (replay.value.payload as { witnessId: string }).witnessId);
      assert(witness, 'a witness.registered event without its witness');
      return ok({ witness, replayed: true });
    }
    if (await findWitnessByNameOrKey(trx, input.name, publicKey)) {
      return fail('witness_already_registered', 'a witness with that name or key exists', 'name');
    }
    const witness = await insertWitness(trx, {
      id: randomUUID(),
      partyId: actor.partyId,
      name: input.name,
      publicKey,
    });
    const appended = await appendRegistryEvent(trx, ledger, request, {
      kind: 'witness.registered',
      counterparty: actor.partyId,
      payload: {
        witnessId: witness.id,
        partyId: actor.partyId,
        name: witness.name,
        publicKey: publicKey.toString('hex'),
        verifierKey: witnessVerifierKey(witness),
      },
    });
    return appended.ok ? ok({ witness, replayed: false }) : appended;
  });
}

export interface CosignCheckpointInput {
  witnessId: string;
  treeSize: number;
  /** The signature line "— <name> <base64>" that cosignCheckpoint (checkpoint.ts) appended. */
  cosignature: string;
}

export interface CosignatureOutcome {
  cosignature: Cosignature;
  replayed: boolean;
}

/** 9999-12-31T23:59:59Z: the last second a TIMESTAMPTZ (and a Date) holds. */
const cosignatureTimestampMax = 253_402_300_799;

function cosignInputProblem(input: CosignCheckpointInput): Failure | null {
  if (!isUuid(input.witnessId))
    return fail('invalid_input', 'witnessId must be a lowercase UUID', 'witnessId');
  if (!Number.isSafeInteger(input.treeSize) || input.treeSize < 1) {
    return fail('invalid_input', 'treeSize must be a positive integer', 'treeSize');
  }
  const line = input.cosignature;
  if (line.length === 0 || line.length > signatureLineLengthMax || line.includes('\n')) {
    return fail(
      'invalid_input',
      `cosignature must be one signature line of at most ${signatureLineLengthMax} characters`,
      'cosignature',
    );
  }
  return textProblem(line, 'cosignature', signatureLineLengthMax, 'name');
}

/** Whether `cosigned` is `note` with exactly one more well-formed signature line. */
function addsOneLine(note: string, cosigned: string): boolean {
  const before = parseNote(note);
  const after = parseNote(cosigned);
  return before !== null && after !== null && after.signatures.length === before.signatures.length + 1;
}

/**
 * Stores a witness's cosignature of the checkpoint of `treeSize`. Sizes only grow per witness: the
 * size it last cosigned again is a replay and returns the stored cosignature.
 *
 * Failure codes, in this order: invalid_input, witness_not_found (absent or another party's),
 * checkpoint_not_found, cosignature_invalid, invalid_input (older than the last size it cosigned).
 */
export async function cosignCheckpoint(
  ledger: Ledger,
  actor: Actor,
  input: CosignCheckpointInput,
): Promise<Result<CosignatureOutcome>> {
  const problem = cosignInputProblem(input);
  if (problem) return problem;
  return inTransactionResult(ledger.db, async (trx): Promise<Result<CosignatureOutcome>> => {
    const witness = await findWitness(trx, input.witnessId);
    if (!witness || witness.partyId !== actor.partyId) {
      return fail('witness_not_found', 'no witness with that id for the caller', 'witnessId');
    }
    const checkpoint = await findCheckpoint(trx, input.treeSize);
    if (!checkpoint)
      return fail('checkpoint_not_found', `no checkpoint of size ${input.treeSize}`, 'treeSize');
    const cosigned = appendSignatureLines(checkpoint.note, [input.cosignature]);
    const key = parseVerifierKey(witnessVerifierKey(witness));
    assert(key, 'a registered witness key encodes to a vkey that parses');
    const verified = addsOneLine(checkpoint.note, cosigned)
      ? verifyCosignature(cosigned, key)
      : { ok: false as const, reason: 'it is not one well-formed note signature line' };
    if (!verified.ok) {
      return fail(
        'cosignature_invalid',
        `the cosignature does not verify: ${verified.reason}`,
        'cosignature',
      );
    }
    if (verified.timestamp > cosignatureTimestampMax) {
      return fail('cosignature_invalid', 'the cosignature timestamp is after the year 9999', 'cosignature');
    }
    const latest = await findLatestCosignature(trx, witness.id);
    if (latest && latest.treeSize === input.treeSize) return ok({ cosignature: latest, replayed: true });
    if (latest && latest.treeSize > input.treeSize) {
      return fail(
        'invalid_input',
        `the witness cosigned size ${latest.treeSize} already; it cannot go back to ${input.treeSize}`,
        'treeSize',
      );
    }
    const cosignature: Cosignature = {
      treeSize: input.treeSize,
      witnessId: witness.id,
      witnessName: witness.name,
      signatureLine: input.cosignature,
      cosignedAt: new Date(verified.timestamp * 1000),
    };
    await insertCosignature(trx, cosignature);
    return ok({ cosignature, replayed: false });
  });
}

/** The signature lines a checkpoint note can still take after the log's own. */
export const cosignaturesPerNoteMax = noteSignaturesMax - 1;

/**
 * The checkpoint note of `treeSize` with every stored cosignature line appended (oldest first, as
 * many as a note may hold): it still verifies with the log key and with each witness key.
 */
export async function cosignedNote(db: Db | Trx, treeSize: number): Promise<string | undefined> {
  const checkpoint = await findCheckpoint(db, treeSize);
  if (!checkpoint) return undefined;
  const cosignatures = await listCosignatures(db, treeSize, cosignaturesPerNoteMax);
  return appendSignatureLines(
    checkpoint.note,
    cosignatures.map((cosignature) => cosignature.signatureLine),
  );
}
