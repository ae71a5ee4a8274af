/** The Pothos builder and its plugins; it defines no types (each domain file does). */
import SchemaBuilder from '@pothos/core';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import ValidationPlugin from '@pothos/plugin-validation';
import { GraphQLError } from 'graphql';
import type { Context } from './context.js';
import { invalidInput } from './domain-error.js';

export const builder = new SchemaBuilder<{
  Context: Context;
  AuthScopes: { authenticated: boolean; platformAdmin: boolean };
  DefaultFieldNullability: false;
  Scalars: {
    ID: { Input: string; Output: string };
    Decimal: { Input: string; Output: string };
    CurrencyCode: { Input: string; Output: string };
    UUID: { Input: string; Output: string };
    DateTime: { Input: Date; Output: Date };
    Date: { Input: string; Output: string };
    HexBytes: { Input: string; Output: Buffer | string };
  };
}>({
  plugins: [ScopeAuthPlugin, ErrorsPlugin, ValidationPlugin, RelayPlugin, DataloaderPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authScopes: (context) => ({
      authenticated: context.actor !== null,
      platformAdmin: context.actor?.roles.includes('platform_admin') ?? false,
    }),
    unauthorizedError: (_parent, context) =>
      context.actor === null
        ? new GraphQLError('authentication required: send Authorization: Bearer <api key>', {
            extensions: { code: 'UNAUTHENTICATED' },
          })
        : new GraphQLError('not allowed for this API key', { extensions: { code: 'FORBIDDEN' } }),
  },
  // Input validation runs before field resolution; this returns its failures as DomainError union
  // members too. They describe only the shape of the caller's own input, so nothing leaks ahead of
  // authorization, and the services still check every rule.
  errors: { defaultTypes: [], unsafelyHandleInputErrors: true },
  validation: {
    validationError: (failure) => invalidInput(failure.issues),
  },
  relay: { cursorType: 'String', clientMutationId: 'omit' },
});
