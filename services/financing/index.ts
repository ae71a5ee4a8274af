/**
 * Financing: requests to lenders, offers and declines, acceptance, disbursement (repayment is the
 * child receivable's settlement), and credit limits. Importing this module registers every financing
 * fact kind.
 */
import './credit-limit-set.fact.js';
import './financing-declined.fact.js';
import './financing-disbursed.fact.js';
import './financing-offer-accepted.fact.js';
import './financing-offered.fact.js';
import './financing-requested.fact.js';
import './financing-withdrawn.fact.js';

export { type CreditLimitUse, lenderPortfolio, type ObligorUse } from './credit-limit.js';
export {
  type CreditLimitSetPayload,
  creditLimitScopes,
  creditLimitSetKind,
} from './credit-limit-set.fact.js';
export * from './discount.js';
export * from './financing.js';
export { type FinancingDeclinedPayload, financingDeclinedKind } from './financing-declined.fact.js';
export { type FinancingDisbursedPayload, financingDisbursedKind } from './financing-disbursed.fact.js';
export {
  type FinancingOfferAcceptedPayload,
  financingOfferAcceptedKind,
} from './financing-offer-accepted.fact.js';
export { type FinancingOfferedPayload, financingOfferedKind } from './financing-offered.fact.js';
export * from './financing-query.service.js';
export { type FinancingRequestedPayload, financingRequestedKind } from './financing-requested.fact.js';
export { type FinancingWithdrawnPayload, financingWithdrawnKind } from './financing-withdrawn.fact.js';
