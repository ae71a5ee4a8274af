/** A signed event as stored: the exact statement bytes, their hash and the signature over the hash. */
export interface LedgerEvent {
  id: string;
  kind: string;
  actorPartyId: string;
  counterpartyPartyId: string | null;
  keyId: string;
  custodial: boolean;
  idempotencyKey: string;
  statement: Buffer;
  eventHash: Buffer;
  signature: Buffer;
  payload: unknown;
  occurredAt: Date;
  recordedAt: Date;
}

export interface AppendedEvent {
  event: LedgerEvent;
  /** True when the idempotency key had been seen with the same request: nothing was written. */
  replayed: boolean;
}

export const eventPageSizeMax = 100;
