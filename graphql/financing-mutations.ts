/**
 * prepare… mutations of the financing flow and of credit limits. Each returns the statement to sign;
 * submitStatement appends it (signed by the party's own key, or, without a signature, by its
 * custodial key), as for every other fact.
 */
import {
  creditLimitSetKind,
  financingDeclinedKind,
  financingDisbursedKind,
  financingOfferAcceptedKind,
  financingOfferedKind,
  financingRequestedKind,
  financingWithdrawnKind,
} from '../services/financing/index.js';
import { builder } from './builder.js';
import { CreditLimitScopeEnum, DayCountEnum } from './financing.js';
import { prepareMutation } from './statement.js';

const idempotencyKeyField = { required: true, description: 'Client-chosen key (1-128 chars).' } as const;

const FinancingRequestInput = builder.inputType('FinancingRequestInput', {
  description:
    'The holder asks 1 to 10 lenders to finance `amount` (at most the outstanding) of a receivable. The server states when the request expires.',
  fields: (t) => ({
    receivableId: t.field({ type: 'UUID', required: true }),
    lenderPartyIds: t.field({ type: ['UUID'], required: true }),
    amount: t.field({ type: 'Decimal', required: true }),
    financingId: t.field({ type: 'UUID', required: false }),
    idempotencyKey: t.string(idempotencyKeyField),
  }),
});

const FinancingIdInput = builder.inputType('FinancingWithdrawalInput', {
  description: 'The holder withdraws its request while no offer is accepted.',
  fields: (t) => ({
    financingId: t.field({ type: 'UUID', required: true }),
    idempotencyKey: t.string(idempotencyKeyField),
  }),
});

const FinancingOfferInput = builder.inputType('FinancingOfferInput', {
  description:
    'A lender asked offers terms; the server computes days, discount and advance and states them in the statement.',
  fields: (t) => ({
    financingId: t.field({ type: 'UUID', required: true }),
    rate: t.field({
      type: 'Decimal',
      required: true,
      description: 'Annual, as a decimal fraction with at most 6 decimals, 0 <= rate < 1: "0.045" is 4.5 %.',
    }),
    dayCount: t.field({ type: DayCountEnum, required: true }),
    fee: t.field({ type: 'Decimal', required: true }),
    advanceDate: t.field({ type: 'Date', required: true }),
    reportHash: t.field({
      type: 'HexBytes',
      required: true,
      description: 'SHA-256 of the verification report relied on.',
    }),
    offerId: t.field({ type: 'UUID', required: false }),
    idempotencyKey: t.string(idempotencyKeyField),
  }),
});

const FinancingDeclineInput = builder.inputType('FinancingDeclineInput', {
  fields: (t) => ({
    financingId: t.field({ type: 'UUID', required: true }),
    reason: t.string({ required: true }),
    idempotencyKey: t.string(idempotencyKeyField),
  }),
});

const OfferAcceptanceInput = builder.inputType('OfferAcceptanceInput', {
  description: 'The holder accepts exactly one open offer; the others close.',
  fields: (t) => ({
    financingId: t.field({ type: 'UUID', required: true }),
    offerId: t.field({ type: 'UUID', required: true }),
    idempotencyKey: t.string(idempotencyKeyField),
  }),
});

const DisbursementInput = builder.inputType('DisbursementInput', {
  description:
    'The accepted lender states it paid: the financed amount is split off to it as a child receivable.',
  fields: (t) => ({
    financingId: t.field({ type: 'UUID', required: true }),
    amount: t.field({ type: 'Decimal', required: true, description: 'Exactly the financed amount.' }),
    paymentReference: t.string({ required: true }),
    childReceivableId: t.field({ type: 'UUID', required: false }),
    idempotencyKey: t.string(idempotencyKeyField),
  }),
});

const CreditLimitInput = builder.inputType('CreditLimitInput', {
  description: 'A lender sets its limit on an obligor, or on an ownership group named by its top company.',
  fields: (t) => ({
    scope: t.field({ type: CreditLimitScopeEnum, required: true }),
    subjectPartyId: t.field({ type: 'UUID', required: true }),
    currency: t.field({ type: 'CurrencyCode', required: true }),
    limit: t.field({ type: 'Decimal', required: true }),
    idempotencyKey: t.string(idempotencyKeyField),
  }),
});

const financingMutations = [
  ['prepareFinancingRequest', FinancingRequestInput, financingRequestedKind, ['financingId']],
  ['prepareFinancingWithdrawal', FinancingIdInput, financingWithdrawnKind, []],
  ['prepareFinancingOffer', FinancingOfferInput, financingOfferedKind, ['offerId']],
  ['prepareFinancingDecline', FinancingDeclineInput, financingDeclinedKind, []],
  ['prepareOfferAcceptance', OfferAcceptanceInput, financingOfferAcceptedKind, []],
  ['prepareDisbursement', DisbursementInput, financingDisbursedKind, ['childReceivableId']],
  ['prepareCreditLimit', CreditLimitInput, creditLimitSetKind, []],
] as const;

for (const [name, Input, kind, generatedIds] of financingMutations) {
  prepareMutation(name, Input, kind, generatedIds);
}
