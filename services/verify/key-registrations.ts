/**
 * Which registry events a bundle needs so that the verifier can bind every signer key to its party:
 * for each key, the `party.registered` or `party_key.added` that registered it, then the same for the
 * keys that signed those and for the keys each addition replaced (the verifier checks who authorized
 * a replacement), up to the platform's own registration (always included: it binds the platform
 * key); and every revocation of any of those keys, so that a key revoked before it signed is caught.
 * The registrations of `named` parties (a receivable's holders and obligor) come too, so that the
 * verifier can call them by name even when they signed nothing in the bundle.
 */
import type { Trx } from '../db/transaction.js';
import {
  type EventEvidence,
  findKeyRegistrations,
  findKeyRevocations,
  findPartyRegistrations,
  findPlatformRegistration,
} from '../ledger/proof.repository.js';

export async function registrationsBehind(
  trx: Trx,
  platformPartyId: string,
  evidence: readonly Pick<EventEvidence, 'keyId' | 'actorPartyId'>[],
  named: readonly string[] = [],
): Promise<string[]> {
  const ids = new Set<string>();
  const platform = await findPlatformRegistration(trx, platformPartyId);
  if (platform) ids.add(platform.eventId);
  for (const registration of await findPartyRegistrations(trx, platformPartyId, named))
    ids.add(registration.eventId);
  const seen = new Map<string, { keyId: string; partyId: string }>();
  const unseen = (keys: { keyId: string; partyId: string }[]) =>
    [...new Map(keys.map((key) => [key.keyId, key])).values()].filter((key) => !seen.has(key.keyId));
  let wanted = unseen(evidence.map((event) => ({ keyId: event.keyId, partyId: event.actorPartyId })));
  for (;;) {
    while (wanted.length > 0) {
      for (const key of wanted) seen.set(key.keyId, key);
      const found = await findKeyRegistrations(trx, platformPartyId, wanted);
      for (const row of found) ids.add(row.eventId);
      wanted = unseen(
        found.flatMap((row) => [
          { keyId: row.signerKeyId, partyId: row.actorPartyId },
          ...(row.replaced ? [row.replaced] : []),
        ]),
      );
    }
    // Every key is registered now: the revocations of all of them, and then the keys that signed those.
    const revocations = (await findKeyRevocations(trx, platformPartyId, [...seen.values()])).filter(
      (row) => !ids.has(row.eventId),
    );
    if (revocations.length === 0) return [...ids];
    for (const row of revocations) ids.add(row.eventId);
    wanted = unseen(revocations.map((row) => ({ keyId: row.signerKeyId, partyId: row.actorPartyId })));
  }
}
