/** Financings and credit limits: the types, `financing(id)`, `financings` and `creditLimits`. */
import {
  type CreditLimitUse,
  creditLimits,
  dayCounts,
  effectiveFinancingStatuses,
  type FinancingListOptions,
  type FinancingResponse,
  type FinancingTotal,
  type FinancingView,
  findFinancing,
  findFinancings,
  formatRate,
  listFinancings,
  totalFinancings,
} from '../services/financing/index.js';
import { formatAmount } from '../services/money/money.js';
import { findVisibleReceivable } from '../services/receivables/index.js';
import { builder } from './builder.js';
import { actorOf } from './context.js';
import { domainErrors, unwrap } from './domain-error.js';
import { screamingValues } from './enums.js';
import { NodeRef } from './node.js';
import { countedConnection, instantIdCursor, totalCountDescription } from './paging.js';
import { PartyRef } from './party.js';
import { ReceivableRef } from './receivable.js';

export const FinancingStatusEnum = builder.enumType('FinancingStatus', {
  description:
    'REQUESTED -> OFFERED -> ACCEPTED -> DISBURSED -> REPAID or DEFAULTED; or DECLINED (every lender asked declined), WITHDRAWN, EXPIRED. EXPIRED, REPAID and DEFAULTED are read from the clock and the financed part.',
  values: screamingValues(effectiveFinancingStatuses),
});

export const DayCountEnum = builder.enumType('DayCount', {
  values: screamingValues(dayCounts, {
    act_360: 'Actual days over a 360-day year.',
    act_365f: 'Actual days over a fixed 365-day year.',
  }),
});

const FinancingRoleEnum = builder.enumType('FinancingRole', {
  values: screamingValues(['holder', 'lender'] as const, {
    holder: 'Financings the caller asked for.',
    lender: 'Financings addressed to the caller as a lender (its portfolio among them).',
  }),
});

const OfferStatusEnum = builder.enumType('FinancingOfferStatus', {
  values: screamingValues(['open', 'accepted', 'closed'] as const),
});

type Offer = FinancingResponse & { currency: string };

const money = (minor: bigint | null, currency: string) =>
  minor === null ? null : formatAmount(minor, currency);

const FinancingOfferRef = builder.objectRef<Offer>('FinancingOffer').implement({
  description:
    'A lender’s terms; days, discount and advance are computed by the server and signed by the lender.',
  fields: (t) => ({
    id: t.expose('id', { type: 'UUID' }),
    lender: t.field({ type: PartyRef, resolve: (offer) => offer.lenderPartyId }),
    status: t.field({
      type: OfferStatusEnum,
      resolve: (offer) => offer.status as 'open' | 'accepted' | 'closed',
    }),
    rate: t.field({
      type: 'Decimal',
      description: 'Annual rate as a decimal fraction: "0.045" is 4.5 %.',
      resolve: (offer) => formatRate(offer.rateMicros ?? 0n),
    }),
    dayCount: t.field({ type: DayCountEnum, resolve: (offer) => offer.dayCount ?? 'act_360' }),
    fee: t.field({ type: 'Decimal', resolve: (offer) => money(offer.feeMinor, offer.currency) ?? '0' }),
    advanceDate: t.field({ type: 'Date', resolve: (offer) => offer.advanceDate ?? '' }),
    days: t.int({ resolve: (offer) => offer.days ?? 0 }),
    discount: t.field({
      type: 'Decimal',
      resolve: (offer) => money(offer.discountMinor, offer.currency) ?? '0',
    }),
    advance: t.field({
      type: 'Decimal',
      description: 'amount - discount - fee: what the lender pays the holder.',
      resolve: (offer) => money(offer.advanceMinor, offer.currency) ?? '0',
    }),
    reportHash: t.string({
      description: 'SHA-256 of the verification report the lender relied on.',
      resolve: (offer) => offer.reportHash ?? '',
    }),
    eventId: t.expose('eventId', { type: 'UUID' }),
  }),
});

const FinancingDeclineRef = builder.objectRef<FinancingResponse>('FinancingDecline').implement({
  fields: (t) => ({
    lender: t.field({ type: PartyRef, resolve: (decline) => decline.lenderPartyId }),
    reason: t.string({ resolve: (decline) => decline.reason ?? '' }),
    eventId: t.expose('eventId', { type: 'UUID' }),
  }),
});

/** A receivable through the receivables' own visibility rule: null where the caller may not see it. */
async function visibleReceivable(context: Parameters<typeof actorOf>[0], id: string | null) {
  if (id === null) return null;
  const found = await findVisibleReceivable(context.ledger, actorOf(context), id);
  return found.ok ? found.value : null;
}

export const FinancingRef = builder.objectRef<FinancingView>('Financing').implement({
  description:
    'A holder’s request that lenders finance (part of) a receivable, the offers, and what became of it. The holder sees every offer; a lender sees its own.',
  interfaces: [NodeRef],
  fields: (t) => ({
    id: t.exposeID('id'),
    status: t.field({ type: FinancingStatusEnum, resolve: (financing) => financing.effectiveStatus }),
    currency: t.expose('currency', { type: 'CurrencyCode' }),
    amount: t.field({
      type: 'Decimal',
      resolve: (financing) => formatAmount(financing.amountMinor, financing.currency),
    }),
    receivableId: t.expose('receivableId', { type: 'UUID' }),
    receivable: t.field({
      type: ReceivableRef,
      nullable: true,
      description: 'Null once the caller may no longer see it (a lender asked, after the request closed).',
      resolve: (financing, _args, context) => visibleReceivable(context, financing.receivableId),
    }),
    holder: t.field({ type: PartyRef, resolve: (financing) => financing.holderPartyId }),
    obligor: t.field({ type: PartyRef, resolve: (financing) => financing.obligorPartyId }),
    lendersAsked: t.field({ type: [PartyRef], resolve: (financing) => financing.lenderPartyIds }),
    offers: t.field({
      type: [FinancingOfferRef],
      resolve: (financing) =>
        financing.responses
          .filter((response) => response.kind === 'offer')
          .map((response) => ({ ...response, currency: financing.currency })),
    }),
    declines: t.field({
      type: [FinancingDeclineRef],
      resolve: (financing) => financing.responses.filter((response) => response.kind === 'decline'),
    }),
    acceptedOfferId: t.expose('acceptedOfferId', { type: 'UUID', nullable: true }),
    lender: t.field({
      type: PartyRef,
      nullable: true,
      description: 'The lender whose offer was accepted.',
      resolve: (financing) => financing.lenderPartyId,
    }),
    childReceivableId: t.expose('childReceivableId', { type: 'UUID', nullable: true }),
    childReceivable: t.field({
      type: ReceivableRef,
      nullable: true,
      description:
        'The part split off to the lender at disbursement; it is repaid through the ordinary settlement.',
      resolve: (financing, _args, context) => visibleReceivable(context, financing.childReceivableId),
    }),
    paymentReference: t.exposeString('paymentReference', { nullable: true }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const CreditLimitScopeEnum = builder.enumType('CreditLimitScope', {
  values: screamingValues(['obligor', 'group'] as const, {
    obligor: 'One obligor.',
    group: 'An ownership group, named by its top company: it and every subsidiary below it.',
  }),
});

const CreditLimitRef = builder.objectRef<CreditLimitUse>('CreditLimit').implement({
  fields: (t) => ({
    scope: t.field({ type: CreditLimitScopeEnum, resolve: (limit) => limit.scope }),
    subject: t.field({ type: PartyRef, resolve: (limit) => limit.subjectPartyId }),
    currency: t.expose('currency', { type: 'CurrencyCode' }),
    limit: t.field({ type: 'Decimal', resolve: (limit) => formatAmount(limit.limitMinor, limit.currency) }),
    utilised: t.field({
      type: 'Decimal',
      description: "Outstanding of the lender's financed parts on the obligor or the group.",
      resolve: (limit) => formatAmount(limit.utilisedMinor, limit.currency),
    }),
    available: t.field({
      type: 'Decimal',
      description: 'limit - utilised (negative when the limit was lowered below what is outstanding).',
      resolve: (limit) => formatAmount(limit.availableMinor, limit.currency),
    }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

interface LenderLimits {
  lenderPartyId: string;
  limits: CreditLimitUse[];
}

const CreditLimitsRef = builder.objectRef<LenderLimits>('CreditLimits').implement({
  fields: (t) => ({
    lender: t.field({ type: PartyRef, resolve: (found) => found.lenderPartyId }),
    limits: t.field({ type: [CreditLimitRef], resolve: (found) => found.limits }),
  }),
});

const cursor = instantIdCursor<FinancingView, { createdAt: Date; id: string }>(
  (financing) => [financing.createdAt, financing.id],
  (createdAt, id) => ({ createdAt, id }),
);

builder.queryFields((t) => ({
  financing: t.field({
    type: FinancingRef,
    errors: domainErrors('FinancingResult'),
    authScopes: { authenticated: true },
    args: { id: t.arg({ type: 'UUID', required: true }) },
    resolve: async (_root, args, context) =>
      unwrap(await findFinancing(context.ledger, actorOf(context), args.id)),
  }),
  creditLimits: t.field({
    type: CreditLimitsRef,
    errors: domainErrors('CreditLimitsResult'),
    authScopes: { authenticated: true },
    description: "A lender's limits with what is utilised and available (the caller's own by default).",
    args: { lenderPartyId: t.arg({ type: 'UUID', required: false }) },
    resolve: async (_root, args, context) => {
      const actor = actorOf(context);
      const lenderPartyId = args.lenderPartyId ?? actor.partyId;
      return { lenderPartyId, limits: unwrap(await creditLimits(context.ledger, actor, lenderPartyId)) };
    },
  }),
}));

const FinancingTotalRef = builder.objectRef<FinancingTotal>('FinancingCurrencyTotal').implement({
  description: 'What a list of financings asks for in one currency: never summed across currencies.',
  fields: (t) => ({
    currency: t.expose('currency', { type: 'CurrencyCode' }),
    count: t.exposeInt('count'),
    amount: t.field({ type: 'Decimal', resolve: (total) => formatAmount(total.amountMinor, total.currency) }),
  }),
});

builder.queryField('financings', (t) =>
  t.connection(
    {
      type: FinancingRef,
      authScopes: { authenticated: true },
      description:
        'Financings the caller may see, oldest first: a holder its requests, a lender those addressed to it, auditors and administrators all.',
      args: {
        role: t.arg({ type: FinancingRoleEnum, required: false }),
        statuses: t.arg({ type: [FinancingStatusEnum], required: false }),
      },
      resolve: (_root, args, context) => {
        const actor = actorOf(context);
        const options: FinancingListOptions = {
          ...(args.role ? { side: args.role } : {}),
          ...(args.statuses ? { statuses: args.statuses } : {}),
        };
        let totals: Promise<FinancingTotal[]> | null = null;
        const totalsOnce = () => {
          totals ??= totalFinancings(context.ledger, actor, options);
          return totals;
        };
        return countedConnection(
          args,
          cursor,
          (page) => listFinancings(context.ledger, actor, page, options),
          async () => (await totalsOnce()).reduce((sum, total) => sum + total.count, 0),
        ).then((connection) => ({ ...connection, totals: totalsOnce }));
      },
    },
    {
      name: 'FinancingConnection',
      fields: (t) => ({
        totalCount: t.int({ description: totalCountDescription, resolve: (c) => c.totalCount() }),
        totals: t.field({
          type: [FinancingTotalRef],
          description: 'Count and amount asked per currency of every financing that matches (all pages).',
          resolve: (c) => c.totals(),
        }),
      }),
    },
    { name: 'FinancingEdge' },
  ),
);

builder.objectField(ReceivableRef, 'financing', (t) =>
  t.loadable({
    type: FinancingRef,
    nullable: true,
    description:
      'The financing request that holds this receivable (status EXPIRED once it lapsed), if the caller may see it.',
    load: async (ids: string[], context) => {
      const found = await findFinancings(context.ledger, actorOf(context), ids);
      return ids.map((id) => found.get(id) ?? null);
    },
    resolve: (receivable) => receivable.financingId,
  }),
);
