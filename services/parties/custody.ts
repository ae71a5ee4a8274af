/**
 * Custodial keys: for a party that lets the platform sign on its behalf. The private key is sealed
 * with the custody key (AES-256-GCM) before it reaches the database; events signed this way are
 * marked custodial because they prove only that the platform said so.
 */
import type { Custody } from '../context.js';
import { generateKeyPair, keyIdOf, open, seal, sign } from '../crypto/index.js';
import type { Trx } from '../db/transaction.js';
import { fail, ok, type Result } from '../result.js';
import { findActiveSealedKey, type NewPartyKey } from './party-key.repository.js';

/** A fresh key pair for `partyId`, its private half sealed for storage. */
export function newCustodialKey(custody: Custody, partyId: string): Result<NewPartyKey> {
  if (custody.key === null) {
    return fail('custody_unavailable', 'custodial keys need CUSTODY_KEY configured on the server');
  }
  const pair = generateKeyPair();
  return ok({
    keyId: keyIdOf(pair.publicKey),
    partyId,
    publicKey: pair.publicKey,
    sealedPrivateKey: seal(custody.key, pair.privateKey),
  });
}

/** Signs `message` with the party's active custodial key; says which key (its id and public half). */
export async function signCustodially(
  trx: Trx,
  custody: Custody,
  partyId: string,
  message: Uint8Array,
): Promise<Result<{ keyId: string; publicKey: Buffer; signature: Buffer }>> {
  if (custody.key === null) {
    return fail('custody_unavailable', 'custodial signing needs CUSTODY_KEY configured on the server');
  }
  const sealed = await findActiveSealedKey(trx, partyId);
  if (!sealed) return fail('no_custodial_key', 'the party has no active custodial key');
  const privateKey = open(custody.key, sealed.sealedPrivateKey);
  if (privateKey === null) {
    throw new Error(`custodial key ${sealed.keyId} does not open with the configured CUSTODY_KEY`);
  }
  return ok({ keyId: sealed.keyId, publicKey: sealed.publicKey, signature: sign(privateKey, message) });
}
