import {
  checkFingerprint,
  type FingerprintStanding,
} from '../services/receivables/fingerprint-check.service.js';
import { builder } from './builder.js';
import { actorOf } from './context.js';
import { domainErrors, unwrap } from './domain-error.js';

const FingerprintCheckRef = builder.objectRef<FingerprintStanding>('FingerprintCheck').implement({
  description: 'What this ledger knows of an invoice fingerprint, and nothing more.',
  fields: (t) => ({
    confirmed: t.exposeBoolean('confirmed', {
      description: 'An invoice with this fingerprint was confirmed by its buyer here and is not cancelled.',
    }),
    financed: t.exposeBoolean('financed', {
      description: 'A financing was disbursed here on a receivable of such an invoice.',
    }),
  }),
});

builder.queryFields((t) => ({
  checkFingerprint: t.field({
    type: FingerprintCheckRef,
    errors: domainErrors('CheckFingerprintResult'),
    authScopes: { authenticated: true },
    description:
      'Lenders, auditors and platform administrators: whether an invoice with this blinded fingerprint ' +
      '(HMAC-SHA-256 under FINGERPRINT_KEY, 64 hex characters; `npm run fingerprint`) is confirmed or financed here.',
    args: { fingerprint: t.arg.string({ required: true }) },
    resolve: async (_root, args, context) =>
      unwrap(await checkFingerprint(context.ledger, actorOf(context), args.fingerprint)),
  }),
}));
