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

export interface PartyKeyTable {
  key_id: string;
  party_id: string;
  public_key: Buffer;
  status: PartyKeyStatus;
  sealed_private_key: Buffer | null;
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

export interface LeaseTable {
  name: string;
  holder: string;
  expires_at: Date;
}

export interface LedgerSettingTable {
  name: string;
  value: string;
}

export interface Database {
  party: PartyTable;
  party_key: PartyKeyTable;
  api_key: ApiKeyTable;
  event: EventTable;
  lease: LeaseTable;
  ledger_setting: LedgerSettingTable;
}
