/** The whole schema: importing each domain file registers its types on the builder. */
import { lexicographicSortSchema, printSchema } from 'graphql';
import { builder } from './builder.js';
import './scalars.js';
import './error-types.js';
import './node.js';
import './party.js';
import './event.js';
import './party-key.js';
import './statement.js';
import './statement-batch.js';
import './trade-document.js';
import './trade-mutations.js';
import './receivable.js';
import './receivable-list.js';
import './receivable-mutations.js';
import './financing.js';
import './financing-mutations.js';
import './exposure-stress.js';
import './log.js';
import './witness.js';
import './webhook.js';
import './fingerprint.js';
import './alert.js';
import './verification-report.js';
import './exposure.js';
import './trace-funds.js';

builder.queryType({});
builder.mutationType({});

export const schema = builder.toSchema();

/** The printed, sorted schema committed as graphql/schema.graphql. */
export function printSortedSchema(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
