/**
 * A fact is a kind of signed event with its own payload rules, checks against the ledger, and the
 * projections it updates. Trade documents, confirmations, transfers and payments are facts; they
 * register a FactSpec and share one prepare / submit pipeline (fact.service.ts).
 */
import type { Trx } from '../db/transaction.js';
import type { Ledger } from '../ledger.js';
import type { Actor } from '../parties/party.js';
import type { Result } from '../result.js';
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
   * Shape and normal form of the payload. Must be idempotent: parsing a parsed payload returns an
   * equal one, because a submitted statement is checked to be already in normal form.
   */
  parse(input: unknown): Result<Payload>;
  /** Who may state it and the rules against the ledger's state; the counterparty and refs. */
  check(trx: Trx, ledger: Ledger, actor: Actor, payload: Payload): Promise<Result<FactLinks>>;
  /** Updates the projections for the appended event, in the same transaction. */
  project(trx: Trx, ledger: Ledger, event: LedgerEvent, payload: Payload): Promise<void>;
}

// biome-ignore lint/suspicious/noExplicitAny: specs of every payload type live in one registry
const specs = new Map<string, FactSpec<any>>();

export function registerFact<Payload extends Record<string, unknown>>(
  spec: FactSpec<Payload>,
): FactSpec<Payload> {
  if (specs.has(spec.kind)) throw new Error(`fact kind ${spec.kind} registered twice`);
  specs.set(spec.kind, spec);
  return spec;
}

export function factSpec(kind: string): FactSpec<Record<string, unknown>> | undefined {
  return specs.get(kind);
}

export function factKinds(): string[] {
  return [...specs.keys()].sort();
}
