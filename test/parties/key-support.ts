/** Key additions as a party makes them: prepare the statement, sign it with the current and new keys. */
import { expect } from 'vitest';
import type { Ledger } from '../../services/context.js';
import { type Ed25519KeyPair, sign, toHex } from '../../services/crypto/index.js';
import { inTransactionResult } from '../../services/db/transaction-result.js';
import { type Envelope, newSalt, prepare } from '../../services/events/envelope.js';
import type { AppendedEvent } from '../../services/events/event.js';
import { appendSignedEvent } from '../../services/events/event.service.js';
import type { Actor } from '../../services/parties/party.js';
import {
  type AddPartyKeyInput,
  addPartyKey,
  type KeyChoice,
  preparePartyKeyAddition,
} from '../../services/registry/party-key.service.js';
import type { Result } from '../../services/result.js';
import { freshKey } from '../support/fixtures.js';

export interface Signers {
  /** Signs as the party's current key; none when omitted. */
  current?: Ed25519KeyPair | null;
  /** The new self-held key; a custodial key when omitted. */
  next?: Ed25519KeyPair | null;
}

/** The statement hash for `choice` as the ledger prepares it now. */
export async function statementHashFor(ledger: Ledger, actor: Actor, choice: KeyChoice): Promise<Buffer> {
  const prepared = await preparePartyKeyAddition(ledger, actor, choice);
  if (!prepared.ok) expect.fail(`prepare: ${prepared.code}: ${prepared.message}`);
  return prepared.value.statementHash;
}

/** An addPartyKey input for `partyId`, signed by `signers` over the statement prepared by `preparer`. */
export async function signedAddition(
  ledger: Ledger,
  preparer: Actor,
  partyId: string,
  signers: Signers,
): Promise<AddPartyKeyInput> {
  const choice: KeyChoice = {
    partyId,
    publicKey: signers.next ? toHex(signers.next.publicKey) : null,
    custodial: !signers.next,
  };
  const hash = await statementHashFor(ledger, preparer, choice);
  return {
    ...choice,
    proofOfPossession: signers.next ? toHex(sign(signers.next.privateKey, hash)) : null,
    currentKeySignature: signers.current ? toHex(sign(signers.current.privateKey, hash)) : null,
    idempotencyKey: freshKey('add'),
  };
}

/** Adds a key as `actor` with `signers`, returning the result. */
export async function addSigned(ledger: Ledger, actor: Actor, partyId: string, signers: Signers) {
  return addPartyKey(ledger, actor, await signedAddition(ledger, actor, partyId, signers));
}

/** A bare event of `partyId` signed with `keyPair`, appended as the ledger appends any signed event. */
export function appendSignedBy(
  ledger: Ledger,
  partyId: string,
  keyPair: Ed25519KeyPair,
): Promise<Result<AppendedEvent>> {
  const envelope: Envelope = {
    kind: 'goods_receipt.recorded',
    actor: partyId,
    counterparty: null,
    refs: [],
    payload: { receiptNumber: freshKey('GR') },
    occurredAt: new Date().toISOString(),
    salt: newSalt(),
    idempotencyKey: freshKey('event'),
  };
  const signature = sign(keyPair.privateKey, prepare(envelope).eventHash);
  return inTransactionResult(ledger.db, (trx) => appendSignedEvent(trx, { envelope, signature }));
}
