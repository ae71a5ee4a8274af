/**
 * traceFunds, the rule: where a disbursed advance went, as one time-ordered sweep over payments.
 *
 * The disbursement gives its recipient S (the financed holder, depth 0) a traced balance of A, the
 * advance the lender paid, at t (the disbursement's recorded time). Then every payment recorded after
 * t (and at or before asOf, when given), in the order (recorded time, payment id), its allocations in
 * receivable id order: when the payer X holds a traced balance b > 0 and is followed (depth <
 * maxDepth), each allocation moves min(b, allocation amount) from X to the allocation's payee, and b
 * shrinks by it before the next allocation. A payee's depth is fixed at its first arrival: X's depth
 * + 1. A party reached at maxDepth keeps what arrives: its own payments are not followed.
 *
 * Per party: tracedIn (A for S, plus anything that comes back to it; the sum of arrivals otherwise),
 * tracedOut (what its payments moved on) and unexplained = tracedIn - tracedOut, the traced money it
 * still holds. Balances, not paths, so a cycle (money coming back) is counted once per payment and
 * ends. An allocation to the payer itself moves nothing. Money is conserved: the unexplained amounts
 * of all parties add up to A.
 *
 * The repository filters by time in SQL, to the microsecond of a payment's recorded time; the filter
 * here is the same rule at the millisecond of a JavaScript Date (a payment in the disbursement's
 * millisecond is kept), so it never drops what the repository read.
 */

export const traceDepthMax = 8;
export const traceDepthDefault = 3;

export interface TraceAllocation {
  receivableId: string;
  payeePartyId: string;
  amountMinor: bigint;
}

export interface TracePayment {
  paymentId: string;
  payerPartyId: string;
  recordedAt: Date;
  /**
   * Its place in recording order, when known: recorded times are microseconds in the database and
   * milliseconds here, so this breaks ties inside one millisecond before the payment id does.
   */
  sequence?: number;
  allocations: readonly TraceAllocation[];
}

export interface TraceInput {
  recipientPartyId: string;
  advanceMinor: bigint;
  disbursedAt: Date;
  maxDepth: number;
  asOf?: Date | undefined;
  /** In any order: the sweep orders them. */
  payments: readonly TracePayment[];
}

export interface TraceNode {
  partyId: string;
  depth: number;
  tracedInMinor: bigint;
  tracedOutMinor: bigint;
  unexplainedMinor: bigint;
  /** depth < maxDepth: its payments were followed. */
  followed: boolean;
}

export interface TraceFlow {
  fromPartyId: string;
  toPartyId: string;
  amountMinor: bigint;
  paymentId: string;
  receivableId: string;
  recordedAt: Date;
}

export interface TraceTotals {
  /** Everything the flows moved (a payment that moved money back counts again). */
  flowedMinor: bigint;
  /** Held by followed parties: they had it and did not pay it on within the trace. */
  unexplainedMinor: bigint;
  /** Held by parties reached at maxDepth, not followed. unexplained + beyondDepth = the advance. */
  beyondDepthMinor: bigint;
}

export interface TraceResult {
  /** By depth, then party id. */
  nodes: TraceNode[];
  /** In the sweep's order. */
  flows: TraceFlow[];
  totals: TraceTotals;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The payments the sweep goes through, in its order: after t, at or before asOf. */
export function sweepOrder(input: TraceInput): TracePayment[] {
  const from = input.disbursedAt.getTime();
  const to = input.asOf?.getTime();
  return input.payments
    .filter((p) => p.recordedAt.getTime() >= from && (to === undefined || p.recordedAt.getTime() <= to))
    .map((p) => ({
      ...p,
      allocations: [...p.allocations].sort((a, b) => byText(a.receivableId, b.receivableId)),
    }))
    .sort(
      (a, b) =>
        a.recordedAt.getTime() - b.recordedAt.getTime() ||
        (a.sequence ?? 0) - (b.sequence ?? 0) ||
        byText(a.paymentId, b.paymentId),
    );
}

interface Held {
  depth: number;
  inMinor: bigint;
  outMinor: bigint;
}

export function traceFunds(input: TraceInput): TraceResult {
  const held = new Map<string, Held>([
    [input.recipientPartyId, { depth: 0, inMinor: input.advanceMinor, outMinor: 0n }],
  ]);
  const flows: TraceFlow[] = [];
  for (const payment of sweepOrder(input)) {
    const payer = held.get(payment.payerPartyId);
    if (payer === undefined || payer.depth >= input.maxDepth) continue;
    for (const allocation of payment.allocations) {
      const balance = payer.inMinor - payer.outMinor;
      if (balance <= 0n) break;
      if (allocation.payeePartyId === payment.payerPartyId) continue;
      let moved = allocation.amountMinor;
      if (balance < moved) moved = balance;
      payer.outMinor += moved;
      const payee = held.get(allocation.payeePartyId) ?? {
        depth: payer.depth + 1,
        inMinor: 0n,
        outMinor: 0n,
      };
      payee.inMinor += moved;
      held.set(allocation.payeePartyId, payee);
      flows.push({
        fromPartyId: payment.payerPartyId,
        toPartyId: allocation.payeePartyId,
        amountMinor: moved,
        paymentId: payment.paymentId,
        receivableId: allocation.receivableId,
        recordedAt: payment.recordedAt,
      });
    }
  }
  const nodes = [...held].map(
    ([partyId, node]): TraceNode => ({
      partyId,
      depth: node.depth,
      tracedInMinor: node.inMinor,
      tracedOutMinor: node.outMinor,
      unexplainedMinor: node.inMinor - node.outMinor,
      followed: node.depth < input.maxDepth,
    }),
  );
  nodes.sort((a, b) => a.depth - b.depth || byText(a.partyId, b.partyId));
  const totals: TraceTotals = { flowedMinor: 0n, unexplainedMinor: 0n, beyondDepthMinor: 0n };
  for (const flow of flows) totals.flowedMinor += flow.amountMinor;
  for (const node of nodes) {
    if (node.followed) totals.unexplainedMinor += node.unexplainedMinor;
    else totals.beyondDepthMinor += node.unexplainedMinor;
  }
  return { nodes, flows, totals };
}
