/**
 * `npm start`: the ledger on the embedded PostgreSQL (or DATABASE_URL), the GraphQL server, and a
 * clean stop on SIGINT/SIGTERM (in-flight requests finish, the database server shuts down). The stop
 * never takes much longer than SHUTDOWN_GRACE_MS, even when the database is gone: exit code 0 when
 * everything stopped cleanly, 1 when something did not (the last line says what).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { graphqlLimits, graphqlPosture, listenHttp } from '../graphql/http.js';
import { type Config, ConfigError, loadConfig } from '../services/config.js';
import { commandLine } from './cli.js';
import { type Runtime, shutdownMarginMs, startRuntime } from './runtime.js';
import { ensureWritableFolder, listenProblem, StartError } from './start-checks.js';
import { ensureWebBuild } from './web-build.js';

const usage = `usage: npm start

Starts the ledger: the embedded PostgreSQL in DATA_DIR (or the database in DATABASE_URL), the
migrations, and the GraphQL API at http://HOST:PORT/graphql (default http://127.0.0.1:4000/graphql).
It takes no arguments: every setting is an environment variable, listed in README.md (Configuration).
The first start prints the platform administrator's API key; a start that stopped before printing
it leaves it for the next start to print.
Exit status: 0 after a clean stop, 1 when the start failed or the stop was not clean, 2 bad arguments.`;

const log = (line: string) => console.log(`[tradeproof] ${line}`);

async function main(): Promise<void> {
  // Until the server serves, a signal just exits; the exit hook asks the database server to stop.
  let stop = (signal: string): void | Promise<void> => {
    log(`${signal} while starting: stopping`);
    process.exit(1);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(signal));
  const config = loadConfig();
  await checkFolders(config);
  // The console is a convenience beside the API: a failed build is reported, and the API still starts.
  await ensureWebBuild(log).catch((error: unknown) => {
    log(`could not build the web console (${describe(error)}): / answers 503 until npm run build:web works`);
  });
  // The port first: one in use stops the start before anything (the administrator key) is created.
  const server = await listenHttp(config).catch((error: unknown) => {
    const problem = listenProblem(error, config.host, config.port);
    throw problem ? new StartError(problem) : error;
  });
  const runtime = await startRuntime(config, log).catch(async (error: unknown) => {
    await server.close(0);
    throw error;
  });
  server.serve({
    ledger: runtime.ledger,
    logSigner: runtime.logSigner,
    ...graphqlLimits(config),
    ...graphqlPosture(config),
  });
  await showFirstStart(config, runtime);
  // Last, so that whoever waits for this line has seen everything above it.
  log(`web console at ${server.url.replace(/\/graphql$/, '/')} (sign in with an API key)`);
  log(
    `GraphQL API listening at ${server.url}${config.production ? '' : ' (open it in a browser for GraphiQL)'}`,
  );
  if (config.demoOnFirstStart && runtime.adminApiKey !== null) {
    loadDemo(config, server.url, runtime.adminApiKey);
  }
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

/**
 * The first start of a ledger that is not in production loads the demo supply chain (npm run demo)
 * in a child process, so that a newcomer can sign in to the console with a demo key at once.
 */
function loadDemo(config: Config, url: string, adminApiKey: string): void {
  log('first start: loading the demo supply chain (DEMO=false starts empty); its API keys follow');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(import.meta.dirname, 'demo.ts'), '--url', url],
    {
      env: { ...process.env, ADMIN_API_KEY: adminApiKey, DATA_DIR: config.dataDir },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  child.once('exit', (code) => {
    if (code === 0) log('first start: demo loaded; sign in to the web console with one of the keys above');
    else log(`first start: the demo stopped (exit ${code}); run it again with ADMIN_API_KEY=… npm run demo`);
  });
}

/** DATA_DIR, and the checkpoint file's folder, must take files before the start relies on them. */
async function checkFolders(config: Config): Promise<void> {
  if (config.databaseUrl === null || config.log.checkpointWebhookUrl !== null)
    await ensureWritableFolder(config.dataDir, 'DATA_DIR');
  if (!config.log.anchoring) return;
  const inDataDir = config.log.checkpointFile === path.join(config.dataDir, 'checkpoints.log');
  await ensureWritableFolder(
    path.dirname(config.log.checkpointFile),
    inDataDir ? 'DATA_DIR' : 'CHECKPOINT_FILE',
  );
}

/**
 * What the first start must tell: where the custody key is, and the administrator API key. A key that
 * waited since an earlier start (stopped before it printed it) is printed now; once printed, it is
 * recorded as shown, and only then.
 */
async function showFirstStart(config: Config, runtime: Runtime): Promise<void> {
  if (runtime.adminApiKey === null) return;
  if (runtime.custodyKeyFile !== null) {
    log(
      `first start: ${runtime.custodyKeyFile} holds CUSTODY_KEY, the key sealing every custodial private ` +
        'key: back it up separately, and keep it out of shared backups of the data',
    );
  }
  if (runtime.adminApiKey === config.adminApiKey) {
    log('first start: the platform administrator uses ADMIN_API_KEY from the environment');
    return;
  }
  log(
    runtime.adminApiKeyFromEarlierStart
      ? 'first start: an earlier start created the platform administrator API key but stopped before ' +
          'showing it; it is below. It is shown once; keep it safe.'
      : 'first start: the platform administrator API key is below. It is shown once; keep it safe.',
  );
  console.log(`ADMIN_API_KEY=${runtime.adminApiKey}`);
  await runtime.adminApiKeyShown().catch((error: unknown) => {
    log(
      `could not record that the administrator API key was shown (${describe(error)}): ` +
        'the next start shows it again',
    );
  });
}

commandLine(usage, {});
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
