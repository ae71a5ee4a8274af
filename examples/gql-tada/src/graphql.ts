/**
 * gql.tada for a tradeproof client: documents typed from the committed schema, by TypeScript alone.
 * src/graphql-env.d.ts is generated (`npx gql-tada generate output` here, or `npm run generate` at
 * the root, which also rewrites graphql/schema.graphql).
 */
import { initGraphQLTada } from 'gql.tada';
import type { introspection } from './graphql-env.js';

export const graphql = initGraphQLTada<{
  introspection: introspection;
  // Every tradeproof scalar travels as a string; see the scalar table in the README.
  scalars: {
    Decimal: string; // exact decimal, "1250000.00": never parse it into a float
    CurrencyCode: string; // ISO 4217, "CNY"
    UUID: string; // RFC 9562, lowercase
    DateTime: string; // RFC 3339 date-time with an offset, "2026-11-27T08:30:00Z"
    Date: string; // RFC 3339 full-date, "2026-11-27"
    HexBytes: string; // hex, two digits a byte
  };
}>();

export type { FragmentOf, ResultOf, VariablesOf } from 'gql.tada';
