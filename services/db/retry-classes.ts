/**
 * Which database errors a whole-transaction retry can cure, by class. Retrying is safe for each of
 * them because every write starts with its idempotency lookup: a body that committed before the
 * error reached us finds its own first answer when it runs again, and writes nothing twice.
 */

/** Why a transaction may be run again; null for an error retrying cannot help. */
export type RetryClass = 'conflict' | 'connection' | 'duplicate';

// Serialization failure and deadlock: the server rolled back; the next attempt sees a newer snapshot.
const conflictStates = new Set(['40001', '40P01']);
// The server went away or is not yet back: admin/crash shutdown, cannot connect now, and
// statement_completion_unknown (CockroachDB's ambiguous commit). Class 08 is added below.
const connectionStates = new Set(['57P01', '57P02', '57P03', '40003']);
// Node socket errors while connecting or talking to the server.
const socketCodes = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTCONN',
  'EAI_AGAIN',
]);
// What pg and pg-pool say when a client lost its server; they carry no SQLSTATE.
const connectionMessages = [
  /Connection terminated/i,
  /connection error and is not queryable/i,
  /Client was closed and is not queryable/i,
  /timeout exceeded when trying to connect/i,
  /server closed the connection unexpectedly/i,
];
const uniqueViolation = '23505';

function fieldsOf(error: unknown): { code?: unknown; message?: unknown; errors?: unknown } {
  return typeof error === 'object' && error !== null ? error : {};
}

/** The retry class of an error thrown by a transaction, or null. */
export function retryClassOf(error: unknown): RetryClass | null {
  const { code, message, errors } = fieldsOf(error);
  if (typeof code === 'string') {
    if (conflictStates.has(code)) return 'conflict';
    if (connectionStates.has(code) || code.startsWith('08') || socketCodes.has(code)) return 'connection';
    if (code === uniqueViolation) return 'duplicate';
  }
  if (typeof message === 'string') {
    if (message.includes('restart transaction')) return 'conflict';
    if (connectionMessages.some((pattern) => pattern.test(message))) return 'connection';
  }
  // A connect to "localhost" tries ::1 and 127.0.0.1; Node reports both refusals in one AggregateError.
  if (
    Array.isArray(errors) &&
    errors.length > 0 &&
    errors.every((inner) => retryClassOf(inner) === 'connection')
  ) {
    return 'connection';
  }
  return null;
}
