/**
 * Reading post-funding alerts: a lender reads the alerts on its own financings; auditors and platform
 * administrators read all of them; anyone else has none.
 */

import type { Ledger } from '../context.js';
import { inSnapshot } from '../db/transaction.js';
import type { PageRequest } from '../paging.js';
import { type Actor, seesEverything } from '../parties/party.js';
import type { FinancingAlert, FinancingAlertCursor } from './financing-alert.js';
import {
  countFinancingAlerts,
  type FinancingAlertFilter,
  listFinancingAlerts,
} from './financing-alert.repository.js';

function filterFor(actor: Actor): FinancingAlertFilter {
  return { lenderPartyId: seesEverything(actor) ? null : actor.partyId };
}

/** The caller's alerts, oldest first. No failure codes: a party that financed nothing reads none. */
export function financingAlertsOf(
  ledger: Ledger,
  actor: Actor,
  page: PageRequest<FinancingAlertCursor>,
): Promise<FinancingAlert[]> {
  return inSnapshot(ledger.db, (trx) => listFinancingAlerts(trx, filterFor(actor), page));
}

export function countFinancingAlertsOf(ledger: Ledger, actor: Actor): Promise<number> {
  return inSnapshot(ledger.db, (trx) => countFinancingAlerts(trx, filterFor(actor)));
}
