/** Receivables: the type, its lineage and the one-receivable queries (the list is in receivable-list.ts). */
import { formatAmount } from '../services/money/money.js';
import {
  effectiveStatuses,
  findInvoiceSummaries,
  findReceivableLineage,
  findVisibleReceivable,
  type InvoiceSummary,
  type ReceivableLineage,
  type ReceivableView,
} from '../services/receivables/index.js';
import { findVisibleDocuments } from '../services/trade/document-chain.service.js';
import { builder } from './builder.js';
import { actorOf } from './context.js';
import { domainErrors, unwrap } from './domain-error.js';
import { screamingValues } from './enums.js';
import { NodeRef } from './node.js';
import { PartyRef } from './party.js';
import { TradeDocumentRef } from './trade-document.js';

export const ReceivableStatusEnum = builder.enumType('ReceivableStatus', {
  description: 'OVERDUE is derived: outstanding after the due date plus the grace days.',
  values: screamingValues(effectiveStatuses),
});

const amount = (minor: bigint, receivable: ReceivableView) => formatAmount(minor, receivable.currency);

const InvoiceSummaryRef = builder.objectRef<InvoiceSummary>('InvoiceSummary').implement({
  description:
    'The invoice behind a receivable as any holder of part of it sees it: not its lines, prices or tax invoice number, which stay with the buyer and seller.',
  fields: (t) => ({
    invoiceId: t.expose('invoiceId', { type: 'UUID' }),
    buyer: t.field({ type: PartyRef, resolve: (summary) => summary.buyerPartyId }),
    seller: t.field({ type: PartyRef, resolve: (summary) => summary.sellerPartyId }),
    currency: t.expose('currency', { type: 'CurrencyCode' }),
    total: t.field({
      type: 'Decimal',
      resolve: (summary) => formatAmount(summary.totalMinor, summary.currency),
    }),
    issueDate: t.expose('issueDate', { type: 'Date' }),
    dueDate: t.expose('dueDate', { type: 'Date' }),
    eventHash: t.expose('eventHash', {
      type: 'HexBytes',
      description: "SHA-256 of the invoice's signed statement, as the proof bundle carries it.",
    }),
  }),
});

export const ReceivableRef = builder.objectRef<ReceivableView>('Receivable').implement({
  description: 'A claim on the obligor for part of a confirmed invoice, held by a party of some tier.',
  interfaces: [NodeRef],
  fields: (t) => ({
    id: t.exposeID('id'),
    tier: t.exposeInt('tier', { description: '0 for the confirmed invoice; +1 for each transfer.' }),
    status: t.field({ type: ReceivableStatusEnum, resolve: (receivable) => receivable.effectiveStatus }),
    onHold: t.exposeBoolean('onHold', {
      description: 'After a cancellation or credit note, until resolved.',
    }),
    obligor: t.field({ type: PartyRef, resolve: (receivable) => receivable.obligorPartyId }),
    holder: t.field({ type: PartyRef, resolve: (receivable) => receivable.holderPartyId }),
    invoiceId: t.expose('invoiceId', { type: 'UUID' }),
    // One query for every receivable of a page; each through the service's visibility rule.
    invoice: t.loadable({
      type: TradeDocumentRef,
      nullable: true,
      description:
        'The invoice in full (lines, prices, tax invoice number): null unless the caller is its buyer or seller (or an auditor). See invoiceSummary.',
      load: async (invoiceIds: string[], context) => {
        const found = await findVisibleDocuments(context.ledger, actorOf(context), invoiceIds);
        return invoiceIds.map((id) => found.get(id) ?? null);
      },
      resolve: (receivable) => receivable.invoiceId,
    }),
    invoiceSummary: t.loadable({
      type: InvoiceSummaryRef,
      description: 'What every holder of any part may know of the invoice: parties, total, dates, its hash.',
      load: async (invoiceIds: string[], context) => {
        const found = await findInvoiceSummaries(context.ledger, actorOf(context), invoiceIds);
        return invoiceIds.map((id) => found.get(id) ?? new Error(`invoice ${id} is not visible`));
      },
      resolve: (receivable) => receivable.invoiceId,
    }),
    currency: t.expose('currency', { type: 'CurrencyCode' }),
    face: t.field({ type: 'Decimal', resolve: (receivable) => amount(receivable.faceMinor, receivable) }),
    transferred: t.field({
      type: 'Decimal',
      resolve: (receivable) => amount(receivable.transferredMinor, receivable),
    }),
    settled: t.field({
      type: 'Decimal',
      resolve: (receivable) => amount(receivable.settledMinor, receivable),
    }),
    credited: t.field({
      type: 'Decimal',
      resolve: (receivable) => amount(receivable.creditedMinor, receivable),
    }),
    outstanding: t.field({
      type: 'Decimal',
      description: 'face - transferred - settled - credited: what the holder is still owed.',
      resolve: (receivable) => amount(receivable.outstandingMinor, receivable),
    }),
    dueDate: t.expose('dueDate', { type: 'Date' }),
    parentId: t.expose('parentId', { type: 'UUID', nullable: true }),
    rootId: t.expose('rootId', { type: 'UUID' }),
  }),
});

const LineageRef = builder.objectRef<ReceivableLineage>('ReceivableLineage').implement({
  fields: (t) => ({
    receivable: t.field({ type: ReceivableRef, resolve: (lineage) => lineage.receivable }),
    ancestors: t.field({
      type: [ReceivableRef],
      description: 'From the confirmed root (tier 0) down to the parent.',
      resolve: (lineage) => lineage.ancestors,
    }),
    descendants: t.field({
      type: [ReceivableRef],
      description: 'Every part passed on from it, at any depth, in (tier, id) order.',
      resolve: (lineage) => lineage.descendants,
    }),
  }),
});

builder.queryFields((t) => ({
  receivable: t.field({
    type: ReceivableRef,
    errors: domainErrors('ReceivableResult'),
    authScopes: { authenticated: true },
    args: { id: t.arg({ type: 'UUID', required: true }) },
    resolve: async (_root, args, context) =>
      unwrap(await findVisibleReceivable(context.ledger, actorOf(context), args.id)),
  }),
  receivableLineage: t.field({
    type: LineageRef,
    errors: domainErrors('ReceivableLineageResult'),
    authScopes: { authenticated: true },
    description: 'A receivable with its ancestors up to the confirmed root and all its descendants.',
    args: { id: t.arg({ type: 'UUID', required: true }) },
    resolve: async (_root, args, context) =>
      unwrap(await findReceivableLineage(context.ledger, actorOf(context), args.id)),
  }),
}));
