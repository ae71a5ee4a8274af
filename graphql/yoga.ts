/**
 * The GraphQL endpoint: authentication by `Authorization: Bearer <api key>`, query depth, cost and
 * alias limits, unexpected errors masked (their detail goes to the log, not the client).
 */
import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { GraphQLError } from 'graphql';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { LogSigner } from '../services/ledger/log-signer.js';
import type { Ledger } from '../services/ledger.js';
import { authenticateApiKey } from '../services/parties/api-key.service.js';
import type { Context } from './context.js';
import { schema } from './schema.js';

export interface GraphqlLimits {
  queryDepthMax: number;
  queryCostMax: number;
  queryAliasesMax: number;
}

export interface GraphqlOptions extends GraphqlLimits {
  ledger: Ledger;
  logSigner: LogSigner;
  graphiql: boolean;
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
    landingPage: false,
    maskedErrors: true,
    batching: false,
    logging: 'warn',
    context: ({ request }) => contextFor(request, options.ledger, options.logSigner),
    plugins: [
      maxDepthPlugin({ n: options.queryDepthMax, ignoreIntrospection: true, exposeLimits: true }),
      costLimitPlugin({ maxCost: options.queryCostMax, ignoreIntrospection: true, exposeLimits: true }),
      maxAliasesPlugin({ n: options.queryAliasesMax, exposeLimits: true }),
    ],
  });
}
