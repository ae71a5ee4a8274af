/**
 * An invoice's receivable tree rebuilt from its chain of signed facts, by the same pure rules the
 * projections apply (settlement.ts, receivable.ts): the confirmation creates the root, each transfer
 * splits a node, payments and accepted credit notes are spread over the holders by largest remainder,
 * an accepted cancellation writes the rest off, a default marks what is outstanding. The offline
 * verifier states what a proof bundle proves with it, and a property test holds it equal to the
 * projections in the database. Nothing here touches a database.
 *
 * The facts come from outside (a bundle file), so one that does not fit the state so far is a
 * failure naming the reason, never an exception.
 */
import { parsePositiveAmount } from '../money/money.js';
import { type Kind, type Payload, payloads } from './chain-facts.js';
import {
  disbursedFinancing,
  type ReplayedFinancing,
  replayAnswer,
  replayRequest,
} from './financing-replay.js';
import type { Receivable, ReceivableStatus } from './receivable.js';
import {
  allocateAcrossHolders,
  applyAllocations,
  cancellationChanges,
  nodesToDefault,
  type ReceivableChange,
  totalOutstanding,
} from './settlement.js';

/** One signed fact of an invoice's chain, as its statement states it. */
export interface ChainFact {
  eventId: string;
  kind: string;
  actor: string;
  counterparty: string | null;
  payload: Record<string, unknown>;
}

export interface InvoiceTreeState {
  invoiceId: string | null;
  currency: string | null;
  phase: 'issued' | 'confirmed' | 'cancelled';
  /** A cancellation or credit note on the confirmed invoice awaiting the buyer. */
  pending: { kind: 'cancellation' } | { kind: 'credit_note'; amountMinor: bigint } | null;
  /** Credit notes issued before the confirmation, in effect at once (decimal strings). */
  creditsBeforeConfirmation: string[];
  tree: Receivable[];
  /** Financing requests of the chain so far, by financing id. */
  financings: Record<string, ReplayedFinancing>;
}

export type ReplayStep = { ok: true; state: InvoiceTreeState } | { ok: false; reason: string };

export function emptyTreeState(): InvoiceTreeState {
  return {
    invoiceId: null,
    currency: null,
    phase: 'issued',
    pending: null,
    creditsBeforeConfirmation: [],
    tree: [],
    financings: {},
  };
}

const failed = (reason: string): ReplayStep => ({ ok: false, reason });
const next = (state: InvoiceTreeState): ReplayStep => ({ ok: true, state });

function amountIn(state: InvoiceTreeState, text: string): bigint | string {
  if (state.currency === null) return 'the currency is not known before the confirmation';
  const parsed = parsePositiveAmount(text, state.currency);
  return parsed.ok ? parsed.value : parsed.message;
}

function withChanges(tree: readonly Receivable[], changes: readonly ReceivableChange[]): Receivable[] {
  const byId = new Map(changes.map((change) => [change.id, change]));
  return tree.map((node) => {
    const change = byId.get(node.id);
    if (!change) return node;
    return {
      ...node,
      settledMinor: node.settledMinor + change.settledAddMinor,
      creditedMinor: node.creditedMinor + change.creditedAddMinor,
      outstandingMinor: node.outstandingMinor - change.settledAddMinor - change.creditedAddMinor,
      status: change.status,
    };
  });
}

const withHold = (tree: readonly Receivable[], onHold: boolean) => tree.map((node) => ({ ...node, onHold }));

function confirm(
  state: InvoiceTreeState,
  fact: ChainFact,
  payload: Payload<'invoice.confirmed'>,
): ReplayStep {
  if (state.phase !== 'issued') return failed(`the invoice is ${state.phase}, not open to confirmation`);
  if (state.currency !== null && state.currency !== payload.currency) {
    return failed(`confirmed in ${payload.currency}, but the invoice is in ${state.currency}`);
  }
  const withCurrency = { ...state, currency: payload.currency };
  const face = amountIn(withCurrency, payload.amount);
  if (typeof face === 'string') return failed(`amount: ${face}`);
  let credited = 0n;
  for (const credit of state.creditsBeforeConfirmation) {
    const amount = amountIn(withCurrency, credit);
    if (typeof amount === 'string') return failed(`an earlier credit note: ${amount}`);
    credited += amount;
  }
  if (credited >= face) return failed('the invoice was credited in full before its confirmation');
  if (fact.counterparty === null) return failed('a confirmation names no seller');
  const root: Receivable = {
    id: payload.receivableId,
    invoiceId: payload.invoiceId,
    parentId: null,
    rootId: payload.receivableId,
    tier: 0,
    obligorPartyId: fact.actor,
    holderPartyId: fact.counterparty,
    currency: payload.currency,
    faceMinor: face,
    transferredMinor: 0n,
    settledMinor: 0n,
    creditedMinor: credited,
    outstandingMinor: face - credited,
    dueDate: payload.dueDate,
    status: 'open',
    onHold: false,
    financingId: null,
    createdEventId: fact.eventId,
    createdAt: new Date(0),
  };
  return next({ ...withCurrency, invoiceId: payload.invoiceId, phase: 'confirmed', tree: [root] });
}

/** A transfer, or a disbursement (whose child the lender holds): both split a node. */
function transfer(
  state: InvoiceTreeState,
  fact: ChainFact,
  payload: Payload<'receivable.transferred'>,
  splitBy: string = fact.actor,
): ReplayStep {
  const parent = state.tree.find((node) => node.id === payload.receivableId);
  if (!parent) return failed(`it splits ${payload.receivableId}, which is not in the tree`);
  if (parent.holderPartyId !== splitBy)
    return failed('it is stated by a party that does not hold the receivable');
  if (state.tree.some((node) => node.id === payload.childReceivableId)) {
    return failed(`the part passed on reuses the id ${payload.childReceivableId}`);
  }
  const amount = amountIn(state, payload.amount);
  if (typeof amount === 'string') return failed(`amount: ${amount}`);
  if (amount > parent.outstandingMinor) return failed('it passes on more than is outstanding');
  const child: Receivable = {
    ...parent,
    financingId: null,
    id: payload.childReceivableId,
    parentId: parent.id,
    tier: parent.tier + 1,
    holderPartyId: payload.toPartyId,
    faceMinor: amount,
    transferredMinor: 0n,
    settledMinor: 0n,
    creditedMinor: 0n,
    outstandingMinor: amount,
    status: 'open',
    createdEventId: fact.eventId,
  };
  const tree = state.tree.map((node) =>
    node.id === parent.id
      ? {
          ...node,
          transferredMinor: node.transferredMinor + amount,
          outstandingMinor: node.outstandingMinor - amount,
        }
      : node,
  );
  return next({ ...state, tree: [...tree, child] });
}

function spread(state: InvoiceTreeState, amountMinor: bigint, into: 'settled' | 'credited'): ReplayStep {
  if (amountMinor > totalOutstanding(state.tree)) return failed('it is more than the tree has outstanding');
  const allocations = allocateAcrossHolders(state.tree, amountMinor);
  return next({ ...state, tree: applyAllocations(state.tree, allocations, into).tree });
}

function resolveHold(state: InvoiceTreeState, outcome: 'accepted' | 'rejected'): ReplayStep {
  const pending = state.pending;
  if (pending === null) return failed('nothing awaits the buyer');
  const released = { ...state, pending: null, tree: withHold(state.tree, false) };
  if (outcome === 'rejected') return next(released);
  if (pending.kind === 'cancellation') {
    return next({
      ...released,
      phase: 'cancelled',
      tree: withChanges(released.tree, cancellationChanges(released.tree)),
    });
  }
  return spread(released, pending.amountMinor, 'credited');
}

function creditNote(state: InvoiceTreeState, payload: Payload<'credit_note.issued'>): ReplayStep {
  if (state.phase === 'cancelled') return failed('the invoice was cancelled');
  if (state.phase === 'issued') {
    return next({
      ...state,
      creditsBeforeConfirmation: [...state.creditsBeforeConfirmation, payload.amount],
    });
  }
  if (state.pending !== null) return failed('another cancellation or credit note awaits the buyer');
  const amount = amountIn(state, payload.amount);
  if (typeof amount === 'string') return failed(`amount: ${amount}`);
  return next({
    ...state,
    pending: { kind: 'credit_note', amountMinor: amount },
    tree: withHold(state.tree, true),
  });
}

function requireConfirmed(state: InvoiceTreeState): string | null {
  if (state.phase !== 'confirmed')
    return `the invoice is ${state.phase === 'issued' ? 'not confirmed' : 'cancelled'}`;
  if (state.pending !== null) return 'the receivables are on hold';
  return null;
}

function setStatus(
  tree: readonly Receivable[],
  ids: ReadonlySet<string>,
  status: ReceivableStatus,
): Receivable[] {
  return tree.map((node) => (ids.has(node.id) ? { ...node, status } : node));
}

function applyFinancing<K extends Kind>(
  state: InvoiceTreeState,
  fact: ChainFact,
  kind: K,
  payload: Payload<K>,
): ReplayStep {
  if (kind === 'financing.disbursed') {
    const disbursed = payload as Payload<'financing.disbursed'>;
    const financing = disbursedFinancing(state.financings, fact, disbursed);
    if (typeof financing === 'string') return failed(financing);
    const split = transfer(state, fact, { ...disbursed, toPartyId: fact.actor }, financing.holderPartyId);
    if (!split.ok) return split;
    const closed = { ...financing, open: false };
    const tree = split.state.tree.map((node) =>
      node.id === financing.receivableId ? { ...node, financingId: null } : node,
    );
    return next({
      ...split.state,
      tree,
      financings: { ...state.financings, [disbursed.financingId]: closed },
    });
  }
  const step =
    kind === 'financing.requested'
      ? replayRequest(state.financings, state.tree, fact, payload as Payload<'financing.requested'>)
      : replayAnswer(
          state.financings,
          state.tree,
          kind as
            | 'financing.withdrawn'
            | 'financing.offered'
            | 'financing.declined'
            | 'financing.offer_accepted',
          fact,
          (payload as { financingId: string }).financingId,
        );
  return typeof step === 'string' ? failed(step) : next({ ...state, ...step });
}

function applyKnown<K extends Kind>(
  state: InvoiceTreeState,
  fact: ChainFact,
  kind: K,
  payload: Payload<K>,
): ReplayStep {
  switch (kind) {
    case 'invoice.issued': {
      const issued = payload as Payload<'invoice.issued'>;
      return next({ ...state, invoiceId: issued.documentId, currency: issued.currency });
    }
    case 'invoice.confirmed':
      return confirm(state, fact, payload as Payload<'invoice.confirmed'>);
    case 'credit_note.issued':
      return creditNote(state, payload as Payload<'credit_note.issued'>);
    case 'invoice.cancelled':
      if (state.phase === 'issued') return next({ ...state, phase: 'cancelled' });
      if (requireConfirmed(state) !== null) return failed(requireConfirmed(state) ?? '');
      return next({ ...state, pending: { kind: 'cancellation' }, tree: withHold(state.tree, true) });
    case 'invoice.hold_resolved':
      return resolveHold(state, (payload as Payload<'invoice.hold_resolved'>).outcome);
    case 'receivable.transferred':
      return requireConfirmed(state) === null
        ? transfer(state, fact, payload as Payload<'receivable.transferred'>)
        : failed(requireConfirmed(state) ?? '');
    case 'payment.recorded': {
      const problem = requireConfirmed(state);
      if (problem !== null) return failed(problem);
      const amount = amountIn(state, (payload as Payload<'payment.recorded'>).amount);
      return typeof amount === 'string' ? failed(`amount: ${amount}`) : spread(state, amount, 'settled');
    }
    case 'financing.requested':
    case 'financing.withdrawn':
    case 'financing.offered':
    case 'financing.declined':
    case 'financing.offer_accepted':
    case 'financing.disbursed':
      return requireConfirmed(state) === null
        ? applyFinancing(state, fact, kind, payload)
        : failed(requireConfirmed(state) ?? '');
    case 'receivable.defaulted': {
      const problem = requireConfirmed(state);
      if (problem !== null) return failed(problem);
      const ids = new Set(nodesToDefault(state.tree).map((node) => node.id));
      return next({ ...state, tree: setStatus(state.tree, ids, 'defaulted') });
    }
  }
  return failed(`${kind} does not belong to an invoice's chain`);
}

/** The state after one more fact of the chain, or why the fact does not fit. */
export function applyChainFact(state: InvoiceTreeState, fact: ChainFact): ReplayStep {
  if (!(fact.kind in payloads)) return failed(`${fact.kind} does not belong to an invoice's chain`);
  const kind = fact.kind as Kind;
  const payload = payloads[kind].safeParse(fact.payload);
  if (!payload.success)
    return failed(`its payload lacks what ${kind} states: ${payload.error.issues[0]?.message}`);
  if (state.invoiceId !== null && 'invoiceId' in payload.data && payload.data.invoiceId !== state.invoiceId) {
    return failed(`it names invoice ${payload.data.invoiceId}, not ${state.invoiceId}`);
  }
  return applyKnown(state, fact, kind, payload.data);
}

/** Replays a whole chain, first fact first; the failure names the position of the fact at fault. */
export function replayChain(
  facts: readonly ChainFact[],
): { ok: true; state: InvoiceTreeState } | { ok: false; position: number; reason: string } {
  let state = emptyTreeState();
  for (const [position, fact] of facts.entries()) {
    const step = applyChainFact(state, fact);
    if (!step.ok) return { ok: false, position, reason: step.reason };
    state = step.state;
  }
  return { ok: true, state };
}
