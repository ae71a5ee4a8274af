/**
 * docker-compose.yml for real, where a container engine answers (`docker info` and `docker compose
 * version` succeed): the cluster, its HAProxy, the one-shot migrate and both API processes behind
 * their balancer. Elsewhere (our CI machines) it is skipped and says why; docker-compose.test.ts
 * checks the same shape statically everywhere. It publishes 4000, 8080 and 26257 on this host.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../services/db/connect.js';
import { inTransaction } from '../../services/db/transaction.js';

const root = new URL('../../', import.meta.url).pathname;
const project = `tradeproof-compose-test-${randomBytes(3).toString('hex')}`;
const env = {
  ...process.env,
  CUSTODY_KEY: randomBytes(32).toString('hex'),
  ADMIN_API_KEY: `tp_${randomBytes(32).toString('base64url')}`,
};

function docker(args: string[], timeoutMs = 60_000) {
  return spawnSync('docker', args, { cwd: root, env, encoding: 'utf8', timeout: timeoutMs });
}

/** Why the cluster cannot be started here, or null when a container engine with compose answers. */
function engineProblem(): string | null {
  for (const args of [['info'], ['compose', 'version']]) {
    const answer = docker(args, 20_000);
    if (answer.error) return `docker ${args.join(' ')}: ${answer.error.message}`;
    if (answer.status !== 0) {
      const said = (answer.stderr.trim() || answer.stdout.trim()).split('\n').at(-1);
      return `docker ${args.join(' ')} exited with ${answer.status}: ${said}`;
    }
  }
  return null;
}

const problem = engineProblem();
if (problem !== null) console.log(`docker-compose.up.test.ts: not starting the cluster: ${problem}`);

async function until<T>(probe: () => Promise<T | null>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
}

describe.skipIf(problem !== null)('docker compose up', () => {
  afterAll(() => {
    docker(['compose', '-p', project, 'down', '-v', '--remove-orphans'], 300_000);
  }, 320_000);

  it('serves through both balancers, migrated once, with one anchoring leader', async () => {
    const up = docker(['compose', '-p', project, 'up', '-d', '--build'], 900_000);
    expect(up.status, up.stderr).toBe(0);
    // Both processes healthy behind api-lb.
    await until(
      async () => {
        const answer = await fetch('http://127.0.0.1:4000/healthz');
        return answer.ok ? answer : null;
      },
      600_000,
      'the API answering through api-lb',
    );
    const listed = docker(['compose', '-p', project, 'ps', '-a', '--format', 'json']);
    // Newer compose prints one JSON object a line, older ones a JSON array.
    const text = listed.stdout.trim();
    const containers = (
      text.startsWith('[')
        ? JSON.parse(text)
        : text
            .split('\n')
            .filter((line) => line.trim() !== '')
            .map((line) => JSON.parse(line))
    ) as { Service: string; State: string; ExitCode?: number }[];
    const byService = new Map(containers.map((container) => [container.Service, container]));
    expect(byService.get('migrate')).toMatchObject({ State: 'exited', ExitCode: 0 });
    for (const app of ['app1', 'app2']) {
      await until(
        async () => {
          const state = docker(['inspect', '-f', '{{.State.Health.Status}}', `${project}-${app}-1`]);
          return state.stdout.trim() === 'healthy' ? true : null;
        },
        300_000,
        `${app} healthy`,
      );
    }
    // The migrations ran in migrate alone: neither API process applied any.
    for (const app of ['app1', 'app2']) {
      const logs = docker(['compose', '-p', project, 'logs', '--no-color', app]);
      expect(logs.stdout).not.toMatch(/applied \d+ migration|schema up to date/);
    }
    // SQL through cockroach-lb: one anchoring lease, held by one process, renewed while it lives.
    const owner = await openDatabase('postgresql://root@127.0.0.1:26257/tradeproof?sslmode=disable', {
      poolMax: 1,
    });
    try {
      const holders = async () =>
        (
          await inTransaction(owner.db, (trx) =>
            sql<{ holder: string }>`SELECT holder FROM lease WHERE name = 'anchoring'`.execute(trx),
          )
        ).rows.map((row) => row.holder);
      const first = await until(
        async () => ((await holders()).length === 1 ? await holders() : null),
        60_000,
        'an anchoring lease',
      );
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      expect(await holders()).toEqual(first);
    } finally {
      await owner.close();
    }
  }, 1_800_000);
});
