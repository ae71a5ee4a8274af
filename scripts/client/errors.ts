/** What the client throws: transport and protocol failures, and the DomainErrors the API returns. */

export interface GraphQLErrorEntry {
  message: string;
  path?: (string | number)[];
  extensions?: Record<string, unknown>;
}

/** Transport and protocol failures: an HTTP status, GraphQL errors, or a response that makes no sense. */
export class TradeproofError extends Error {
  override name = 'TradeproofError';
  constructor(
    message: string,
    readonly details: { status?: number; errors?: GraphQLErrorEntry[] } = {},
  ) {
    super(message);
  }
  get status(): number | undefined {
    return this.details.status;
  }
  get errors(): GraphQLErrorEntry[] {
    return this.details.errors ?? [];
  }
}

/** An expected failure the API returned as a DomainError, at the prepare or the submit step. */
export class TradeproofDomainError extends TradeproofError {
  override name = 'TradeproofDomainError';
  constructor(
    readonly stage: 'prepare' | 'submit',
    readonly code: string,
    message: string,
    readonly field: string | null,
    readonly retryable: boolean | null,
  ) {
    super(`${stage}: ${code}: ${message}${field ? ` (field ${field})` : ''}`);
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function domainErrorOf(
  stage: 'prepare' | 'submit',
  value: Record<string, unknown>,
): TradeproofDomainError | null {
  const isDomainError =
    value.__typename === 'DomainError' || (value.__typename === undefined && typeof value.code === 'string');
  if (!isDomainError) return null;
  return new TradeproofDomainError(
    stage,
    String(value.code),
    String(value.message ?? ''),
    typeof value.field === 'string' ? value.field : null,
    typeof value.retryable === 'boolean' ? value.retryable : null,
  );
}
