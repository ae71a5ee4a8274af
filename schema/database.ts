/**
 * The kysely view of the tables in schema/migrations. INT8 arrives as bigint, NUMERIC and DATE as
 * strings (see services/db/type-parsers.ts); BYTEA as Buffer; TIMESTAMPTZ as Date.
 */
import type { ColumnType } from 'kysely';

type CreatedAt = ColumnType<Date, Date | undefined, never>;

export const partyRoles = [
  'core_enterprise',
  'supplier',
  'lender',
  'logistics',
  'auditor',
  'platform_admin',
] as const;
export type PartyRole = (typeof partyRoles)[number];

export interface PartyTable {
  id: string;
  legal_name: string;
  registration_scheme: 'uscc' | 'lei';
  registration_id: string;
  roles: PartyRole[];
  parent_party_id: string | null;
  created_at: CreatedAt;
}

export type PartyKeyStatus = 'active' | 'rotated' | 'revoked';

/** How a key came to be the party's: see services/parties/key-authority.ts. */
export const keyAuthorizations = [
  'registered',
  'rotated_by_previous_key',
  'api_key',
  'administrator_recovery',
] as const;
export type KeyAuthorization = (typeof keyAuthorizations)[number];

export interface PartyKeyTable {
  key_id: string;
  party_id: string;
  public_key: Buffer;
  status: PartyKeyStatus;
  sealed_private_key: Buffer | null;
  key_authorization: KeyAuthorization;
  created_at: CreatedAt;
  retired_at: Date | null;
}

export interface ApiKeyTable {
  id: string;
  party_id: string;
  label: string;
  secret_hash: Buffer;
  created_at: CreatedAt;
  revoked_at: Date | null;
}

/**
 * The first administrator API key, sealed with the custody key, until a start has printed it
 * (services/parties/pending-admin-key.ts); deleted then.
 */
export interface PendingAdminApiKeyTable {
  api_key_id: string;
  sealed_secret: Buffer;
  created_at: CreatedAt;
}

export interface EventTable {
  id: string;
  kind: string;
  actor_party_id: string;
  counterparty_party_id: string | null;
  key_id: string;
  custodial: boolean;
  idempotency_key: string;
  request_hash: Buffer;
  statement: Buffer;
  event_hash: Buffer;
  signature: Buffer;
  payload: ColumnType<unknown, string, never>;
  occurred_at: Date;
  recorded_at: CreatedAt;
}

/** The statement last prepared for an actor's idempotency key (events/prepared-statement.repository.ts). */
export interface PreparedStatementTable {
  actor_party_id: string;
  idempotency_key: string;
  statement: Buffer;
  event_hash: Buffer;
  prepared_at: Date;
}

export interface LeaseTable {
  name: string;
  holder: string;
  expires_at: Date;
}

export interface LedgerSettingTable {
  name: string;
  value: string;
}

export type TradeDocumentKind = 'purchase_order' | 'shipment' | 'goods_receipt' | 'invoice' | 'credit_note';
export type TradeDocumentStatus = 'recorded' | 'issued' | 'confirmed' | 'cancellation_pending' | 'cancelled';

export interface TradeDocumentTable {
  id: string;
  kind: TradeDocumentKind;
  event_id: string;
  buyer_party_id: string;
  seller_party_id: string;
  currency: string;
  document_number: string;
  document_date: string;
  due_date: string | null;
  total_minor: bigint | null;
  status: TradeDocumentStatus;
  body: ColumnType<unknown, string, string>;
  created_at: CreatedAt;
}

export interface TradeDocumentRefTable {
  document_id: string;
  ref_document_id: string;
}

export type ReceivableStatus = 'open' | 'partially_settled' | 'settled' | 'defaulted' | 'cancelled';

export interface ReceivableTable {
  id: string;
  invoice_id: string;
  parent_id: string | null;
  root_id: string;
  tier: bigint;
  obligor_party_id: string;
  holder_party_id: string;
  currency: string;
  face_minor: bigint;
  transferred_minor: ColumnType<bigint, bigint | undefined, bigint>;
  settled_minor: ColumnType<bigint, bigint | undefined, bigint>;
  credited_minor: ColumnType<bigint, bigint | undefined, bigint>;
  outstanding_minor: ColumnType<bigint, never, never>;
  due_date: string;
  status: ReceivableStatus;
  on_hold: ColumnType<boolean, boolean | undefined, boolean>;
  financing_id: string | null;
  /** The financing whose disbursement split this part off to its lender (0097); null otherwise. */
  financed_by: ColumnType<string | null, string | null | undefined, never>;
  created_event_id: string;
  created_at: CreatedAt;
  /** Counts the changes to the row: each one writes receivable_history at the new version (0142). */
  version: ColumnType<bigint, never, bigint>;
}

/** A receivable's changing state after each change, insert-only: the source of every `asOf` answer. */
export interface ReceivableHistoryTable {
  receivable_id: string;
  version: bigint;
  recorded_at: Date;
  status: ReceivableStatus;
  outstanding_minor: bigint;
  on_hold: boolean;
}

export interface PaymentTable {
  id: string;
  invoice_id: string;
  event_id: string;
  payer_party_id: string;
  currency: string;
  amount_minor: bigint;
  paid_on: string;
  created_at: CreatedAt;
}

export interface PaymentAllocationTable {
  payment_id: string;
  receivable_id: string;
  holder_party_id: string;
  amount_minor: bigint;
}

export interface LeafTable {
  leaf_index: bigint;
  event_id: string;
  leaf_hash: Buffer;
}

/** One link of a fact chain (an invoice's facts, in order): insert-only, so the head is the last. */
export interface FactChainLinkTable {
  chain_id: string;
  position: bigint;
  event_id: string;
  event_hash: Buffer;
}

export interface TileTable {
  tile_level: bigint;
  tile_index: bigint;
  width: bigint;
  hashes: Buffer;
}

export interface CheckpointTable {
  tree_size: bigint;
  root_hash: Buffer;
  note: string;
  created_at: CreatedAt;
  /** The last event anchored in (recordedAt, id) order: where the next fresh scan starts. */
  anchored_through_at: ColumnType<Date | null, Date | null | undefined, never>;
  anchored_through_event: ColumnType<string | null, string | null | undefined, never>;
}

export interface WitnessTable {
  id: string;
  party_id: string;
  name: string;
  public_key: Buffer;
  created_at: CreatedAt;
}

export interface CosignatureTable {
  tree_size: bigint;
  witness_id: string;
  signature_line: string;
  cosigned_at: Date;
}

/** What a party's webhook may subscribe to (GraphQL WebhookEventType, in upper case). */
export const webhookEventTypes = [
  'invoice_awaiting_confirmation',
  'receivable_received',
  'payment_allocated',
  'receivable_due_soon',
  'receivable_overdue',
  'financing_alert',
] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

/** A party's registered receiver (services/webhooks). */
export interface WebhookTable {
  id: string;
  party_id: string;
  url: string;
  event_types: WebhookEventType[];
  due_in_days: bigint | null;
  /** The HMAC secret, sealed with the custody key (services/crypto/secret-box.ts). */
  sealed_secret: Buffer;
  created_at: CreatedAt;
  removed_at: Date | null;
}

/** The idempotency record of a webhook mutation: its request's hash and the row it made or changed. */
export interface WebhookRequestTable {
  party_id: string;
  idempotency_key: string;
  operation: 'register' | 'remove' | 'redeliver';
  request_hash: Buffer;
  subject_id: string;
  created_at: CreatedAt;
}

export const webhookDeliveryStatuses = ['pending', 'delivered', 'dead'] as const;
export type WebhookDeliveryStatus = (typeof webhookDeliveryStatuses)[number];

/** The outbox: one row per (webhook, notice), written in the transaction of what it reports. */
export interface WebhookDeliveryTable {
  id: string;
  webhook_id: string;
  party_id: string;
  event_type: WebhookEventType;
  /** What the notice is about; unique per webhook, so that nothing is enqueued twice. */
  dedupe_key: string;
  /** The exact JSON sent on every attempt. */
  body: string;
  status: WebhookDeliveryStatus;
  attempts: ColumnType<bigint, bigint | undefined, bigint>;
  next_attempt_at: Date;
  last_attempt_at: Date | null;
  last_status_code: bigint | null;
  last_error: string | null;
  delivered_at: Date | null;
  created_at: CreatedAt;
}

/** Stored statuses; REPAID, DEFAULTED and a lapsed EXPIRED are read from the child and the clock. */
export type FinancingStatus =
  | 'requested'
  | 'offered'
  | 'accepted'
  | 'disbursed'
  | 'withdrawn'
  | 'declined'
  | 'expired';

export interface FinancingTable {
  id: string;
  receivable_id: string;
  root_id: string;
  invoice_id: string;
  holder_party_id: string;
  obligor_party_id: string;
  currency: string;
  amount_minor: bigint;
  status: FinancingStatus;
  expires_at: Date;
  requested_event_id: string;
  accepted_offer_id: string | null;
  lender_party_id: string | null;
  child_receivable_id: string | null;
  payment_reference: string | null;
  disbursed_event_id: string | null;
  closed_event_id: string | null;
  created_at: CreatedAt;
}

export interface FinancingLenderTable {
  financing_id: string;
  lender_party_id: string;
}

export type FinancingResponseKind = 'offer' | 'decline';
export type FinancingResponseStatus = 'open' | 'accepted' | 'closed' | 'declined';
export type DayCount = 'act_360' | 'act_365f';

export interface FinancingResponseTable {
  id: string;
  financing_id: string;
  lender_party_id: string;
  kind: FinancingResponseKind;
  status: FinancingResponseStatus;
  /** The annual discount rate in millionths: "0.045" is 45000. */
  rate_micros: bigint | null;
  day_count: DayCount | null;
  fee_minor: bigint | null;
  advance_date: string | null;
  days: bigint | null;
  discount_minor: bigint | null;
  advance_minor: bigint | null;
  report_hash: string | null;
  reason: string | null;
  event_id: string;
  created_at: CreatedAt;
}

/** Principal financed across all parts of one confirmed root; a CHECK holds it within the face. */
export interface FinancedRootTable {
  root_id: string;
  face_minor: bigint;
  financed_minor: bigint;
}

export type CreditLimitScope = 'obligor' | 'group';

export interface CreditLimitTable {
  lender_party_id: string;
  scope: CreditLimitScope;
  /** The obligor, or the parent company that names an ownership group. */
  subject_party_id: string;
  currency: string;
  limit_minor: bigint;
  event_id: string;
  /** Set on insert by default, and by every later credit_limit.set. */
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

/** A verification report as served: RFC 8785 JSON, addressed by the hex SHA-256 of its bytes. */
export interface VerificationReportTable {
  hash: string;
  receivable_id: string;
  body: string;
  created_at: CreatedAt;
}

/** The blinded duplicate fingerprint of a confirmed invoice (HMAC-SHA-256 under FINGERPRINT_KEY). */
export interface InvoiceFingerprintTable {
  invoice_id: string;
  fingerprint: string;
  created_at: CreatedAt;
}

export type FinancingAlertKind = 'invoice_cancelled' | 'credit_note_issued' | 'on_hold' | 'defaulted';

/** Raised when the paper behind a disbursed financing changes: the lender must hear of it. */
export interface FinancingAlertTable {
  id: string;
  financing_id: string;
  lender_party_id: string;
  /** The event that raised it. */
  event_id: string;
  kind: FinancingAlertKind;
  created_at: CreatedAt;
}

export interface Database {
  party: PartyTable;
  party_key: PartyKeyTable;
  api_key: ApiKeyTable;
  pending_admin_api_key: PendingAdminApiKeyTable;
  event: EventTable;
  prepared_statement: PreparedStatementTable;
  lease: LeaseTable;
  ledger_setting: LedgerSettingTable;
  trade_document: TradeDocumentTable;
  trade_document_ref: TradeDocumentRefTable;
  receivable: ReceivableTable;
  receivable_history: ReceivableHistoryTable;
  payment: PaymentTable;
  payment_allocation: PaymentAllocationTable;
  leaf: LeafTable;
  fact_chain_link: FactChainLinkTable;
  tile: TileTable;
  checkpoint: CheckpointTable;
  witness: WitnessTable;
  cosignature: CosignatureTable;
  webhook: WebhookTable;
  webhook_request: WebhookRequestTable;
  webhook_delivery: WebhookDeliveryTable;
  financing: FinancingTable;
  financing_lender: FinancingLenderTable;
  financing_response: FinancingResponseTable;
  financed_root: FinancedRootTable;
  credit_limit: CreditLimitTable;
  verification_report: VerificationReportTable;
  invoice_fingerprint: InvoiceFingerprintTable;
  financing_alert: FinancingAlertTable;
}
