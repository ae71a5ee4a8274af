/**
 * What most often stops a first start, found early and said in one sentence that names the variable
 * to change: a data folder that cannot be written, a port or address the server cannot listen on, a
 * database that does not answer. A stack trace says none of that to the person who has to act.
 */
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';

/** A start that cannot go on, for a reason its message states and the operator can act on. */
export class StartError extends Error {
  override name = 'StartError';
}

const fileProblems: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'a read-only file system',
  ENOTDIR: 'part of the path is a file',
  ENOENT: 'the file system refuses a folder there',
  EEXIST: 'it is a file',
  ENOSPC: 'the disk is full',
};

/**
 * mkdir -p, step by step: Node's recursive mkdir never returns where the file system refuses a
 * folder with ENOENT although its parent exists (under /proc, for one).
 */
async function makeFolder(dir: string): Promise<void> {
  try {
    await mkdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' && (await stat(dir)).isDirectory()) return;
    if (code !== 'ENOENT' || path.dirname(dir) === dir) throw error;
    await makeFolder(path.dirname(dir));
    await mkdir(dir);
  }
}

/** Creates `dir` if needed and writes a file in it; a StartError naming `variable` when it cannot. */
export async function ensureWritableFolder(dir: string, variable: string): Promise<void> {
  const probe = path.join(dir, `.write-check-${process.pid}`);
  try {
    await makeFolder(dir);
    await writeFile(probe, '');
    await rm(probe, { force: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    const why = fileProblems[code] ?? (error as Error).message;
    throw new StartError(
      `${variable} ${dir} is not a folder this user can write (${why}): set ${variable} to one it can, ` +
        'or change its permissions',
    );
  }
}

/** The sentence for an error of the HTTP server's listen, or null for one it does not know. */
export function listenProblem(error: unknown, host: string, port: number): string | null {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'EADDRINUSE':
      return `port ${port} on ${host} is in use by another program: stop that program, or choose another port (PORT)`;
    case 'EADDRNOTAVAIL':
      return (
        `${host} is not an address of this machine, so the server cannot listen there: set HOST to one ` +
        'of its addresses (127.0.0.1 for this machine only, 0.0.0.0 for every network)'
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
      return `HOST ${host} is not a name this machine can resolve: set HOST to an address such as 127.0.0.1 or 0.0.0.0`;
    case 'EACCES':
      return `port ${port} is below 1024, where this user may not listen: choose a PORT of 1024 or more`;
    default:
      return null;
  }
}

const sqlstate = /^[0-9A-Z]{5}$/;

/**
 * Waits up to waitMs for the database in `url` to accept a login, so that a server still starting
 * (docker compose) is waited for; then gives up with a sentence naming `variable`. A refused login or
 * a wrong host fails at once: waiting would not change it. A missing database passes when the start
 * creates it (createsDatabase).
 */
export async function reachDatabase(
  url: string,
  variable: string,
  waitMs: number,
  createsDatabase: boolean,
): Promise<void> {
  const { host, hostname, pathname } = new URL(url);
  const deadline = Date.now() + waitMs;
  for (;;) {
    const client = new pg.Client({
      connectionString: url,
      connectionTimeoutMillis: Math.max(500, deadline - Date.now()),
    });
    client.on('error', () => {
      // A failed connect also rejects connect() below, which says what happened.
    });
    const error = await client.connect().then(
      () => null,
      (failure: unknown) => failure as Error & { code?: string },
    );
    await client.end().catch(() => {});
    if (error === null) return;
    const code = error.code ?? '';
    if (code === '3D000') {
      if (createsDatabase) return;
      throw new StartError(
        `the database ${decodeURIComponent(pathname.slice(1))} in ${variable} does not exist on ${host}: ` +
          `create it (npm run migrate), or correct ${variable}`,
      );
    }
    if (code.startsWith('28'))
      throw new StartError(`the database at ${host} refused the login (${error.message}): check ${variable}`);
    if (code === 'ENOTFOUND')
      throw new StartError(
        `the database host ${hostname} in ${variable} does not resolve: correct ${variable}`,
      );
    if (sqlstate.test(code) && !code.startsWith('08') && !code.startsWith('57P'))
      throw new StartError(
        `the database at ${host} refused the connection (${error.message}): check ${variable}`,
      );
    // No answer yet: refused, reset, timed out, or a server still starting up.
    if (Date.now() >= deadline) {
      const why =
        code === 'ECONNREFUSED'
          ? 'connection refused'
          : /timeout/i.test(error.message)
            ? 'no answer'
            : error.message || code;
      throw new StartError(
        `no database answers at ${host} (${why}) after ${Number((waitMs / 1000).toFixed(1))} s of trying: ` +
          `check ${variable}, and that the database server is running (DB_RECONNECT_WAIT_MS sets the wait)`,
      );
    }
    await delay(Math.min(500, Math.max(0, deadline - Date.now())));
  }
}
