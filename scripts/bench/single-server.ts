/**
 * The ledger under `bench single`, in a process of its own as `npm start` runs it (its settings from
 * the environment, the anchoring worker on), so that the load generator does not share its event
 * loop. Over the IPC channel it answers 'stats' with what its transactions did (retries by class,
 * exhausted retries, and why each conflict happened) and 'stop' by stopping.
 */
import { graphqlLimits, graphqlPosture, listenHttp } from '../../graphql/http.js';
import { loadConfig } from '../../services/config.js';
import { listenToRetries, transactionStats } from '../../services/db/transaction.js';
import { startRuntime } from '../runtime.js';

export interface ServerStats {
  transactions: number;
  attempts: number;
  retries: Record<string, number>;
  exhausted: number;
  /** Conflict messages (with pg's detail: which rule caught it) and how often each came. */
  conflictReasons: Record<string, number>;
}

const conflictReasons: Record<string, number> = {};
listenToRetries((error, retryClass) => {
  if (retryClass !== 'conflict') return;
  const { message, detail } = error as { message?: string; detail?: string };
  const reason = [message, detail].filter(Boolean).join(' | ');
  conflictReasons[reason] = (conflictReasons[reason] ?? 0) + 1;
});

const log = (line: string) => console.log(`[bench ledger] ${line}`);

async function main(): Promise<void> {
  const config = loadConfig();
  const server = await listenHttp(config);
  const runtime = await startRuntime(config, log);
  server.serve({
    ledger: runtime.ledger,
    logSigner: runtime.logSigner,
    ...graphqlLimits(config),
    ...graphqlPosture(config),
  });
  const stop = async () => {
    await server.close(1000);
    await runtime.close();
    // A clean exit, so that node --cpu-prof writes its profile.
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  process.on('message', async (message: unknown) => {
    if (message === 'stats') {
      const stats: ServerStats = {
        ...transactionStats,
        retries: { ...transactionStats.retries },
        conflictReasons: { ...conflictReasons },
      };
      process.send?.({ stats });
    } else if (message === 'stop') {
      await stop();
    }
  });
  log(`listening at ${server.url}`);
}

main().catch((error: unknown) => {
  console.error(`[bench ledger] failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
