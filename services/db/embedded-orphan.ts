/**
 * A postmaster.pid left behind by a run that did not stop (kill -9, a crash, a power cut). PostgreSQL
 * refuses to start while the pid it names is alive, and a server of ours may still be running there,
 * detached, holding the port. Our own server is stopped cleanly (fast shutdown, as on a normal stop);
 * a file naming a process that is gone or is not our server is cleared; anything we cannot tell apart
 * is left alone, with a sentence saying what to do.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, readlink, realpath, rm } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { EmbeddedError } from './embedded-user.js';

const orphanStopMs = 60_000;

type Owner = 'gone' | 'ours' | 'other' | 'unknown';

/** Alive and not a zombie: an orphan's parent is init, which may reap it late (or, in a container, never). */
export async function isAlive(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  return !/^\d+ \(.*\) Z/.test(stat ?? '');
}

async function owner(pid: number, clusterDir: string): Promise<Owner> {
  if (!(await isAlive(pid))) return 'gone';
  const ours = await realpath(clusterDir);
  if (existsSync('/proc/self')) {
    // The postmaster runs in its data directory, so its working directory names the cluster.
    const [comm, cwd] = await Promise.all([
      readFile(`/proc/${pid}/comm`, 'utf8').catch(() => null),
      readlink(`/proc/${pid}/cwd`).catch(() => null),
    ]);
    if (comm === null) return 'unknown';
    if (comm.trim() !== 'postgres') return 'other';
    if (cwd === null) return 'unknown';
    return cwd === ours ? 'ours' : 'other';
  }
  const command = await new Promise<string | null>((resolve) =>
    execFile('ps', ['-o', 'args=', '-p', String(pid)], (error, stdout) => resolve(error ? null : stdout)),
  );
  if (command === null) return 'unknown';
  if (!/\bpostgres\b/.test(command)) return 'other';
  return command.includes(` -D ${clusterDir}`) || command.includes(` -D ${ours}`) ? 'ours' : 'other';
}

/** Clears the way for a new postmaster on clusterDir; says in a log line what it did. */
export async function clearLeftoverPostmaster(
  clusterDir: string,
  log: (line: string) => void,
): Promise<void> {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  const text = await readFile(pidFile, 'utf8').catch(() => null);
  if (text === null) return;
  const pid = Number(text.split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) {
    log(`${pidFile} is unreadable; PostgreSQL replaces it`);
    return;
  }
  switch (await owner(pid, clusterDir)) {
    case 'gone':
      log(
        `the last run did not stop cleanly (PostgreSQL process ${pid} is gone); PostgreSQL recovers on start`,
      );
      return;
    case 'other':
      // PostgreSQL would take the live pid for a running server; it still checks shared memory itself.
      log(`${pidFile} names process ${pid}, which is not this cluster's PostgreSQL; removing the stale file`);
      await rm(pidFile, { force: true });
      return;
    case 'unknown':
      throw new EmbeddedError(
        `${pidFile} names process ${pid}, which is running, but it cannot be told whether it is this ` +
          `cluster's PostgreSQL: stop it (kill -INT ${pid}), or delete ${pidFile} if it is something else`,
      );
    case 'ours':
      await stopOrphan(pid, clusterDir, log);
  }
}

async function stopOrphan(pid: number, clusterDir: string, log: (line: string) => void): Promise<void> {
  log(
    `PostgreSQL (process ${pid}) is still running on ${clusterDir} from an earlier run that did not ` +
      'stop (killed?); stopping it cleanly first',
  );
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + orphanStopMs;
  while (await isAlive(pid)) {
    if (Date.now() > deadline)
      throw new EmbeddedError(
        `PostgreSQL (process ${pid}) left running by an earlier run did not stop within ` +
          `${orphanStopMs / 1000} s: stop it yourself (kill -INT ${pid}) and start again`,
      );
    await delay(100);
  }
  log(`stopped the earlier run's PostgreSQL (process ${pid})`);
}
