import type { SignatureVerifier } from './crypto/verify-pool.js';
import type { Db } from './db/transaction.js';

/**
 * The key that seals custodial private keys (parties/custody.ts). Declared here, beside the context
 * that carries it, so that this file imports no service folder and every service may import it.
 */
export interface Custody {
  /** 32 bytes, or null when custodial keys are not configured. */
  key: Buffer | null;
}

/** What every service function needs besides its input and actor. */
export interface Ledger {
  db: Db;
  custody: Custody;
  /** The platform operator's party: it signs registry events (parties, keys, API keys). */
  platformPartyId: string;
  policy: LedgerPolicy;
  /**
   * Where a batch of submitted statements has its signatures checked (crypto/verify-pool.ts): the
   * server's thread pool; without one, the calling thread.
   */
  verifier?: SignatureVerifier;
  /**
   * FINGERPRINT_KEY: the key of the blinded invoice fingerprints (trade/invoice-fingerprint.ts).
   * Without one, confirmations record no fingerprint and checkFingerprint answers
   * fingerprint_not_configured.
   */
  fingerprintKey?: Buffer;
}

/**
 * Business limits an operator may set (README: INVOICE_TENOR_DAYS_MAX, OVERDUE_GRACE_DAYS,
 * OCCURRED_AT_PAST_HOURS_MAX, OCCURRED_AT_FUTURE_SECONDS_MAX, WEBHOOK_PRIVATE_ADDRESSES,
 * FINANCING_REQUEST_TTL_HOURS).
 */
export interface LedgerPolicy {
  /** Longest allowed time from an invoice's issue date to its due date. */
  invoiceTenorDaysMax: number;
  /** Days after the due date before an unpaid receivable counts as overdue. */
  overdueGraceDays: number;
  /** How long before the server's time a submitted statement's occurredAt may lie. */
  occurredAtPastHoursMax: number;
  /** How long after the server's time a submitted statement's occurredAt may lie (clock skew). */
  occurredAtFutureSecondsMax: number;
  /**
   * Whether a webhook may name a loopback, private or link-local address (services/webhooks/
   * url-rules.ts). Off in production unless the operator allows it.
   */
  webhookPrivateAddressesAllowed: boolean;
  /**
   * How long a financing request stays open (services/financing): lenders read the paper and answer
   * within it, and the holder's receivable is free again once it lapses. Fractions are allowed, so
   * that tests can let a request lapse within seconds.
   */
  financingRequestTtlHours: number;
}

export const defaultPolicy: LedgerPolicy = {
  invoiceTenorDaysMax: 365,
  overdueGraceDays: 0,
  // A person may take a while to sign what was prepared; a day covers an overnight approval.
  occurredAtPastHoursMax: 24,
  occurredAtFutureSecondsMax: 300,
  webhookPrivateAddressesAllowed: true,
  // A week: long enough for a lender's credit committee, short enough not to freeze the paper.
  financingRequestTtlHours: 168,
};
