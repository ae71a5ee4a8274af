/** The default stress test and a lender's concentration: `stressTest` and `lenderExposure`. */

import type { Concentration, CurrencyPortfolio } from '../services/exposure/lender-exposure.js';
import type { LenderLimitUse } from '../services/exposure/lender-exposure.service.js';
import { type LenderExposure, lenderExposure } from '../services/exposure/lender-exposure.service.js';
import type { Share, StressedLender, StressedParty } from '../services/exposure/stress.js';
import { type StressAnswer, stressTest } from '../services/exposure/stress.service.js';
import { formatRate } from '../services/financing/index.js';
import { formatAmount } from '../services/money/money.js';
import { builder } from './builder.js';
import { actorOf } from './context.js';
import { domainErrors, unwrap } from './domain-error.js';
import { asOfDescription } from './exposure.js';
import { CreditLimitScopeEnum } from './financing.js';
import { type CountedConnection, levelKey, listConnection } from './paging.js';
import { PartyRef } from './party.js';

const RatioRef = builder.objectRef<Share>('Ratio').implement({
  description:
    'An exact non-negative fraction in lowest terms, numerator and denominator as integer strings.',
  fields: (t) => ({
    numerator: t.string({ resolve: (ratio) => ratio.numerator.toString() }),
    denominator: t.string({ resolve: (ratio) => ratio.denominator.toString() }),
  }),
});

type InCurrency<T> = T & { currency: string };

const StressedPartyRef = builder.objectRef<InCurrency<StressedParty>>('StressedParty').implement({
  fields: (t) => ({
    party: t.field({ type: PartyRef, resolve: (row) => row.partyId }),
    level: t.exposeInt('level', {
      description: '1 for holders of claims on the obligor, k + 1 for their creditors.',
    }),
    loss: t.field({ type: 'Decimal', resolve: (row) => formatAmount(row.lossMinor, row.currency) }),
    exposed: t.field({
      type: 'Decimal',
      description: 'Its claims on the parties of the level before (on the obligor at level 1).',
      resolve: (row) => formatAmount(row.exposedMinor, row.currency),
    }),
    held: t.field({
      type: 'Decimal',
      description: 'Every claim it holds in the currency: the denominator of its loss share.',
      resolve: (row) => formatAmount(row.heldMinor, row.currency),
    }),
    lossShare: t.field({ type: RatioRef, description: 'min(1, loss / held).', resolve: (row) => row.share }),
  }),
});

const StressedLenderRef = builder.objectRef<InCurrency<StressedLender>>('StressedLender').implement({
  fields: (t) => ({
    lender: t.field({ type: PartyRef, resolve: (row) => row.lenderPartyId }),
    level: t.exposeInt('level'),
    financedExposed: t.field({
      type: 'Decimal',
      description: 'Its financed claims on the parties of the level before.',
      resolve: (row) => formatAmount(row.financedExposedMinor, row.currency),
    }),
    financedLoss: t.field({
      type: 'Decimal',
      resolve: (row) => formatAmount(row.financedLossMinor, row.currency),
    }),
  }),
});

const StressTestRef = builder.objectRef<StressAnswer>('StressTest').implement({
  fields: (t) => ({
    obligor: t.field({ type: PartyRef, resolve: (answer) => answer.obligorPartyId }),
    lossGivenDefault: t.field({
      type: 'Decimal',
      resolve: (answer) => formatRate(answer.lossGivenDefaultMicros),
    }),
    maxDepth: t.exposeInt('maxDepth'),
    currency: t.expose('currency', { type: 'CurrencyCode' }),
    totalLoss: t.field({
      type: 'Decimal',
      resolve: (answer) => formatAmount(answer.totalLossMinor, answer.currency),
    }),
    asOf: t.expose('asOf', {
      type: 'DateTime',
      nullable: true,
      description: 'The instant answered for; null for now.',
    }),
    parties: t.connection(
      {
        type: StressedPartyRef,
        description: 'By level, then party id.',
        resolve: (answer, args) =>
          listConnection(
            args,
            answer.parties.map((row) => ({ ...row, currency: answer.currency })),
            (row) => levelKey(row.level, row.partyId),
          ),
      },
      {
        name: 'StressedPartyConnection',
        fields: (t) => ({
          totalCount: t.int({ description: 'Every party that lost.', resolve: (c) => c.totalCount() }),
        }),
      },
      { name: 'StressedPartyEdge' },
    ),
    lenders: t.connection(
      {
        type: StressedLenderRef,
        description: 'By level, then lender id.',
        resolve: (answer, args) =>
          listConnection(
            args,
            answer.lenders.map((row) => ({ ...row, currency: answer.currency })),
            (row) => levelKey(row.level, row.lenderPartyId),
          ),
      },
      {
        name: 'StressedLenderConnection',
        fields: (t) => ({
          totalCount: t.int({ description: 'Every lender reached.', resolve: (c) => c.totalCount() }),
        }),
      },
      { name: 'StressedLenderEdge' },
    ),
  }),
});

const ConcentrationRef = builder.objectRef<InCurrency<Concentration>>('Concentration').implement({
  fields: (t) => ({
    party: t.field({
      type: PartyRef,
      description: 'The obligor, or the top of the group.',
      resolve: (row) => row.partyId,
    }),
    outstanding: t.field({
      type: 'Decimal',
      resolve: (row) => formatAmount(row.outstandingMinor, row.currency),
    }),
    shareBasisPoints: t.int({
      description: 'Of the portfolio in the currency, rounded half-even.',
      resolve: (row) => Number(row.shareBasisPoints),
    }),
  }),
});

/** Positions in the answer's own order (largest first): stable for as long as the holdings are. */
function concentrationConnection(
  args: Parameters<typeof listConnection>[0],
  rows: readonly Concentration[],
  currency: string,
) {
  return listConnection(
    args,
    rows.map((row, index) => ({ ...row, currency, index })),
    (row) => levelKey(row.index, row.partyId),
  );
}

// One connection type for obligors and groups: both list Concentration nodes.
const ConcentrationConnection = builder.connectionObject(
  {
    type: ConcentrationRef,
    name: 'ConcentrationConnection',
    fields: (t) => ({
      totalCount: t.int({
        description: 'How many there are.',
        resolve: (c) => (c as unknown as CountedConnection<unknown>).totalCount(),
      }),
    }),
  },
  { name: 'ConcentrationEdge' },
);

const LenderPortfolioRef = builder.objectRef<CurrencyPortfolio>('LenderPortfolio').implement({
  fields: (t) => ({
    currency: t.expose('currency', { type: 'CurrencyCode' }),
    total: t.field({ type: 'Decimal', resolve: (row) => formatAmount(row.totalMinor, row.currency) }),
    obligors: t.connection(
      {
        type: ConcentrationRef,
        description: 'Largest first (then party id).',
        resolve: (row, args) => concentrationConnection(args, row.obligors, row.currency),
      },
      ConcentrationConnection,
    ),
    groups: t.connection(
      {
        type: ConcentrationRef,
        description: 'Ownership groups named by their top company, largest first (then party id).',
        resolve: (row, args) => concentrationConnection(args, row.groups, row.currency),
      },
      ConcentrationConnection,
    ),
    herfindahlBasisPoints: t.int({
      description: 'Sum of squared obligor shares x 10,000, rounded half-even once: 0 to 10,000.',
      resolve: (row) => Number(row.herfindahlBasisPoints),
    }),
  }),
});

const LenderLimitRef = builder.objectRef<LenderLimitUse>('LenderLimit').implement({
  fields: (t) => ({
    scope: t.field({ type: CreditLimitScopeEnum, resolve: (limit) => limit.scope }),
    subject: t.field({ type: PartyRef, resolve: (limit) => limit.subjectPartyId }),
    currency: t.expose('currency', { type: 'CurrencyCode' }),
    limit: t.field({ type: 'Decimal', resolve: (limit) => formatAmount(limit.limitMinor, limit.currency) }),
    utilised: t.field({
      type: 'Decimal',
      resolve: (limit) => formatAmount(limit.utilisedMinor, limit.currency),
    }),
    breached: t.exposeBoolean('breached', { description: 'utilised > limit.' }),
  }),
});

const LenderExposureRef = builder.objectRef<LenderExposure>('LenderExposure').implement({
  fields: (t) => ({
    lender: t.field({ type: PartyRef, resolve: (found) => found.lenderPartyId }),
    asOf: t.expose('asOf', {
      type: 'DateTime',
      nullable: true,
      description: 'The instant answered for; null for now.',
    }),
    portfolios: t.field({
      type: [LenderPortfolioRef],
      description: 'One per currency.',
      resolve: (f) => f.portfolios,
    }),
    limits: t.field({ type: [LenderLimitRef], resolve: (found) => found.limits }),
    breaches: t.field({ type: [LenderLimitRef], resolve: (found) => found.breaches }),
  }),
});

builder.queryFields((t) => ({
  stressTest: t.field({
    type: StressTestRef,
    errors: domainErrors('StressTestResult'),
    authScopes: { authenticated: true },
    description:
      'What the default of the obligor would cost the holders of claims on it and, level by level, their creditors (for the obligor, its lenders, auditors and administrators).',
    args: {
      obligorId: t.arg({ type: 'UUID', required: true }),
      lossGivenDefault: t.arg({
        type: 'Decimal',
        required: true,
        description: '0 to 1, at most six decimals.',
      }),
      maxDepth: t.arg.int({ required: true, description: '1 to 8 levels.' }),
      currency: t.arg({ type: 'CurrencyCode', required: true }),
      asOf: t.arg({ type: 'DateTime', required: false, description: asOfDescription }),
    },
    resolve: async (_root, args, context) =>
      unwrap(
        await stressTest(context.ledger, actorOf(context), {
          obligorPartyId: args.obligorId,
          lossGivenDefault: args.lossGivenDefault,
          maxDepth: args.maxDepth,
          currency: args.currency,
          asOf: args.asOf ?? null,
        }),
      ),
  }),
  lenderExposure: t.field({
    type: LenderExposureRef,
    errors: domainErrors('LenderExposureResult'),
    authScopes: { authenticated: true },
    description:
      "What a lender holds through financing, per obligor and group, against its limits (the caller's own by default).",
    args: {
      lenderId: t.arg({ type: 'UUID', required: false }),
      asOf: t.arg({ type: 'DateTime', required: false, description: asOfDescription }),
    },
    resolve: async (_root, args, context) => {
      const actor = actorOf(context);
      return unwrap(
        await lenderExposure(context.ledger, actor, args.lenderId ?? actor.partyId, args.asOf ?? null),
      );
    },
  }),
}));
