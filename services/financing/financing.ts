/**
 * Financing: a holder asks lenders to finance (part of) a receivable; each lender asked offers terms
 * or declines; the holder accepts one offer; the lender disburses, and the financed amount is split
 * off as a child receivable the lender holds. Types and pure rules only; nothing here touches the
 * database.
 *
 * Stored statuses move requested -> offered -> accepted -> disbursed, or end withdrawn, declined or
 * expired. What the API shows is derived further: an open financing (requested, offered, accepted)
 * whose expiry passed reads EXPIRED without a write, and a disbursed one reads REPAID when its child
 * is settled, DEFAULTED when the child defaults.
 */
import type {
  DayCount,
  FinancingResponseKind,
  FinancingResponseStatus,
  FinancingStatus,
} from '../../schema/database.js';
import type { ReceivableStatus } from '../receivables/index.js';

export type { DayCount, FinancingResponseKind, FinancingResponseStatus, FinancingStatus };

/** The lenders one request may ask: enough to compare terms, few enough to keep the paper private. */
export const lendersPerRequestMin = 1;
export const lendersPerRequestMax = 10;
/** A decline's reason and a payment reference, in characters. */
export const reasonLengthMax = 500;
export const paymentReferenceLengthMax = 140;

export const dayCounts = ['act_360', 'act_365f'] as const satisfies readonly DayCount[];

/** Statuses in which a financing holds its receivable (and the unique index allows one at a time). */
export const openStatuses = [
  'requested',
  'offered',
  'accepted',
] as const satisfies readonly FinancingStatus[];

export const effectiveFinancingStatuses = [
  'requested',
  'offered',
  'accepted',
  'disbursed',
  'repaid',
  'defaulted',
  'declined',
  'withdrawn',
  'expired',
] as const;
export type EffectiveFinancingStatus = (typeof effectiveFinancingStatuses)[number];

export interface Financing {
  id: string;
  receivableId: string;
  rootId: string;
  invoiceId: string;
  holderPartyId: string;
  obligorPartyId: string;
  currency: string;
  amountMinor: bigint;
  status: FinancingStatus;
  expiresAt: Date;
  requestedEventId: string;
  acceptedOfferId: string | null;
  lenderPartyId: string | null;
  childReceivableId: string | null;
  paymentReference: string | null;
  disbursedEventId: string | null;
  closedEventId: string | null;
  createdAt: Date;
}

/** An offer or a decline of one lender on one request. */
export interface FinancingResponse {
  id: string;
  financingId: string;
  lenderPartyId: string;
  kind: FinancingResponseKind;
  status: FinancingResponseStatus;
  rateMicros: bigint | null;
  dayCount: DayCount | null;
  feeMinor: bigint | null;
  advanceDate: string | null;
  days: number | null;
  discountMinor: bigint | null;
  advanceMinor: bigint | null;
  reportHash: string | null;
  reason: string | null;
  eventId: string;
  createdAt: Date;
}

export function isOpen(status: FinancingStatus): boolean {
  return (openStatuses as readonly string[]).includes(status);
}

/** Whether an open financing's expiry has passed at `now`. */
export function hasLapsed(financing: Pick<Financing, 'status' | 'expiresAt'>, now: Date): boolean {
  return isOpen(financing.status) && financing.expiresAt.getTime() <= now.getTime();
}

/** What the API shows: the stored status, with the clock and the child's status read into it. */
export function effectiveFinancingStatus(
  financing: Pick<Financing, 'status' | 'expiresAt'>,
  childStatus: ReceivableStatus | null,
  now: Date,
): EffectiveFinancingStatus {
  if (hasLapsed(financing, now)) return 'expired';
  if (financing.status === 'disbursed') {
    if (childStatus === 'settled') return 'repaid';
    if (childStatus === 'defaulted') return 'defaulted';
  }
  return financing.status;
}
