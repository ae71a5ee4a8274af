/**
 * The GraphQL endpoint: authentication by `Authorization: Bearer <api key>`, request limits (see
 * request-limits.ts), the production posture (production.ts), unexpected errors masked (their
 * detail goes to the log, not the client), and GraphiQL served from this server when on (graphiql.ts).
 */
import { GraphQLError } from 'graphql';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { Ledger } from '../services/context.js';
import type { LogSigner } from '../services/ledger/log-signer.js';
import { authenticateApiKey } from '../services/registry/api-key.service.js';
import { useBadUserInputCode } from './bad-user-input.js';
import type { Context } from './context.js';
import { renderLocalGraphiql, useGraphiqlAssets } from './graphiql.js';
import {
  type CorsOrigins,
  corsPolicy,
  useIntrospectionForKeyHolders,
  useNoSuggestions,
  useVaryOnOrigin,
} from './production.js';
import { type GraphqlLimits, useRequestLimits, validationLimitPlugins } from './request-limits.js';
import { schema } from './schema.js';
import { databaseTrouble, maskError } from './unavailable.js';

export interface GraphqlOptions extends GraphqlLimits {
  ledger: Ledger;
  logSigner: LogSigner;
  graphiql: boolean;
  /** NODE_ENV=production: introspection needs a key, no field suggestions. Default false. */
  production?: boolean;
  /** Origins allowed cross-origin. Default: any origin, never with credentials. */
  corsOrigins?: CorsOrigins;
}

function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}

async function contextFor(request: Request, ledger: Ledger, logSigner: LogSigner): Promise<Context> {
  const header = request.headers.get('authorization');
  if (header === null) return { ledger, logSigner, actor: null, party: null };
  const secret = /^Bearer +(\S+)$/i.exec(header)?.[1];
  if (secret === undefined) throw unauthenticated('the Authorization header must be "Bearer <api key>"');
  const found = await authenticateApiKey(ledger.db, secret);
  if (!found) throw unauthenticated('unknown or revoked API key');
  return {
    ledger,
    logSigner,
    actor: { partyId: found.party.id, roles: found.party.roles, apiKeyId: found.apiKeyId },
    party: found.party,
  };
}

export function createGraphqlHandler(options: GraphqlOptions): YogaServerInstance<object, Context> {
  return createYoga<object, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: options.graphiql,
    // yoga's default page loads GraphiQL from a CDN; ours serves it from node_modules (graphiql.ts).
    renderGraphiQL: renderLocalGraphiql,
    landingPage: false,
    maskedErrors: { maskError },
    batching: false,
    // http.ts reads the body under REQUEST_BODY_BYTES_MAX before yoga sees it; yoga's own limit
    // re-streams every body through a web TransformStream, which cost more than the whole query.
    maxRequestBodySize: false,
    logging: 'warn',
    cors: corsPolicy(options.corsOrigins ?? 'any'),
    context: ({ request }) =>
      contextFor(request, options.ledger, options.logSigner).catch((error: unknown) => {
        throw databaseTrouble(error) ?? error;
      }),
    plugins: [
      useVaryOnOrigin(),
      ...(options.graphiql ? [useGraphiqlAssets()] : []),
      useBadUserInputCode(),
      useRequestLimits(options),
      ...validationLimitPlugins(options),
      ...(options.production ? [useIntrospectionForKeyHolders(), useNoSuggestions()] : []),
    ],
  });
}
