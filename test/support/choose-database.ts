/**
 * Picks the server the suite runs against, in this order: TEST_DATABASE_URL if set; CockroachDB in a
 * container when a container engine answers; otherwise an embedded PostgreSQL in a temporary folder.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { freePort, startEmbeddedPostgres } from '../../services/db/embedded.js';
import { temporaryClusterParent } from '../../services/db/embedded-place.js';
import { postgresRunner } from '../../services/db/embedded-user.js';

export interface ChosenDatabase {
  url: string;
  label: string;
  reason: string;
  stop(): Promise<void>;
}

const cockroachImage = 'cockroachdb/cockroach:v24.3.5';

async function containerEngineProblem(): Promise<string | null> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    const timeout = new Promise<never>((_, reject) => {
      setTimeout(() => reject(new Error('no answer in 15 s')), 15_000).unref();
    });
    await Promise.race([getContainerRuntimeClient(), timeout]);
    return null;
  } catch (error) {
    return error instanceof Error ? (error.message.split('\n')[0] ?? 'unknown') : String(error);
  }
}

async function startCockroach(): Promise<ChosenDatabase> {
  const { CockroachDbContainer } = await import('@testcontainers/cockroachdb');
  const container = await new CockroachDbContainer(cockroachImage).start();
  return {
    url: container.getConnectionUri(),
    label: `CockroachDB (${cockroachImage}, testcontainers)`,
    reason: 'a container engine answered',
    stop: async () => {
      await container.stop();
    },
  };
}

/**
 * A throwaway embedded server. As root it runs as `postgres`, in a folder that user can reach: TMPDIR
 * when it can (a TMPDIR under /root it cannot), else /tmp or /var/tmp.
 */
export async function startEmbedded(reason: string): Promise<ChosenDatabase> {
  const runner = await postgresRunner();
  const parent = await temporaryClusterParent('tradeproof-test-', runner);
  const logs: string[] = [];
  const server = await startEmbeddedPostgres({
    clusterDir: path.join(parent.dir, 'pg'),
    port: await freePort(),
    password: randomBytes(12).toString('hex'),
    runner,
    log: (line) => logs.push(line),
  }).catch(async (error: unknown) => {
    await parent.remove();
    throw error;
  });
  return {
    url: server.url,
    label: `embedded PostgreSQL in ${parent.dir}`,
    reason,
    stop: async () => {
      await server.stop();
      await parent.remove();
    },
  };
}

export async function chooseDatabase(env = process.env): Promise<ChosenDatabase> {
  if (env.TEST_DATABASE_URL) {
    return {
      url: env.TEST_DATABASE_URL,
      label: `server at ${new URL(env.TEST_DATABASE_URL).host}`,
      reason: 'TEST_DATABASE_URL is set',
      stop: async () => {},
    };
  }
  const problem = await containerEngineProblem();
  if (problem === null) return startCockroach();
  return startEmbedded(`no container engine for CockroachDB (${problem})`);
}
