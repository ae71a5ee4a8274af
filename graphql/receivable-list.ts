/**
 * `receivables`: a party's receivables as holder or obligor, filtered, sorted, paged by keyset
 * cursors that stay valid for their sort, with a total count and totals per currency.
 */
import { GraphQLError } from 'graphql';
import { isUuid } from '../services/input-rules.js';
import { formatAmount } from '../services/money/money.js';
import {
  type ListedReceivable,
  listReceivables,
  type ReceivableListOptions,
  type ReceivableOrder,
  type ReceivablePosition,
  type ReceivableTotal,
  receivableOrderFields,
  totalListedReceivables,
} from '../services/receivables/index.js';
import { builder } from './builder.js';
import { actorOf } from './context.js';
import { screamingValues } from './enums.js';
import { type CursorCodec, countedConnection, jsonCursor, totalCountDescription } from './paging.js';
import { ReceivableRef, ReceivableStatusEnum } from './receivable.js';

const ReceivableSideEnum = builder.enumType('ReceivableSide', {
  values: screamingValues(['holder', 'obligor'] as const, {
    holder: 'Receivables the party holds.',
    obligor: 'Receivables it owes.',
  }),
});

const ReceivableOrderFieldEnum = builder.enumType('ReceivableOrderField', {
  description: 'What a receivables list is sorted by; ties are broken by id in the same direction.',
  values: screamingValues(receivableOrderFields, {
    id: 'The receivable id (the default).',
    due_date: 'The due date.',
    outstanding:
      'The amount still outstanding, in minor units (filter by currency to compare like with like).',
    face: 'The face amount, in minor units.',
    counterparty: "The other side's legal name: the obligor of held receivables, the holder of owed ones.",
    currency: 'The ISO 4217 code.',
    status: 'The effective status (OVERDUE included), alphabetically.',
  }),
});

const OrderDirectionEnum = builder.enumType('OrderDirection', {
  values: screamingValues(['asc', 'desc'] as const, { asc: 'Ascending.', desc: 'Descending.' }),
});

const ReceivableOrderInput = builder.inputType('ReceivableOrder', {
  fields: (t) => ({
    field: t.field({ type: ReceivableOrderFieldEnum, required: true }),
    direction: t.field({ type: OrderDirectionEnum, required: true, defaultValue: 'asc' }),
  }),
});

const CurrencyTotalRef = builder.objectRef<ReceivableTotal>('CurrencyTotal').implement({
  description: 'What a list of money holds in one currency: never summed across currencies.',
  fields: (t) => ({
    currency: t.expose('currency', { type: 'CurrencyCode' }),
    count: t.exposeInt('count'),
    face: t.field({ type: 'Decimal', resolve: (total) => formatAmount(total.faceMinor, total.currency) }),
    outstanding: t.field({
      type: 'Decimal',
      resolve: (total) => formatAmount(total.outstandingMinor, total.currency),
    }),
  }),
});

function badCursor(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

/** A cursor names its order; one made for another order is refused rather than misread. */
function cursorFor(order: ReceivableOrder): CursorCodec<ListedReceivable, ReceivablePosition> {
  const codec = jsonCursor<ListedReceivable, ReceivablePosition | 'other order'>(
    (receivable) => [order.field, order.direction, receivable.position.key, receivable.id],
    (position) => {
      if (!Array.isArray(position) || position.length !== 4) return null;
      const [field, direction, key, id] = position as unknown[];
      if (!isUuid(id) || (key !== null && (typeof key !== 'string' || key.length > 1000))) return null;
      if (field !== order.field || direction !== order.direction) return 'other order';
      if ((key === null) !== (order.field === 'id')) return null;
      return { key, id };
    },
  );
  return {
    encode: codec.encode,
    decode: (text) => {
      const position = codec.decode(text);
      if (position === 'other order') {
        throw badCursor('the cursor was made for another orderBy: page with the orderBy it came from');
      }
      return position;
    },
  };
}

builder.queryField('receivables', (t) =>
  t.connection(
    {
      type: ReceivableRef,
      authScopes: { authenticated: true },
      description:
        "A party's receivables as holder or obligor (the caller's own by default), filtered and sorted; by id unless orderBy says otherwise.",
      args: {
        side: t.arg({ type: ReceivableSideEnum, required: true }),
        partyId: t.arg({ type: 'UUID', required: false }),
        status: t.arg({ type: ReceivableStatusEnum, required: false }),
        statuses: t.arg({
          type: [ReceivableStatusEnum],
          required: false,
          description: 'Any of these statuses (with `status`: either).',
        }),
        currency: t.arg({ type: 'CurrencyCode', required: false }),
        counterpartyId: t.arg({
          type: 'UUID',
          required: false,
          description: 'The obligor of held receivables, the holder of owed ones.',
        }),
        dueFrom: t.arg({ type: 'Date', required: false, description: 'Due on or after this day.' }),
        dueTo: t.arg({ type: 'Date', required: false, description: 'Due on or before this day.' }),
        outstandingMin: t.arg({
          type: 'Decimal',
          required: false,
          description: "Outstanding at least this amount, in the receivable's own currency.",
        }),
        outstandingMax: t.arg({
          type: 'Decimal',
          required: false,
          description: "Outstanding at most this amount, in the receivable's own currency.",
        }),
        orderBy: t.arg({ type: ReceivableOrderInput, required: false }),
      },
      resolve: (_root, args, context) => {
        const actor = actorOf(context);
        const partyId = args.partyId ?? actor.partyId;
        const order: ReceivableOrder = args.orderBy ?? { field: 'id', direction: 'asc' };
        const options: ReceivableListOptions = {
          order,
          ...(args.status ? { status: args.status } : {}),
          ...(args.statuses ? { statuses: args.statuses } : {}),
          ...(args.currency ? { currency: args.currency } : {}),
          ...(args.counterpartyId ? { counterpartyPartyId: args.counterpartyId } : {}),
          ...(args.dueFrom ? { dueFrom: args.dueFrom } : {}),
          ...(args.dueTo ? { dueTo: args.dueTo } : {}),
          ...(args.outstandingMin ? { outstandingMin: args.outstandingMin } : {}),
          ...(args.outstandingMax ? { outstandingMax: args.outstandingMax } : {}),
        };
        let totals: Promise<ReceivableTotal[]> | null = null;
        const totalsOnce = () => {
          totals ??= totalListedReceivables(context.ledger, actor, args.side, partyId, options);
          return totals;
        };
        return countedConnection(
          args,
          cursorFor(order),
          (page) => listReceivables(context.ledger, actor, args.side, partyId, page, options),
          async () => (await totalsOnce()).reduce((sum, total) => sum + total.count, 0),
        ).then((connection) => ({ ...connection, totals: totalsOnce }));
      },
    },
    {
      name: 'ReceivableConnection',
      fields: (t) => ({
        totalCount: t.int({ description: totalCountDescription, resolve: (c) => c.totalCount() }),
        totals: t.field({
          type: [CurrencyTotalRef],
          description:
            'Count, face and outstanding per currency of every receivable that matches (all pages).',
          resolve: (c) => c.totals(),
        }),
      }),
    },
    { name: 'ReceivableEdge' },
  ),
);
