/**
 * An id derived from who asked and their idempotency key, for ids the client did not choose: preparing
 * the same request twice then yields the same statement, so the second submit is a replay rather than
 * a conflict. Shaped as a UUID (version 8, "custom") from SHA-256.
 */
import { sha256 } from '../crypto/index.js';

export function stableId(actorPartyId: string, idempotencyKey: string, purpose: string): string {
  const bytes = sha256(`${purpose}\n${actorPartyId}\n${idempotencyKey}`).subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x80;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
