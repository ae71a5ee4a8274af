/**
 * What every bench command does around its measurement: a database server (embedded, or throwaway
 * databases on --database-url) that is cleaned up even on Ctrl-C, and the JSON report written to
 * --json FILE or else printed as stdout's last line.
 */
import { writeFile } from 'node:fs/promises';
import { type BenchServer, startBenchServer } from './bench-database.js';

export type Log = (line: string) => void;

export async function runBenchCommand(
  databaseUrl: string | null,
  jsonFile: string | null,
  measure: (server: BenchServer, log: Log) => Promise<object>,
): Promise<void> {
  const log: Log = (line) => console.log(line);
  const server = await startBenchServer(databaseUrl || null);
  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= server.stop();
    return stopping;
  };
  const interrupted = () => {
    log('interrupted: cleaning up');
    void stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    const json = JSON.stringify(await measure(server, log));
    if (jsonFile !== null) {
      await writeFile(jsonFile, `${json}\n`);
      log(`JSON report written to ${jsonFile}`);
    } else {
      log(json);
    }
  } finally {
    await stop();
  }
}
