/**
 * The events behind a receivable as a report checks them: the signed bytes, the key that signed
 * them with its owner and lifetime, and the leaf each one has in the log (null while pending). One
 * query for all of them.
 */
import type { Trx } from '../db/transaction.js';

export interface ReportEvent {
  eventId: string;
  kind: string;
  actorPartyId: string;
  statement: Buffer;
  eventHash: Buffer;
  signature: Buffer;
  keyId: string;
  custodial: boolean;
  occurredAt: Date;
  recordedAt: Date;
  /** The signing key as registered, or null when no key has that id. */
  key: { partyId: string; publicKey: Buffer; createdAt: Date; retiredAt: Date | null } | null;
  leafIndex: number | null;
}

export async function findReportEvents(trx: Trx, eventIds: readonly string[]): Promise<ReportEvent[]> {
  if (eventIds.length === 0) return [];
  const rows = await trx
    .selectFrom('event')
    .leftJoin('party_key', 'party_key.key_id', 'event.key_id')
    .leftJoin('leaf', 'leaf.event_id', 'event.id')
    .select([
      'event.id',
      'event.kind',
      'event.actor_party_id',
      'event.statement',
      'event.event_hash',
      'event.signature',
      'event.key_id',
      'event.custodial',
      'event.occurred_at',
      'event.recorded_at',
      'party_key.party_id as key_party_id',
      'party_key.public_key',
      'party_key.created_at as key_created_at',
      'party_key.retired_at as key_retired_at',
      'leaf.leaf_index',
    ])
    .where('event.id', 'in', [...new Set(eventIds)])
    .execute();
  return rows.map((row) => ({
    eventId: row.id,
    kind: row.kind,
    actorPartyId: row.actor_party_id,
    statement: row.statement,
    eventHash: row.event_hash,
    signature: row.signature,
    keyId: row.key_id,
    custodial: row.custodial,
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at,
    key:
      row.key_party_id === null || row.public_key === null || row.key_created_at === null
        ? null
        : {
            partyId: row.key_party_id,
            publicKey: row.public_key,
            createdAt: row.key_created_at,
            retiredAt: row.key_retired_at,
          },
    leafIndex: row.leaf_index === null ? null : Number(row.leaf_index),
  }));
}
