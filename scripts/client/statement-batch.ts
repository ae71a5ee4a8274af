/**
 * The client's batch path: many prepared statements signed here (the private key never leaves the
 * process) and sent with submitStatements, at most statementBatchItemsMax per request. Each statement
 * gets its own outcome in the order given: an expected failure is a value, not an exception, so one
 * bad statement never hides the answers of the others.
 */
import { domainErrorOf, isRecord, type TradeproofDomainError, TradeproofError } from './errors.js';
import { signStatement } from './signer.js';

/** What the server takes per call (services/events/fact-batch.service.ts statementBatchItemsMax). */
export const statementBatchItemsMax = 1000;

export const submitStatementsMutation =
  'mutation SubmitMany($items: [SubmitStatementItem!]!) { submitStatements(items: $items) { __typename ... on SubmittedStatements { results { __typename ... on SubmittedStatement { replayed event { id kind eventHash } } ... on DomainError { code message field retryable } } } ... on DomainError { code message field retryable } } }';

/** A statement to sign here, or one signed already (signature null: the custodial key signs). */
export type StatementToSubmit = string | { statement: string; signature: string | null };

export type StatementOutcome =
  | { ok: true; replayed: boolean; event: { id: string; kind: string; eventHash: string } }
  | { ok: false; error: TradeproofDomainError };

export interface SubmitStatementsOptions {
  /** Statements per request, 1 to statementBatchItemsMax (the default). */
  batchSize?: number;
  /** Called after each request with how many statements have their outcome. */
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

interface Requester {
  request<T>(query: string, variables: Record<string, unknown>, signal?: AbortSignal): Promise<T>;
}

function signedItem(item: StatementToSubmit, privateKey: Buffer | null) {
  if (typeof item !== 'string') return item;
  // signStatement refuses a statement that is not a canonical envelope (StatementRefusedError).
  return { statement: item, signature: privateKey ? signStatement(item, privateKey).signature : null };
}

function outcomeOf(value: unknown): StatementOutcome {
  if (!isRecord(value)) throw new TradeproofError('a submitStatements result is not an object');
  const failure = domainErrorOf('submit', value);
  if (failure !== null) return { ok: false, error: failure };
  const event = value.event;
  if (value.__typename !== 'SubmittedStatement' || typeof value.replayed !== 'boolean' || !isRecord(event)) {
    throw new TradeproofError('a submitStatements result is neither a SubmittedStatement nor a DomainError');
  }
  return {
    ok: true,
    replayed: value.replayed,
    event: { id: String(event.id), kind: String(event.kind), eventHash: String(event.eventHash) },
  };
}

/**
 * Signs (with `privateKey`, or not at all when it is null) and submits every statement, one request
 * per batch, in order. Throws TradeproofError when a request fails as a whole (the statements of that
 * request and after it have no outcome: sending them again is safe, each answers replayed), and
 * StatementRefusedError for a statement that is not a canonical envelope, before anything is sent.
 */
export async function submitStatementsWith(
  client: Requester,
  privateKey: Buffer | null,
  statements: readonly StatementToSubmit[],
  options: SubmitStatementsOptions = {},
): Promise<StatementOutcome[]> {
  const batchSize = options.batchSize ?? statementBatchItemsMax;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > statementBatchItemsMax) {
    throw new RangeError(`batchSize must be 1 to ${statementBatchItemsMax}`);
  }
  const items = statements.map((item) => signedItem(item, privateKey));
  const outcomes: StatementOutcome[] = [];
  for (let at = 0; at < items.length; at += batchSize) {
    const batch = items.slice(at, at + batchSize);
    const data = await client.request<{ submitStatements: unknown }>(
      submitStatementsMutation,
      { items: batch },
      options.signal,
    );
    const answer = data.submitStatements;
    if (!isRecord(answer)) throw new TradeproofError('the response has no object at "submitStatements"');
    const refused = domainErrorOf('submit', answer);
    if (refused !== null) throw refused;
    const results = answer.results;
    if (!Array.isArray(results) || results.length !== batch.length) {
      throw new TradeproofError(`submitStatements did not answer each of the ${batch.length} statements`);
    }
    outcomes.push(...results.map(outcomeOf));
    options.onProgress?.(outcomes.length, items.length);
  }
  return outcomes;
}
