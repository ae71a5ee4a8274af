/**
 * The rules a statement sent back to submitStatement meets before anything reads the ledger: its JSON
 * shape, and an occurredAt inside the window around the server's time.
 */

import type { LedgerPolicy } from '../context.js';
import { canonicalJson } from '../crypto/index.js';
import { type Failure, fail, ok, type Result } from '../result.js';
import { type Envelope, envelopeFields } from './envelope.js';

/**
 * The envelope of a statement: JSON with exactly the envelope's fields, each of the right type. That
 * it is canonical is checked once its text is known to be valid (fact.service.ts).
 *
 * Failure codes: envelope_invalid.
 */
export function parseStatement(statement: string): Result<Envelope> {
  const invalid = (message: string) => fail('envelope_invalid', message, 'statement');
  let parsed: unknown;
  try {
    parsed = JSON.parse(statement);
  } catch {
    return invalid('statement is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return invalid('statement is not an object');
  if (canonicalJson(Object.keys(parsed).sort()) !== canonicalJson(envelopeFields)) {
    return invalid(`statement must have exactly the fields ${envelopeFields.join(', ')}`);
  }
  const envelope = parsed as Envelope;
  const strings = [
    envelope.kind,
    envelope.actor,
    envelope.occurredAt,
    envelope.salt,
    envelope.idempotencyKey,
  ];
  if (strings.some((value) => typeof value !== 'string')) {
    return invalid('statement fields have the wrong types');
  }
  if (!Array.isArray(envelope.refs) || !envelope.refs.every((ref) => typeof ref === 'string')) {
    return invalid('refs must be a list of event hashes');
  }
  return ok(envelope);
}

/**
 * A client statement states when it happened, and the server holds it to its own clock: no earlier
 * than occurredAtPastHoursMax (time to sign what was prepared) and no later than
 * occurredAtFutureSecondsMax (clock skew). Otherwise a party could backdate a fact, or date it ahead,
 * and the log's order would say something the signer never witnessed. `occurredAt` is a valid
 * ISO 8601 instant (envelopeProblem).
 *
 * Failure codes: occurred_at_out_of_window.
 */
export function occurredAtProblem(
  occurredAt: string,
  nowMs: number,
  policy: Pick<LedgerPolicy, 'occurredAtPastHoursMax' | 'occurredAtFutureSecondsMax'>,
): Failure<'occurred_at_out_of_window'> | null {
  const at = Date.parse(occurredAt);
  const earliest = nowMs - policy.occurredAtPastHoursMax * 3_600_000;
  const latest = nowMs + policy.occurredAtFutureSecondsMax * 1000;
  if (at < earliest) {
    return fail(
      'occurred_at_out_of_window',
      `occurredAt ${occurredAt} is more than ${policy.occurredAtPastHoursMax} hours before the server's time ` +
        `${new Date(nowMs).toISOString()}: prepare the statement again`,
      'occurredAt',
    );
  }
  if (at > latest) {
    return fail(
      'occurred_at_out_of_window',
      `occurredAt ${occurredAt} is more than ${policy.occurredAtFutureSecondsMax} seconds after the ` +
        `server's time ${new Date(nowMs).toISOString()}`,
      'occurredAt',
    );
  }
  return null;
}

/** Whether `envelope` states the fact of this kind with this payload. */
export function sameFact(envelope: Envelope, kind: string, payload: Record<string, unknown>): boolean {
  return envelope.kind === kind && canonicalJson(envelope.payload) === canonicalJson(payload);
}
