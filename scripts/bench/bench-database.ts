/**
 * Where a benchmark runs: a fresh embedded PostgreSQL in a temporary folder (removed after), or a
 * server the caller names, on which each run gets a database of its own, `bench_<random>`, dropped
 * after. Everything runs as the owner: the cluster-wide application role belongs to whoever else uses
 * the server (the test suite sets its password), so a benchmark never touches it.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { sql } from 'kysely';
import { type DatabaseHandle, openDatabase } from '../../services/db/connect.js';
import { freePort, startEmbeddedPostgres } from '../../services/db/embedded.js';
import { temporaryClusterParent } from '../../services/db/embedded-place.js';
import { postgresRunner } from '../../services/db/embedded-user.js';

export interface BenchServer {
  /** Superuser URL of the server's maintenance database. */
  adminUrl: string;
  label: string;
  stop(): Promise<void>;
}

export interface BenchDatabase {
  name: string;
  /** Its URL, as the owner: to open more connections to it. */
  url: string;
  owner: DatabaseHandle;
  drop(): Promise<void>;
}

/** A benchmark's statements may run long; a timeout still stops a runaway one. */
const statementTimeoutMs = 600_000;

async function startEmbedded(): Promise<BenchServer> {
  const runner = await postgresRunner();
  const parent = await temporaryClusterParent('tradeproof-bench-', runner);
  const logs: string[] = [];
  try {
    const server = await startEmbeddedPostgres({
      clusterDir: path.join(parent.dir, 'pg'),
      port: await freePort(),
      password: randomBytes(12).toString('hex'),
      runner,
      log: (line) => logs.push(line),
    });
    return {
      adminUrl: server.url,
      label: `embedded PostgreSQL in ${parent.dir}`,
      stop: async () => {
        await server.stop();
        await parent.remove();
      },
    };
  } catch (error) {
    console.error(logs.join('\n'));
    await parent.remove();
    throw error;
  }
}

/** The server named by databaseUrl, or a fresh embedded one when it is null. */
export async function startBenchServer(databaseUrl: string | null): Promise<BenchServer> {
  if (databaseUrl === null) return startEmbedded();
  return {
    adminUrl: databaseUrl,
    label: `server at ${new URL(databaseUrl).host}`,
    stop: async () => {},
  };
}

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** A new, empty database on the server; the caller migrates it. */
export async function createBenchDatabase(server: BenchServer): Promise<BenchDatabase> {
  const name = `bench_${randomBytes(6).toString('hex')}`;
  const admin = await openDatabase(server.adminUrl, { poolMax: 1, applicationName: 'tradeproof-bench' });
  try {
    await sql`CREATE DATABASE ${sql.id(name)}`.execute(admin.db);
  } catch (error) {
    await admin.close();
    throw error;
  }
  const owner = await openDatabase(withDatabase(server.adminUrl, name), {
    poolMax: 4,
    statementTimeoutMs,
    applicationName: 'tradeproof-bench',
  }).catch(async (error: unknown) => {
    await admin.close();
    throw error;
  });
  return {
    name,
    url: withDatabase(server.adminUrl, name),
    owner,
    drop: async () => {
      await owner.close();
      const force = admin.flavor === 'postgres' ? sql` WITH (FORCE)` : sql` CASCADE`;
      await sql`DROP DATABASE IF EXISTS ${sql.id(name)}${force}`.execute(admin.db);
      await admin.close();
    },
  };
}
