/**
 * checkFingerprint: another platform or a registry, holding the shared FINGERPRINT_KEY, asks whether
 * an invoice it was shown is confirmed or financed here. The answer is two booleans and nothing else
 * (no ids, no amounts, no parties), so a lender learns only what protects it from double financing.
 */

import type { Ledger } from '../context.js';
import { inSnapshot } from '../db/transaction.js';
import { type Actor, seesEverything } from '../parties/party.js';
import { fail, ok, type Result } from '../result.js';
import { parseFingerprint } from '../trade/invoice-fingerprint.js';
import { type FingerprintStanding, findFingerprintStanding } from './fingerprint-check.repository.js';

export type { FingerprintStanding };

/** Lenders ask before they finance; auditors and platform administrators oversee. */
export function mayCheckFingerprints(actor: Actor): boolean {
  return actor.roles.includes('lender') || seesEverything(actor);
}

/**
 * Failure codes, in order: forbidden (not a lender, auditor or platform administrator),
 * invalid_input (not 64 hex characters), fingerprint_not_configured (no FINGERPRINT_KEY: nothing was
 * fingerprinted here, so "not confirmed" would be a false reassurance).
 */
export async function checkFingerprint(
  ledger: Ledger,
  actor: Actor,
  fingerprint: string,
): Promise<Result<FingerprintStanding>> {
  if (!mayCheckFingerprints(actor)) {
    return fail('forbidden', 'only lenders, auditors and platform administrators check fingerprints');
  }
  const parsed = parseFingerprint(fingerprint);
  if (!parsed.ok) return parsed;
  if (ledger.fingerprintKey === undefined) {
    return fail(
      'fingerprint_not_configured',
      'this ledger runs without FINGERPRINT_KEY, so it holds no fingerprints to compare',
    );
  }
  const fingerprintHex = parsed.value;
  return ok(await inSnapshot(ledger.db, (trx) => findFingerprintStanding(trx, fingerprintHex)));
}
