/**
 * GraphQL Code Generator for a tradeproof client: typed documents from the committed schema.
 * Run it here: `npx graphql-codegen` (from examples/codegen), and src/gql/ appears.
 */
import type { CodegenConfig } from '@graphql-codegen/cli';

/** Every tradeproof scalar travels as a string; see the scalar table in the README. */
const scalars = {
  Decimal: 'string', // exact decimal, "1250000.00": never parse it into a float
  CurrencyCode: 'string', // ISO 4217, "CNY"
  UUID: 'string', // RFC 9562, lowercase
  DateTime: 'string', // RFC 3339 date-time with an offset, "2026-11-27T08:30:00Z"
  Date: 'string', // RFC 3339 full-date, "2026-11-27"
  HexBytes: 'string', // hex, two digits a byte
};

const config: CodegenConfig = {
  schema: '../../graphql/schema.graphql',
  documents: ['src/**/*.ts', '!src/gql/**'],
  generates: {
    'src/gql/': {
      preset: 'client',
      config: {
        scalars,
        // A scalar missing from the map is an error, not a silent `any`.
        strictScalars: true,
        enumsAsTypes: true,
        useTypeImports: true,
      },
    },
  },
};

export default config;
