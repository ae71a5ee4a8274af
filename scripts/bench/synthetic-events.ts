/**
 * Bulk events for benchmarks and tests of the log: well-formed statements and hashes, inserted with one
 * unnest per chunk. Their signatures are zeros — they exercise anchoring and proofs, not signing —
 * so they are written only through an owner connection, never through the API.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { canonicalBytes, sha256 } from '../../services/crypto/index.js';
import type { Db } from '../../services/db/transaction.js';

export async function insertSyntheticEvents(
  db: Db,
  count: number,
  actor: { partyId: string; keyId: string },
  chunkSize = 5000,
): Promise<string[]> {
  const inserted: string[] = [];
  for (let done = 0; done < count; done += chunkSize) {
    const size = Math.min(chunkSize, count - done);
    const ids: string[] = [];
    const keys: string[] = [];
    const statements: Buffer[] = [];
    const hashes: Buffer[] = [];
    for (let offset = 0; offset < size; offset++) {
      const statement = canonicalBytes({
        kind: 'test.synthetic',
        n: done + offset,
        salt: randomBytes(16).toString('hex'),
      });
      ids.push(randomUUID());
      keys.push(`synthetic-${randomUUID()}`);
      statements.push(statement);
      hashes.push(sha256(statement));
    }
    await sql`INSERT INTO event (id, kind, actor_party_id, counterparty_party_id, key_id, custodial, idempotency_key,
        request_hash, statement, event_hash, signature, payload, occurred_at)
      SELECT id, 'test.synthetic', ${actor.partyId}::UUID, NULL, ${actor.keyId}, false, idempotency_key,
        event_hash, statement, event_hash, ${Buffer.alloc(64)}::BYTEA, '{}'::JSONB, now()
      FROM unnest(${ids}::UUID[], ${keys}::TEXT[], ${statements}::BYTEA[], ${hashes}::BYTEA[])
        AS batch (id, idempotency_key, statement, event_hash)`.execute(db);
    inserted.push(...ids);
  }
  return inserted;
}
