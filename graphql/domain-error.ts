/**
 * Expected failures on the API: a service Failure becomes a DomainError, which the errors plugin
 * turns into the error member of a mutation's union result. Everything else is masked by the server.
 */
import { type ErrorCode, errorCatalogue } from '../services/errors.js';
import type { Failure, Result } from '../services/result.js';

export class DomainError extends Error {
  override name = 'DomainError';
  readonly retryable: boolean;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field: string | undefined,
  ) {
    super(message);
    this.retryable = errorCatalogue[code].retryable;
  }

  static from(failure: Failure): DomainError {
    return new DomainError(failure.code, failure.message, failure.field);
  }
}

/** Errors-plugin options for a mutation whose result is `union = Payload | DomainError`. */
export const domainErrors = (union: string) => ({
  types: [DomainError],
  directResult: true as const,
  union: { name: union },
});

/** The value of a successful result; a failure is thrown for the errors plugin to return. */
export function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw DomainError.from(result);
  return result.value;
}

interface Issue {
  message: string;
  path?: ReadonlyArray<PropertyKey | { key: PropertyKey }> | undefined;
}

// Services name the fields of a mutation's `input` object bare (field: 'legalName'), so a validation
// failure inside it does too: one input, one field name, whichever layer refuses it.
function issuePath(issue: Issue): string {
  const parts = (issue.path ?? []).map((part) => String(typeof part === 'object' ? part.key : part));
  return (parts[0] === 'input' && parts.length > 1 ? parts.slice(1) : parts).join('.');
}

/** A validation plugin failure as an invalid_input DomainError naming the first field at fault. */
export function invalidInput(issues: ReadonlyArray<Issue>): DomainError {
  const message = issues.map((issue) =>
    issuePath(issue) ? `${issuePath(issue)}: ${issue.message}` : issue.message,
  );
  const first = issues[0];
  return new DomainError(
    'invalid_input',
    message.join('; '),
    first && issuePath(first) ? issuePath(first) : undefined,
  );
}
