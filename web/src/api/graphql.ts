/**
 * Typed GraphQL documents for the console: gql.tada reads the committed schema's introspection
 * (graphql-env.d.ts, written by `npm run generate`), so a query that drifts from the API fails
 * `npm run typecheck`, not a user's click.
 */
import { initGraphQLTada } from 'gql.tada';
import type { introspection } from './graphql-env.js';

export const graphql = initGraphQLTada<{
  introspection: introspection;
  // Every tradeproof scalar travels as a string; amounts stay exact decimal strings end to end.
  scalars: {
    Decimal: string;
    CurrencyCode: string;
    UUID: string;
    DateTime: string;
    Date: string;
    HexBytes: string;
  };
}>();

export type { FragmentOf, ResultOf, VariablesOf } from 'gql.tada';
