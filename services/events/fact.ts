/**
 * A fact is a kind of signed event with its own payload rules, checks against the ledger, and the
 * projections it updates. Trade documents, confirmations, transfers and payments are facts; they
 * register a FactSpec and share one prepare / submit pipeline (fact.service.ts).
 */

import type { Ledger } from '../context.js';
import type { Trx } from '../db/transaction.js';
import type { Actor, PartyRole } from '../parties/party.js';
import { type Failure, fail, type Result } from '../result.js';
import type { Notice } from '../webhooks/webhook.js';
import type { LedgerEvent } from './event.js';

export interface FactLinks {
  counterparty: string | null;
  /** Event hashes (lowercase hex) of the events this fact builds on, in a fixed order. */
  refs: string[];
}

export interface FactSpec<Payload extends Record<string, unknown>> {
  /** The event kind, e.g. "invoice.issued". */
  kind: string;
  /**
   * The roles of which the actor must hold at least one. Checked before anything reads the ledger;
   * `check` then decides which party (buyer, seller, holder, obligor) may state it.
   */
  roles: readonly PartyRole[];
  /**
   * Shape and normal form of the payload. Must be idempotent: parsing a parsed payload returns an
   * equal one, because a submitted statement is checked to be already in normal form.
   */
  parse(input: unknown): Result<Payload>;
  /**
   * Fills in, at prepare, what the statement must state and the ledger already knows (a
   * confirmation's amount and due date), so the signer signs it; `check` holds a submitted statement
   * to the same values. Fields the caller gave are kept. `earlier` is the payload prepared (or
   * recorded) before under the same idempotency key: a value the server chooses by the clock (a
   * request's expiry) is taken from it, so that preparing the same input again states the same fact.
   */
  complete?(trx: Trx, ledger: Ledger, payload: Payload, earlier?: Record<string, unknown>): Promise<Payload>;
  /**
   * The fact chain it belongs to (fact-chain.repository.ts): the chain's id from the payload, or
   * null when it names nothing that exists (check then says why). With `lock`, the chain's subject
   * row is taken FOR UPDATE, so that facts of one chain queue rather than conflict. A fact of a
   * chain names the chain's head in refs[0], and the pipeline appends it to the chain; one that
   * `starts` a chain is its first link and names no head.
   */
  chain?: {
    of(trx: Trx, payload: Payload, options: { lock: boolean }): Promise<string | null>;
    starts?: boolean;
  };
  /**
   * The ids of the objects the fact creates (a document's, a receivable's), which no object may hold
   * yet: the pipeline reads them before its write, so that the write need not (object-id.repository.ts).
   */
  claims?(payload: Payload): string[];
  /**
   * Its rows may be held back and written with the other facts of a bulk call (db/insert-buffer.ts):
   * once its claims are known free, its check reads only what no fact writes (parties, keys), it
   * belongs to no chain, notifies no one and only inserts.
   */
  bulkInsert?: true;
  /** Who may state it and the rules against the ledger's state; the counterparty and refs. */
  check(trx: Trx, ledger: Ledger, actor: Actor, payload: Payload): Promise<Result<FactLinks>>;
  /** Updates the projections for the appended event, in the same transaction. */
  project(trx: Trx, ledger: Ledger, event: LedgerEvent, payload: Payload): Promise<void>;
  /**
   * Who should hear of the appended event through its webhooks (services/webhooks), read after
   * `project`. The pipeline writes the notices to the outbox in the same transaction, so a fact and
   * its deliveries commit or roll back together. Each notice carries only what its party may read.
   */
  notify?(trx: Trx, event: LedgerEvent, payload: Payload): Promise<Notice[]>;
}

// biome-ignore lint/suspicious/noExplicitAny: specs of every payload type live in one registry
const specs = new Map<string, FactSpec<any>>();

export function registerFact<Payload extends Record<string, unknown>>(
  spec: FactSpec<Payload>,
): FactSpec<Payload> {
  if (specs.has(spec.kind)) throw new Error(`fact kind ${spec.kind} registered twice`);
  if (spec.roles.length === 0) throw new Error(`fact kind ${spec.kind} names no role that may state it`);
  specs.set(spec.kind, spec);
  return spec;
}

/** "a, b or c" */
function alternatives(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

/**
 * forbidden unless the actor holds one of the spec's roles. Carries no field: no input is at fault.
 * Pure, so the pipeline runs it before it touches the database.
 */
export function roleProblem(
  spec: Pick<FactSpec<Record<string, unknown>>, 'kind' | 'roles'>,
  actor: Actor,
): Failure | null {
  if (spec.roles.some((role) => actor.roles.includes(role))) return null;
  const held = actor.roles.length > 0 ? actor.roles.join(' and ') : 'without a role';
  return fail('forbidden', `a ${alternatives(spec.roles)} states ${spec.kind}; this party is ${held}`);
}

export function factSpec(kind: string): FactSpec<Record<string, unknown>> | undefined {
  return specs.get(kind);
}

export function factKinds(): string[] {
  return [...specs.keys()].sort();
}
