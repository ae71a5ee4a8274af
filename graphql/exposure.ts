/** `exposure`: who is exposed to a party (UPSTREAM) and what it is exposed to (DOWNSTREAM). */
import {
  type DepthTotals,
  type Exposure,
  type ExposureLink,
  type ExposureRow,
  exposureDepthMax,
  exposureDirections,
} from '../services/exposure/exposure.js';
import { exposure } from '../services/exposure/exposure.service.js';
import { formatAmount } from '../services/money/money.js';
import { builder } from './builder.js';
import { actorOf } from './context.js';
import { domainErrors, unwrap } from './domain-error.js';
import { screamingValues } from './enums.js';
import { levelKey, listConnection } from './paging.js';
import { PartyRef } from './party.js';
import { selectsField } from './selection.js';

const ExposureDirectionEnum = builder.enumType('ExposureDirection', {
  values: screamingValues(exposureDirections, {
    upstream: 'Who is exposed to the party: holders of claims on it, then holders of claims on those.',
    downstream: 'What the party is exposed to: obligors of the claims it holds, then theirs.',
  }),
});

type Priced<T> = T & { currency: string };

export const asOfDescription =
  'Answer as the ledger stood at this instant (from the balance history kept with every change); omit for now. Not after the server’s time.';

const ExposurePartyRef = builder.objectRef<Priced<ExposureRow>>('ExposureParty').implement({
  description:
    'A party the walk reached, once, at its shortest depth. claim and its overdue, defaulted and onHold parts link it to the parties of the previous depth: UPSTREAM its claims on them, DOWNSTREAM theirs on it.',
  fields: (t) => ({
    party: t.field({ type: PartyRef, resolve: (row) => row.partyId }),
    depth: t.exposeInt('depth'),
    directClaim: t.field({
      type: 'Decimal',
      description:
        'UPSTREAM: its claims on the party asked about; DOWNSTREAM: the asked party’s claims on it. "0" when reached only through others.',
      resolve: (row) => formatAmount(row.directClaimMinor, row.currency),
    }),
    claimOnPreviousDepth: t.field({
      type: 'Decimal',
      resolve: (row) => formatAmount(row.claimMinor, row.currency),
    }),
    overdue: t.field({ type: 'Decimal', resolve: (row) => formatAmount(row.overdueMinor, row.currency) }),
    defaulted: t.field({ type: 'Decimal', resolve: (row) => formatAmount(row.defaultedMinor, row.currency) }),
    onHold: t.field({ type: 'Decimal', resolve: (row) => formatAmount(row.onHoldMinor, row.currency) }),
    tierMin: t.exposeInt('tierMin', {
      description:
        'The shallowest tier of those claims: the number of splits (transfer hops, a financing’s part counting one) from the confirmed receivable.',
    }),
    tierMax: t.exposeInt('tierMax', { description: 'The deepest tier of those claims.' }),
    hopsMin: t.exposeInt('tierMin', {
      description:
        'The fewest transfer hops behind those claims from the confirmed invoice to their holder (each transfer, and a financing’s disbursement, passes a part one tier deeper, so this equals tierMin).',
    }),
    hopsMax: t.exposeInt('tierMax', {
      description: 'The most transfer hops behind those claims (equals tierMax).',
    }),
  }),
});

const ExposureDepthRef = builder.objectRef<Priced<DepthTotals>>('ExposureDepth').implement({
  description: 'The parties of one depth, summed.',
  fields: (t) => ({
    depth: t.exposeInt('depth'),
    partyCount: t.exposeInt('partyCount'),
    directClaim: t.field({
      type: 'Decimal',
      resolve: (total) => formatAmount(total.directClaimMinor, total.currency),
    }),
    claimOnPreviousDepth: t.field({
      type: 'Decimal',
      resolve: (total) => formatAmount(total.claimMinor, total.currency),
    }),
    overdue: t.field({
      type: 'Decimal',
      resolve: (total) => formatAmount(total.overdueMinor, total.currency),
    }),
    defaulted: t.field({
      type: 'Decimal',
      resolve: (total) => formatAmount(total.defaultedMinor, total.currency),
    }),
    onHold: t.field({ type: 'Decimal', resolve: (total) => formatAmount(total.onHoldMinor, total.currency) }),
  }),
});

const ExposureLinkRef = builder.objectRef<ExposureLink & { currency: string }>('ExposureLink').implement({
  description:
    'The claims joining a party of the previous depth (nearer; at depth 1 the party asked about) to one of this depth (farther): UPSTREAM the farther party’s claims on the nearer, DOWNSTREAM the nearer party’s claims on the farther.',
  fields: (t) => ({
    depth: t.exposeInt('depth', { description: 'The depth of the farther party.' }),
    nearer: t.field({ type: PartyRef, resolve: (link) => link.nearPartyId }),
    farther: t.field({ type: PartyRef, resolve: (link) => link.farPartyId }),
    claim: t.field({ type: 'Decimal', resolve: (link) => formatAmount(link.claimMinor, link.currency) }),
  }),
});

const ExposureRef = builder.objectRef<Exposure>('Exposure').implement({
  description:
    'A claim is a receivable neither settled nor cancelled; its amount is its outstanding. A part split off and passed on is its holder’s claim on the original obligor.',
  fields: (t) => ({
    party: t.field({ type: PartyRef, resolve: (answer) => answer.partyId }),
    direction: t.field({ type: ExposureDirectionEnum, resolve: (answer) => answer.direction }),
    maxDepth: t.exposeInt('maxDepth'),
    currency: t.expose('currency', { type: 'CurrencyCode' }),
    overdueCutoff: t.field({
      type: 'Date',
      description: 'Claims due before this day, open or partially settled, are overdue.',
      resolve: (answer) => answer.overdueCutoff,
    }),
    asOf: t.expose('asOf', {
      type: 'DateTime',
      nullable: true,
      description: 'The instant answered for; null for now.',
    }),
    parties: t.connection(
      {
        type: ExposurePartyRef,
        description: 'By depth, then party id.',
        resolve: (answer, args) =>
          listConnection(
            args,
            answer.rows.map((row) => ({ ...row, currency: answer.currency })),
            (row) => levelKey(row.depth, row.partyId),
          ),
      },
      {
        name: 'ExposurePartyConnection',
        fields: (t) => ({
          totalCount: t.int({ description: 'Every party the walk reached.', resolve: (c) => c.totalCount() }),
        }),
      },
      { name: 'ExposurePartyEdge' },
    ),
    depths: t.field({
      type: [ExposureDepthRef],
      resolve: (answer) => answer.totals.map((total) => ({ ...total, currency: answer.currency })),
    }),
    links: t.connection(
      {
        type: ExposureLinkRef,
        description:
          'The walk edge by edge, by depth, then farther party, then nearer party: a party’s links sum to its claimOnPreviousDepth. Read on the same snapshot as parties, only when selected.',
        resolve: (answer, args) =>
          listConnection(
            args,
            (answer.links ?? []).map((link) => ({ ...link, currency: answer.currency })),
            (link) => levelKey(link.depth, `${link.farPartyId} ${link.nearPartyId}`),
          ),
      },
      {
        name: 'ExposureLinkConnection',
        fields: (t) => ({
          totalCount: t.int({ description: 'Every link of the walk.', resolve: (c) => c.totalCount() }),
        }),
      },
      { name: 'ExposureLinkEdge' },
    ),
  }),
});

builder.queryField('exposure', (t) =>
  t.field({
    type: ExposureRef,
    errors: domainErrors('ExposureResult'),
    authScopes: { authenticated: true },
    description: `Credit exposure through the claim graph in one currency, as the ledger stands now or stood at asOf, breadth first to maxDepth (1 to ${exposureDepthMax}). Seen by the party itself, a lender financing it or asked to, auditors and administrators.`,
    args: {
      partyId: t.arg({ type: 'UUID', required: true }),
      direction: t.arg({ type: ExposureDirectionEnum, required: true }),
      maxDepth: t.arg.int({ required: true }),
      currency: t.arg({ type: 'CurrencyCode', required: true }),
      asOf: t.arg({ type: 'DateTime', required: false, description: asOfDescription }),
    },
    resolve: async (_root, args, context, info) =>
      unwrap(
        await exposure(
          context.ledger,
          actorOf(context),
          {
            partyId: args.partyId,
            direction: args.direction,
            maxDepth: args.maxDepth,
            currency: args.currency,
            asOf: args.asOf ?? null,
          },
          new Date(),
          { links: selectsField(info, 'links') },
        ),
      ),
  }),
);
