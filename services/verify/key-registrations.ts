/**
 * Which registry events a bundle needs so that the verifier can bind every signer key to its party:
 * for each key, the `party.registered` or `party_key.added` that registered it, then the same for the
 * keys that signed those, up to the platform's own registration (always included: it binds the
 * platform key).
 */
import type { Trx } from '../db/transaction.js';
import {
  type EventEvidence,
  findKeyRegistrations,
  findPlatformRegistration,
} from '../ledger/proof.repository.js';

export async function registrationsBehind(
  trx: Trx,
  platformPartyId: string,
  evidence: readonly Pick<EventEvidence, 'keyId' | 'actorPartyId'>[],
): Promise<string[]> {
  const ids = new Set<string>();
  const platform = await findPlatformRegistration(trx, platformPartyId);
  if (platform) ids.add(platform.eventId);
  const seen = new Set<string>();
  let wanted = evidence.map((event) => ({ keyId: event.keyId, partyId: event.actorPartyId }));
  while (wanted.length > 0) {
    for (const key of wanted) seen.add(key.keyId);
    const found = await findKeyRegistrations(trx, platformPartyId, wanted);
    for (const registration of found) ids.add(registration.eventId);
    wanted = [...new Map(found.map((row) => [row.signerKeyId, row])).values()]
      .filter((row) => !seen.has(row.signerKeyId))
      .map((row) => ({ keyId: row.signerKeyId, partyId: row.actorPartyId }));
  }
  return [...ids];
}
