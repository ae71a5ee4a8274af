/**
 * The embedded PostgreSQL where a newcomer meets it: a postmaster.pid left by a run that did not stop,
 * a port some other program holds, a server that died under us; and, as root, folders the `postgres`
 * user cannot reach (a clone under /root, a `mktemp -d` DATA_DIR, a TMPDIR under /root).
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { chmod, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../services/db/connect.js';
import {
  EmbeddedError,
  type EmbeddedServer,
  freePort,
  startEmbeddedPostgres,
} from '../../services/db/embedded.js';
import { isAlive } from '../../services/db/embedded-orphan.js';
import {
  installedPrograms,
  placeCluster,
  reachablePrograms,
  rememberClusterPlace,
  temporaryClusterParent,
} from '../../services/db/embedded-place.js';
import { superviseEmbeddedPostgres } from '../../services/db/embedded-supervisor.js';
import { type PostgresRunner, postgresRunner } from '../../services/db/embedded-user.js';
import { startEmbedded } from '../support/choose-database.js';

const isRoot = process.getuid?.() === 0;
if (!isRoot) console.log('embedded.test.ts: the "as root" cases are skipped: this process is not root');

describe('embedded PostgreSQL', () => {
  let runner: PostgresRunner | null = null;
  let parent: { dir: string; remove(): Promise<void> };
  let clusterDir = '';
  const password = 'embedded-test-password';
  const logs: string[] = [];
  const start = async (port?: number) =>
    startEmbeddedPostgres({
      clusterDir,
      port: port ?? (await freePort()),
      password,
      runner,
      log: (line) => logs.push(line),
    });

  beforeAll(async () => {
    runner = await postgresRunner();
    parent = await temporaryClusterParent('tradeproof-embedded-', runner);
    clusterDir = path.join(parent.dir, 'pg');
    await (await start()).stop();
  });
  afterAll(async () => {
    await parent.remove();
  });

  const writePidFile = (pid: number) =>
    writeFile(
      path.join(clusterDir, 'postmaster.pid'),
      `${pid}\n${clusterDir}\n0\n5432\n\n127.0.0.1\n0 0\nready\n`,
    );

  it('starts over a postmaster.pid whose process is gone, and says so', async () => {
    const done = spawn('true');
    await new Promise((resolve) => done.once('exit', resolve));
    await writePidFile(done.pid ?? 0);
    const server = await start();
    await server.stop();
    expect(logs.join('\n')).toContain(`process ${done.pid} is gone`);
  });

  it('starts over a postmaster.pid naming a live process that is not its server', async () => {
    const sleeper = spawn('sleep', ['30']);
    try {
      await writePidFile(sleeper.pid ?? 0);
      const server = await start();
      await server.stop();
      expect(logs.join('\n')).toContain(
        `names process ${sleeper.pid}, which is not this cluster's PostgreSQL`,
      );
    } finally {
      sleeper.kill();
    }
  });

  it("stops its own cluster's server that an earlier run left running, then starts", async () => {
    const earlier = await start();
    const port = await freePort();
    const later = await start(port);
    try {
      expect(await isAlive(earlier.pid)).toBe(false);
      expect(logs.join('\n')).toContain(`stopped the earlier run's PostgreSQL (process ${earlier.pid})`);
      const db = await openDatabase(later.url, { poolMax: 1 });
      await db.close();
    } finally {
      await later.stop();
    }
  });

  it('refuses a port that another program holds, with a sentence naming it', async () => {
    const holder = net.createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
    try {
      const failure = await start(port).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(EmbeddedError);
      expect((failure as Error).message).toMatch(
        new RegExp(`^port ${port} on 127.0.0.1 is in use by another program`),
      );
    } finally {
      holder.close();
    }
  });

  it('runs the server again when it dies under a supervisor, on the same cluster and port', async () => {
    const port = await freePort();
    const supervised = await superviseEmbeddedPostgres({
      clusterDir,
      port,
      password,
      runner,
      log: (line) => logs.push(line),
    });
    try {
      const pid = Number((await readFile(path.join(clusterDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
      process.kill(pid, 'SIGKILL');
      const deadline = Date.now() + 30_000;
      while (!logs.some((line) => line.includes('started again after it exited (signal SIGKILL)'))) {
        if (Date.now() > deadline) throw new Error(`not started again:\n${logs.join('\n')}`);
        await delay(100);
      }
      const handle = await openDatabase(supervised.url, { poolMax: 1 });
      try {
        const { rows } = await sql<{ answer: number }>`SELECT 1 AS answer`.execute(handle.db);
        expect(rows).toEqual([{ answer: 1 }]);
      } finally {
        await handle.close();
      }
    } finally {
      await supervised.stop();
    }
  });

  it('stops at once when the server died under it, saying how it died', async () => {
    const server: EmbeddedServer = await start();
    process.kill(server.pid, 'SIGKILL');
    while (await isAlive(server.pid)) await delay(20);
    const startedAt = Date.now();
    await expect(server.stop()).rejects.toThrow('embedded PostgreSQL had already exited (signal SIGKILL)');
    expect(Date.now() - startedAt).toBeLessThan(1_000);
    expect(logs.join('\n')).toContain('embedded PostgreSQL exited on its own (signal SIGKILL)');
  });
});

describe.runIf(isRoot)('embedded PostgreSQL as root, in folders the postgres user cannot reach', () => {
  let scratch = '';
  let root = '';
  let runner: PostgresRunner | null = null;
  beforeAll(async () => {
    runner = await postgresRunner();
    scratch = await mkdtemp(path.join(tmpdir(), 'tradeproof-unreachable-'));
    root = path.join(await mkdtemp(path.join('/tmp', 'tradeproof-root-')), 'lib');
    await chmod(path.dirname(root), 0o755);
  });
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
    await rm(path.dirname(root), { recursive: true, force: true });
  });

  it('keeps the cluster of an unreachable DATA_DIR under the outside root, owned by postgres, and records where', async () => {
    const dataDir = path.join(scratch, 'private', 'data');
    await mkdir(dataDir, { recursive: true });
    await chmod(path.dirname(dataDir), 0o700);
    const place = await placeCluster(dataDir, runner, root);
    expect(place.clusterDir.startsWith(`${root}/`)).toBe(true);
    expect(place.clusterDir).toMatch(/private-data-[0-9a-f]{10}\/postgres$/);
    const home = statSync(path.dirname(place.clusterDir));
    expect([home.mode & 0o777, home.uid]).toEqual([0o700, runner?.uid]);
    expect(place.locationFile).toBe(path.join(dataDir, 'postgres-location'));

    await mkdir(place.clusterDir);
    await writeFile(path.join(place.clusterDir, 'PG_VERSION'), '18\n');
    await rememberClusterPlace(place);
    expect(await placeCluster(dataDir, runner, root)).toEqual(place);

    await rm(place.clusterDir, { recursive: true });
    await expect(placeCluster(dataDir, runner, root)).rejects.toThrow(
      /says the database is in ".*", but there is no PostgreSQL cluster there: restore that folder from a backup, or delete/,
    );
  });

  it('keeps the cluster in DATA_DIR when the postgres user can reach it', async () => {
    const dataDir = path.join(await mkdtemp(path.join('/tmp', 'tradeproof-reachable-')), 'data');
    try {
      await chmod(path.dirname(dataDir), 0o755);
      expect(await placeCluster(dataDir, runner, root)).toEqual({
        clusterDir: path.join(dataDir, 'postgres'),
        locationFile: null,
      });
    } finally {
      await rm(path.dirname(dataDir), { recursive: true, force: true });
    }
  });

  it('runs PostgreSQL programs it cannot reach in node_modules from a copy under the outside root', async () => {
    const installed = await installedPrograms();
    const nativeDir = path.dirname(path.dirname(installed.postgres));
    const privateCopy = path.join(scratch, 'clone', 'native');
    await cp(path.dirname(nativeDir), path.dirname(privateCopy), { recursive: true, verbatimSymlinks: true });
    const relative = (file: string) => path.join(privateCopy, path.relative(nativeDir, file));
    const logs: string[] = [];
    const programs = await reachablePrograms(
      { initdb: relative(installed.initdb), postgres: relative(installed.postgres) },
      runner,
      (line) => logs.push(line),
      root,
    );
    expect(programs.postgres.startsWith(`${root}/postgresql-`)).toBe(true);
    expect(logs.join('\n')).toContain('cannot reach the PostgreSQL programs in node_modules; copying them');
    const version = await new Promise<string>((resolve, reject) =>
      execFile(programs.postgres, ['--version'], { uid: runner?.uid, gid: runner?.gid }, (error, stdout) =>
        error ? reject(error) : resolve(stdout),
      ),
    );
    expect(version).toMatch(/^postgres \(PostgreSQL\) \d+/);
  });

  it("runs the test suite's server when TMPDIR is under a folder the postgres user cannot reach", async () => {
    const privateTmp = path.join(scratch, 'tmp');
    await mkdir(privateTmp, { mode: 0o700 });
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = privateTmp;
    try {
      const chosen = await startEmbedded('test');
      const folder = chosen.label.replace('embedded PostgreSQL in ', '');
      expect(folder.startsWith(privateTmp)).toBe(false);
      const db = await openDatabase(chosen.url, { poolMax: 1 });
      await db.close();
      await chosen.stop();
      expect(existsSync(folder)).toBe(false);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
  }, 60_000);
});
