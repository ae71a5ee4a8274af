/** Receivables: the type with its lineage, the holder / obligor connections, and their prepare… mutations. */
import { isUuid } from '../services/events/envelope.js';
import { formatAmount } from '../services/money/money.js';
import {
  effectiveStatuses,
  findReceivableLineage,
  findVisibleReceivable,
  listReceivablesByHolder,
  listReceivablesByObligor,
  type ReceivableLineage,
  type ReceivableView,
} from '../services/receivables/index.js';
import { builder } from './builder.js';
import { actorOf } from './context.js';
import { domainErrors, unwrap } from './domain-error.js';
import { jsonCursor, keysetConnection } from './paging.js';
import { PartyRef } from './party.js';
import { TradeDocumentRef } from './trade-document.js';

const ReceivableStatusEnum = builder.enumType('ReceivableStatus', {
  description: 'OVERDUE is derived: outstanding after the due date plus the grace days.',
  values: effectiveStatuses,
});

const amount = (minor: bigint, receivable: ReceivableView) => formatAmount(minor, receivable.currency);

export const ReceivableRef = builder.objectRef<ReceivableView>('Receivable').implement({
  description: 'A claim on the obligor for part of a confirmed invoice, held by a party of some tier.',
  fields: (t) => ({
    id: t.expose('id', { type: 'UUID' }),
    tier: t.exposeInt('tier', { description: '0 for the confirmed invoice; +1 for each transfer.' }),
    status: t.field({ type: ReceivableStatusEnum, resolve: (receivable) => receivable.effectiveStatus }),
    onHold: t.exposeBoolean('onHold', {
      description: 'After a cancellation or credit note, until resolved.',
    }),
    obligor: t.field({ type: PartyRef, resolve: (receivable) => receivable.obligorPartyId }),
    holder: t.field({ type: PartyRef, resolve: (receivable) => receivable.holderPartyId }),
    invoice: t.field({ type: TradeDocumentRef, resolve: (receivable) => receivable.invoiceId }),
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

const ReceivableSideEnum = builder.enumType('ReceivableSide', {
  values: {
    HOLDER: { description: 'Receivables the party holds.' },
    OBLIGOR: { description: 'Receivables it owes.' },
  },
});

const receivableCursor = jsonCursor<ReceivableView, string>(
  (receivable) => receivable.id,
  (position) => (isUuid(position) ? position : null),
);

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
  receivables: t.connection({
    type: ReceivableRef,
    authScopes: { authenticated: true },
    description: "A party's receivables as holder or obligor (the caller's own by default), in id order.",
    args: {
      side: t.arg({ type: ReceivableSideEnum, required: true }),
      partyId: t.arg({ type: 'UUID', required: false }),
      status: t.arg({ type: ReceivableStatusEnum, required: false }),
    },
    resolve: (_root, args, context) => {
      const actor = actorOf(context);
      const partyId = args.partyId ?? actor.partyId;
      const options = args.status ? { status: args.status } : {};
      const list = args.side === 'HOLDER' ? listReceivablesByHolder : listReceivablesByObligor;
      return keysetConnection(args, receivableCursor, (page) =>
        list(context.ledger, actor, partyId, page, options),
      );
    },
  }),
}));
