import { errorCatalogue, errorCodes } from '../services/errors.js';
import { builder } from './builder.js';
import { DomainError } from './domain-error.js';
import { screamingValues } from './enums.js';

export const ErrorCodeEnum = builder.enumType('ErrorCode', {
  description: 'Every expected failure, one closed list (see services/errors.ts).',
  values: screamingValues(
    errorCodes,
    Object.fromEntries(errorCodes.map((code) => [code, errorCatalogue[code].description])),
  ),
});

builder.objectType(DomainError, {
  name: 'DomainError',
  description: 'An expected failure: nothing was written. `field` names the input at fault, when one is.',
  fields: (t) => ({
    code: t.field({ type: ErrorCodeEnum, resolve: (error) => error.code }),
    message: t.exposeString('message'),
    field: t.string({ nullable: true, resolve: (error) => error.field ?? null }),
    retryable: t.exposeBoolean('retryable'),
  }),
});
