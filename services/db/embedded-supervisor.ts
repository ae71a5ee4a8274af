/**
 * Keeps the embedded PostgreSQL running for as long as the app runs: when it exits without being
 * asked to (killed, crashed, out of memory), it is started again on the same cluster and port, with
 * a growing pause while it keeps failing. Meanwhile requests retry their transactions for
 * DB_RECONNECT_WAIT_MS and the pool opens fresh connections once the server answers again, so a
 * short outage costs clients a slower answer, not an error.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { type EmbeddedOptions, type EmbeddedServer, startEmbeddedPostgres } from './embedded.js';

export interface SupervisedServer {
  url: string;
  /** Stops supervising, then stops the server; rejects as EmbeddedServer.stop does. */
  stop(): Promise<void>;
}

const restartPauseMs = { first: 250, max: 30_000 };

export async function superviseEmbeddedPostgres(options: EmbeddedOptions): Promise<SupervisedServer> {
  const log = options.log ?? (() => {});
  let current: EmbeddedServer = await startEmbeddedPostgres(options);
  let stopping = false;
  let restarting: Promise<void> = Promise.resolve();
  // A stop must not wait out a pause between attempts (up to 30 s): it cuts the pause short.
  const stopped = new AbortController();

  const restart = async (how: string) => {
    let pauseMs = restartPauseMs.first;
    while (!stopping) {
      await delay(pauseMs, undefined, { signal: stopped.signal }).catch(() => {});
      if (stopping) return;
      try {
        current = await startEmbeddedPostgres(options);
        log(`embedded PostgreSQL started again after it exited (${how})`);
        watch(current);
        return;
      } catch (error) {
        log(
          `embedded PostgreSQL could not start again yet: ${error instanceof Error ? error.message : String(error)}`,
        );
        pauseMs = Math.min(restartPauseMs.max, pauseMs * 2);
      }
    }
  };
  const watch = (server: EmbeddedServer) => {
    void server.exited.then((how) => {
      if (!stopping && server === current) restarting = restart(how);
    });
  };
  watch(current);
  return {
    url: current.url,
    stop: async () => {
      stopping = true;
      stopped.abort();
      await restarting;
      await current.stop();
    },
  };
}
