/** Canonical envelopes for the client tests, built the way the ledger prepares them. */
import { randomUUID } from 'node:crypto';
import { toHex } from '../../services/crypto/index.js';
import { type Envelope, prepareUnsalted } from '../../services/events/envelope.js';
import { freshKey } from '../support/fixtures.js';

export function envelopeFields(overrides: Partial<Envelope> = {}): Omit<Envelope, 'salt'> {
  return {
    kind: 'invoice.issued',
    actor: randomUUID(),
    counterparty: randomUUID(),
    refs: [],
    payload: { amountMinor: '125000', currency: 'CNY', number: 'INV-0042' },
    occurredAt: '2025-03-14T09:30:00Z',
    idempotencyKey: freshKey('invoice'),
    ...overrides,
  };
}

/** A prepared statement as the API returns it: canonical JSON text and its hex SHA-256. */
export function preparedStatement(overrides: Partial<Envelope> = {}): {
  envelope: Envelope;
  statement: string;
  eventHash: string;
} {
  const prepared = prepareUnsalted(envelopeFields(overrides));
  return {
    envelope: prepared.envelope,
    statement: prepared.statement.toString('utf8'),
    eventHash: toHex(prepared.eventHash),
  };
}
