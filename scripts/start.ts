/**
 * `npm start`: the ledger on the embedded PostgreSQL (or DATABASE_URL), the GraphQL server, and a
 * clean stop on SIGINT/SIGTERM (in-flight requests finish, the database server shuts down). The stop
 * never takes much longer than SHUTDOWN_GRACE_MS, even when the database is gone: exit code 0 when
 * everything stopped cleanly, 1 when something did not (the last line says what).
 */
import { graphqlLimits, graphqlPosture, startHttpServer } from '../graphql/http.js';
import { ConfigError, loadConfig } from '../services/config.js';
import { shutdownMarginMs, startRuntime } from './runtime.js';

const log = (line: string) => console.log(`[tradeproof] ${line}`);

async function main(): Promise<void> {
  // Until the server listens, a signal just exits; the exit hook asks the database server to stop.
  let stop = (signal: string): void | Promise<void> => {
    log(`${signal} while starting: stopping`);
    process.exit(1);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(signal));
  const config = loadConfig();
  const runtime = await startRuntime(config, log);
  const server = await startHttpServer({
    ledger: runtime.ledger,
    logSigner: runtime.logSigner,
    host: config.host,
    port: config.port,
    requestBodyBytesMax: config.requestBodyBytesMax,
    ...graphqlLimits(config),
    ...graphqlPosture(config),
  }).catch(async (error) => {
    await runtime.close();
    throw error;
  });
  if (runtime.adminApiKey !== null && runtime.custodyKeyFile !== null) {
    log(
      `first start: ${runtime.custodyKeyFile} holds CUSTODY_KEY, the key sealing every custodial private ` +
        'key: back it up separately, and keep it out of shared backups of the data',
    );
  }
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
  stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: finishing in-flight requests, then stopping`);
    const deadlineMs = config.shutdownGraceMs + shutdownMarginMs;
    // The embedded server, if still running, gets its shutdown request from the exit hook.
    setTimeout(() => {
      log(
        `stopping took longer than ${deadlineMs} ms (SHUTDOWN_GRACE_MS + ${shutdownMarginMs / 1000} s): ` +
          'exiting without waiting any longer',
      );
      process.exit(1);
    }, deadlineMs);
    await server.close(config.shutdownGraceMs);
    const problems = await runtime.close();
    if (problems.length === 0) log('stopped cleanly');
    else log(`stopped, but not cleanly: ${problems.join('; ')}`);
    process.exit(problems.length === 0 ? 0 : 1);
  };
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(`[tradeproof] configuration error: ${error.message}`);
  else console.error(`[tradeproof] failed to start: ${describe(error)}`);
  process.exit(1);
});

/** A sentence, not a stack trace; a programming error (TypeError and the like) keeps its stack. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const bug = error instanceof TypeError || error instanceof ReferenceError || error instanceof RangeError;
  return bug ? (error.stack ?? error.message) : error.message;
}
