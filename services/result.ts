/**
 * Expected failures are values, not exceptions: a closed set of snake_case codes (errors.ts), each with
 * a sentence for people and, where one input field is at fault, its name. Bugs throw (assert.ts).
 */
import type { ErrorCode } from './errors.js';

export interface Failure<Code extends ErrorCode = ErrorCode> {
  ok: false;
  code: Code;
  message: string;
  field?: string;
}

export type Result<T, Code extends ErrorCode = ErrorCode> = { ok: true; value: T } | Failure<Code>;

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function fail<Code extends ErrorCode>(code: Code, message: string, field?: string): Failure<Code> {
  return field === undefined ? { ok: false, code, message } : { ok: false, code, message, field };
}

/**
 * Thrown inside a transaction body to abandon it with an expected failure, so that nothing the body
 * wrote is committed; inTransactionResult turns it back into a value.
 */
export class FailureAbort extends Error {
  constructor(readonly failure: Failure) {
    super(failure.message);
  }
}
