/** `traceFunds`: where a disbursed advance went, payment by payment, to a depth. */

import type { TraceFlow, TraceNode } from '../services/exposure/trace-funds.js';
import { traceDepthDefault, traceDepthMax } from '../services/exposure/trace-funds.js';
import { type FundsTrace, traceFinancedFunds } from '../services/exposure/trace-funds.service.js';
import { formatAmount } from '../services/money/money.js';
import { builder } from './builder.js';
import { actorOf } from './context.js';
import { domainErrors, unwrap } from './domain-error.js';
import { asOfDescription } from './exposure.js';
import { PartyRef } from './party.js';

type Priced<T> = T & { currency: string };

const FundsTraceNodeRef = builder.objectRef<Priced<TraceNode>>('FundsTraceNode').implement({
  description:
    'A party the traced money reached: what reached it, what its own payments moved on, and what stays with it unexplained.',
  fields: (t) => ({
    party: t.field({ type: PartyRef, resolve: (node) => node.partyId }),
    depth: t.exposeInt('depth', {
      description: '0 for the financed holder; a payee is one deeper than the payer it first got money from.',
    }),
    tracedIn: t.field({
      type: 'Decimal',
      description:
        'The advance for the financed holder (plus anything that came back); what arrived otherwise.',
      resolve: (node) => formatAmount(node.tracedInMinor, node.currency),
    }),
    tracedOut: t.field({
      type: 'Decimal',
      description: 'What its payments as obligor moved on, oldest first, up to what it held.',
      resolve: (node) => formatAmount(node.tracedOutMinor, node.currency),
    }),
    unexplained: t.field({
      type: 'Decimal',
      description: 'tracedIn - tracedOut: traced money it still holds.',
      resolve: (node) => formatAmount(node.unexplainedMinor, node.currency),
    }),
    followed: t.exposeBoolean('followed', {
      description: 'depth < maxDepth: its payments were followed. A party at maxDepth keeps what arrives.',
    }),
  }),
});

const FundsFlowRef = builder.objectRef<Priced<TraceFlow>>('FundsFlow').implement({
  description: 'Traced money one payment allocation moved.',
  fields: (t) => ({
    from: t.field({ type: PartyRef, description: 'The payer.', resolve: (flow) => flow.fromPartyId }),
    to: t.field({
      type: PartyRef,
      description: 'The holder the allocation paid.',
      resolve: (flow) => flow.toPartyId,
    }),
    amount: t.field({ type: 'Decimal', resolve: (flow) => formatAmount(flow.amountMinor, flow.currency) }),
    paymentId: t.field({ type: 'UUID', resolve: (flow) => flow.paymentId }),
    receivableId: t.field({ type: 'UUID', resolve: (flow) => flow.receivableId }),
    recordedAt: t.field({ type: 'DateTime', resolve: (flow) => flow.recordedAt }),
  }),
});

const FundsTraceTotalsRef = builder.objectRef<Priced<FundsTrace['totals']>>('FundsTraceTotals').implement({
  description: 'unexplained + beyondDepth = disbursed: the traced money is conserved.',
  fields: (t) => ({
    flowed: t.field({
      type: 'Decimal',
      description: 'The sum of the flows.',
      resolve: (totals) => formatAmount(totals.flowedMinor, totals.currency),
    }),
    unexplained: t.field({
      type: 'Decimal',
      description: 'Held by followed parties, not paid on.',
      resolve: (totals) => formatAmount(totals.unexplainedMinor, totals.currency),
    }),
    beyondDepth: t.field({
      type: 'Decimal',
      description: 'Held by parties reached at maxDepth, not followed.',
      resolve: (totals) => formatAmount(totals.beyondDepthMinor, totals.currency),
    }),
  }),
});

const FundsTraceRef = builder.objectRef<FundsTrace>('FundsTrace').implement({
  fields: (t) => ({
    financingId: t.field({ type: 'UUID', resolve: (trace) => trace.financingId }),
    lender: t.field({ type: PartyRef, resolve: (trace) => trace.lenderPartyId }),
    holder: t.field({
      type: PartyRef,
      description: 'The financed holder the advance was paid to (depth 0).',
      resolve: (trace) => trace.holderPartyId,
    }),
    disbursed: t.field({
      type: 'Decimal',
      description: 'The advance of the accepted offer: what the lender paid the holder.',
      resolve: (trace) => formatAmount(trace.advanceMinor, trace.currency),
    }),
    currency: t.expose('currency', { type: 'CurrencyCode' }),
    disbursedAt: t.field({ type: 'DateTime', resolve: (trace) => trace.disbursedAt }),
    maxDepth: t.exposeInt('maxDepth'),
    asOf: t.expose('asOf', {
      type: 'DateTime',
      nullable: true,
      description: 'The instant answered for; null for now.',
    }),
    nodes: t.field({
      type: [FundsTraceNodeRef],
      description: 'By depth, then party id.',
      resolve: (trace) => trace.nodes.map((node) => ({ ...node, currency: trace.currency })),
    }),
    flows: t.field({
      type: [FundsFlowRef],
      description: 'In the order of the sweep: payment time, payment id, receivable id.',
      resolve: (trace) => trace.flows.map((flow) => ({ ...flow, currency: trace.currency })),
    }),
    totals: t.field({
      type: FundsTraceTotalsRef,
      resolve: (trace) => ({ ...trace.totals, currency: trace.currency }),
    }),
  }),
});

builder.queryField('traceFunds', (t) =>
  t.field({
    type: FundsTraceRef,
    errors: domainErrors('TraceFundsResult'),
    authScopes: { authenticated: true },
    description: `Where a disbursed financing's advance went: the holder's payments as obligor after the disbursement, oldest first, take the advance until it is used up; then each payee's, the same, to maxDepth (1 to ${traceDepthMax}). Seen by the lender, the financed holder, auditors and administrators.`,
    args: {
      financingId: t.arg({ type: 'UUID', required: true }),
      maxDepth: t.arg.int({ required: false, defaultValue: traceDepthDefault }),
      asOf: t.arg({ type: 'DateTime', required: false, description: asOfDescription }),
    },
    resolve: async (_root, args, context) =>
      unwrap(
        await traceFinancedFunds(context.ledger, actorOf(context), {
          financingId: args.financingId,
          maxDepth: args.maxDepth ?? undefined,
          asOf: args.asOf ?? null,
        }),
      ),
  }),
);
