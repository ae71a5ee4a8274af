import {
  type FinancingAlert,
  type FinancingAlertCursor,
  type FinancingAlertKind,
  financingAlertKinds,
} from '../services/financing/financing-alert.js';
import { countFinancingAlertsOf, financingAlertsOf } from '../services/financing/financing-alert.service.js';
import { builder } from './builder.js';
import { actorOf } from './context.js';
import { countedConnection, instantIdCursor, totalCountDescription } from './paging.js';

const kindDescriptions: Record<FinancingAlertKind, string> = {
  invoice_cancelled:
    'The seller asked to cancel the invoice; its receivables are on hold until the buyer answers.',
  credit_note_issued:
    'The seller credited part of the invoice; its receivables are on hold until the buyer answers.',
  on_hold: 'The receivables of the invoice were put on hold.',
  defaulted: 'The obligor was declared in default on the invoice.',
};

const FinancingAlertKindEnum = builder.enumType('FinancingAlertKind', {
  values: Object.fromEntries(
    financingAlertKinds.map((value) => [
      value.toUpperCase(),
      { value, description: kindDescriptions[value] },
    ]),
  ),
});

const FinancingAlertRef = builder.objectRef<FinancingAlert>('FinancingAlert').implement({
  description:
    'Raised on a disbursed financing when the paper behind it changes; also POSTed to the lender as FINANCING_ALERT.',
  fields: (t) => ({
    id: t.expose('id', { type: 'UUID' }),
    kind: t.field({ type: FinancingAlertKindEnum, resolve: (alert) => alert.kind }),
    financingId: t.expose('financingId', { type: 'UUID' }),
    lenderPartyId: t.expose('lenderPartyId', { type: 'UUID' }),
    invoiceId: t.expose('invoiceId', { type: 'UUID' }),
    eventId: t.expose('eventId', { type: 'UUID', description: 'The event that raised it.' }),
    eventKind: t.exposeString('eventKind', {
      description: 'invoice.cancelled, credit_note.issued or receivable.defaulted.',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const alertCursor = instantIdCursor<FinancingAlert, FinancingAlertCursor>(
  (alert) => [alert.createdAt, alert.id],
  (createdAt, id) => ({ createdAt, id }),
);

builder.queryFields((t) => ({
  alerts: t.connection(
    {
      type: FinancingAlertRef,
      authScopes: { authenticated: true },
      description:
        'Alerts on financings disbursed by the caller (a lender), oldest first; auditors and platform administrators see all.',
      resolve: async (_root, args, context) => {
        const actor = actorOf(context);
        return countedConnection(
          args,
          alertCursor,
          (page) => financingAlertsOf(context.ledger, actor, page),
          () => countFinancingAlertsOf(context.ledger, actor),
        );
      },
    },
    {
      name: 'FinancingAlertConnection',
      fields: (t) => ({
        totalCount: t.int({ description: totalCountDescription, resolve: (c) => c.totalCount() }),
      }),
    },
    { name: 'FinancingAlertEdge' },
  ),
}));
