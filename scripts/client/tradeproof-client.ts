/**
 * A small typed client for the tradeproof GraphQL API. `prepareAndSubmit` runs a prepare… mutation,
 * signs the returned statement locally (the private key never leaves the process) and submits it;
 * a client without a key submits no signature, asking the platform to sign with the custodial key.
 */
import { parseHex, toHex } from '../../services/crypto/index.js';
import { domainErrorOf, type GraphQLErrorEntry, isRecord, TradeproofError } from './errors.js';
import { readKeyFile } from './key-file.js';
import { type AddedPartyKey, type AddPartyKeyOptions, addPartyKeyWith } from './key-rotation.js';
import { signStatement } from './signer.js';
import {
  type StatementOutcome,
  type StatementToSubmit,
  type SubmitStatementsOptions,
  submitStatementsWith,
} from './statement-batch.js';

export { type GraphQLErrorEntry, TradeproofDomainError, TradeproofError } from './errors.js';
export {
  type StatementOutcome,
  type StatementToSubmit,
  type SubmitStatementsOptions,
  statementBatchItemsMax,
} from './statement-batch.js';

export const submitStatementMutation =
  'mutation Submit($statement: String!, $signature: HexBytes) { submitStatement(statement: $statement, signature: $signature) { __typename ... on SubmittedStatement { replayed event { id kind eventHash } } ... on DomainError { code message field retryable } } }';

export const requestTimeoutMsDefault = 30_000;

/**
 * How often prepareAndSubmit prepares and signs: each time it is overtaken, another writer's fact
 * landed inside its prepare-to-submit window, so n writers racing on one invoice each land within n
 * attempts. 10 covers the 8 concurrent transfers of one receivable that README promises.
 */
export const chainRacesMax = 10;

export interface TradeproofClientOptions {
  /** The GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql. */
  url: string;
  apiKey: string;
  /** A key file (scripts/client/key-file.ts), read on first use. */
  keyFile?: string;
  /** The 32-byte Ed25519 seed, as bytes or hex. */
  privateKey?: Uint8Array | string;
  requestTimeoutMs?: number;
}

export interface PreparedStatement {
  statement: string;
  eventHash: string;
  kind: string;
}

export interface SubmittedStatement {
  __typename: 'SubmittedStatement';
  replayed: boolean;
  event: { id: string; kind: string; eventHash: string };
}

export interface PrepareAndSubmitResult extends SubmittedStatement {
  prepared: PreparedStatement;
  /** The hex signature sent, or null when the platform signed with the custodial key. */
  signature: string | null;
}

export interface PrepareAndSubmitOptions {
  /** The mutation field holding the prepare result; needed only when the document selects several. */
  field?: string;
  /** Refuse to sign unless the prepared statement is of this kind. */
  expectKind?: string;
  signal?: AbortSignal;
}

function resultField(data: Record<string, unknown>, field: string | undefined): Record<string, unknown> {
  const names = Object.keys(data);
  const name = field ?? (names.length === 1 ? names[0] : undefined);
  if (name === undefined) {
    throw new TradeproofError(`the prepare document selects ${names.length} fields; pass options.field`);
  }
  const value = data[name];
  if (!isRecord(value)) throw new TradeproofError(`the response has no object at "${name}"`);
  return value;
}

function preparedOf(value: Record<string, unknown>): PreparedStatement {
  const { statement, eventHash, kind } = value;
  if (typeof statement !== 'string' || typeof eventHash !== 'string' || typeof kind !== 'string') {
    throw new TradeproofError('the prepare result is neither a PreparedStatement nor a DomainError');
  }
  return { statement, eventHash, kind };
}

export class TradeproofClient {
  private readonly url: string;
  private readonly apiKey: string;
  private readonly requestTimeoutMs: number;
  private readonly keyFile: string | null;
  private privateKey: Promise<Buffer> | null;

  constructor(options: TradeproofClientOptions) {
    if (options.keyFile !== undefined && options.privateKey !== undefined) {
      throw new TypeError('give keyFile or privateKey, not both');
    }
    this.url = options.url;
    this.apiKey = options.apiKey;
    this.requestTimeoutMs = options.requestTimeoutMs ?? requestTimeoutMsDefault;
    this.keyFile = options.keyFile ?? null;
    this.privateKey = null;
    if (options.privateKey !== undefined) {
      const bytes =
        typeof options.privateKey === 'string'
          ? parseHex(options.privateKey, 32)
          : Buffer.from(options.privateKey);
      if (bytes === null || bytes.length !== 32)
        throw new TypeError('privateKey must be 32 bytes (64 hex digits)');
      this.privateKey = Promise.resolve(bytes);
    }
  }

  /** True when statements are signed here; false when the platform signs with the custodial key. */
  get signsLocally(): boolean {
    return this.keyFile !== null || this.privateKey !== null;
  }

  private signingKey(): Promise<Buffer> | null {
    if (this.privateKey === null && this.keyFile !== null) {
      this.privateKey = readKeyFile(this.keyFile).then((key) => key.privateKey);
    }
    return this.privateKey;
  }

  /** Runs one GraphQL operation; throws TradeproofError on an HTTP failure or any GraphQL error. */
  async request<T>(query: string, variables: Record<string, unknown> = {}, signal?: AbortSignal): Promise<T> {
    const timeout = AbortSignal.timeout(this.requestTimeoutMs);
    const response = await fetch(this.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        authorization: `Bearer ${this.apiKey}`,
      },
      body: JSON.stringify({ query, variables }),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    }).catch((error: unknown) => {
      throw new TradeproofError(`cannot reach ${this.url}: ${(error as Error).message}`, {});
    });
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const errors = isRecord(body) && Array.isArray(body.errors) ? (body.errors as GraphQLErrorEntry[]) : [];
    if (errors.length > 0) {
      const first = errors[0]?.message ?? 'unknown error';
      throw new TradeproofError(`GraphQL error: ${first}`, { status: response.status, errors });
    }
    if (!response.ok) {
      throw new TradeproofError(`HTTP ${response.status}: ${text.slice(0, 200)}`, {
        status: response.status,
      });
    }
    if (!isRecord(body) || !isRecord(body.data)) {
      throw new TradeproofError('the response carries no data', { status: response.status });
    }
    return body.data as T;
  }

  /**
   * Prepares, signs and submits one fact. Throws TradeproofDomainError when either step returns a
   * DomainError, StatementRefusedError when the statement is not a canonical envelope, and
   * TradeproofError when the server's eventHash or kind disagree with the statement.
   */
  async prepareAndSubmit(
    prepareMutation: string,
    variables: Record<string, unknown>,
    options: PrepareAndSubmitOptions = {},
  ): Promise<PrepareAndSubmitResult> {
    for (let attempt = 1; ; attempt++) {
      const data = await this.request<Record<string, unknown>>(prepareMutation, variables, options.signal);
      const result = resultField(data, options.field);
      const prepareFailure = domainErrorOf('prepare', result);
      if (prepareFailure !== null) throw prepareFailure;
      const prepared = preparedOf(result);
      if (options.expectKind !== undefined && prepared.kind !== options.expectKind) {
        throw new TradeproofError(`prepared a ${prepared.kind} statement, expected ${options.expectKind}`);
      }
      const signature = await this.signPrepared(prepared);
      const submitted = await this.request<{ submitStatement: unknown }>(
        submitStatementMutation,
        signature === null ? { statement: prepared.statement } : { statement: prepared.statement, signature },
        options.signal,
      );
      // Another fact about the invoice landed between prepare and submit: the same variables (so the
      // same idempotency key) prepare a statement naming the new head, signed here again.
      const answer = submitted.submitStatement;
      const overtaken =
        isRecord(answer) && answer.__typename === 'DomainError' && answer.code === 'CHAIN_HEAD_MOVED';
      if (overtaken && attempt < chainRacesMax) {
        // A short random pause, so that writers overtaken together do not prepare in lockstep again.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
        continue;
      }
      return { ...this.submittedOf(answer, prepared), prepared, signature };
    }
  }

  /**
   * Adds a signing key to a party (scripts/client/key-rotation.ts), signing with this client's key
   * where the active key is self-held. The client keeps signing with its own key: make a new client
   * with the new key for what the party signs next.
   */
  async addPartyKey(options: AddPartyKeyOptions): Promise<AddedPartyKey> {
    const current = this.signingKey();
    return addPartyKeyWith(this, current && (await current), options);
  }

  /**
   * Submits many prepared statements, signing each here with this client's key (or, without one,
   * asking for the custodial key), in requests of up to 1,000 (submitStatements). Each statement gets
   * its outcome in the order given; an expected failure is an outcome, not an exception. See
   * scripts/client/statement-batch.ts for what it throws.
   */
  async submitStatements(
    statements: readonly StatementToSubmit[],
    options: SubmitStatementsOptions = {},
  ): Promise<StatementOutcome[]> {
    const key = this.signingKey();
    return submitStatementsWith(this, key && (await key), statements, options);
  }

  private async signPrepared(prepared: PreparedStatement): Promise<string | null> {
    const key = this.signingKey();
    if (key === null) return null;
    const signed = signStatement(prepared.statement, await key);
    if (parseHex(prepared.eventHash)?.equals(Buffer.from(signed.eventHash, 'hex')) !== true) {
      throw new TradeproofError(
        `the server's eventHash ${prepared.eventHash} is not SHA-256 of its statement (${signed.eventHash})`,
      );
    }
    const statementKind = (JSON.parse(prepared.statement) as { kind: string }).kind;
    if (statementKind !== prepared.kind) {
      throw new TradeproofError(`the server says kind ${prepared.kind}, the statement says ${statementKind}`);
    }
    return signed.signature;
  }

  private submittedOf(value: unknown, prepared: PreparedStatement): SubmittedStatement {
    if (!isRecord(value)) throw new TradeproofError('the response has no object at "submitStatement"');
    const failure = domainErrorOf('submit', value);
    if (failure !== null) throw failure;
    const event = value.event;
    if (
      value.__typename !== 'SubmittedStatement' ||
      typeof value.replayed !== 'boolean' ||
      !isRecord(event)
    ) {
      throw new TradeproofError('the submit result is neither a SubmittedStatement nor a DomainError');
    }
    const submitted: SubmittedStatement = {
      __typename: 'SubmittedStatement',
      replayed: value.replayed,
      event: { id: String(event.id), kind: String(event.kind), eventHash: String(event.eventHash) },
    };
    // A replay returns the first event, whose salt (and so hash) may differ from this statement's.
    const expected = toHex(parseHex(prepared.eventHash) ?? Buffer.alloc(0));
    if (!submitted.replayed && submitted.event.eventHash.toLowerCase() !== expected) {
      throw new TradeproofError(`the ledger recorded event ${submitted.event.eventHash}, not ${expected}`);
    }
    return submitted;
  }
}
