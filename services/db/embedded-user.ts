/**
 * Who runs the embedded PostgreSQL, and what that user can reach. PostgreSQL refuses to run as root,
 * so as root it runs as a `postgres` system user (created if missing); otherwise as ourselves. A
 * folder under a private one (a clone in /root, a `mktemp -d` folder) is out of that user's reach, so
 * before a cluster or a program is placed we ask the user itself, by running `test` as it.
 */
import { execFile } from 'node:child_process';

/** Failures of the embedded server that a person can act on: the message says what and what to do. */
export class EmbeddedError extends Error {
  override name = 'EmbeddedError';
}

/** The system user the server runs as; null means this process's own user. */
export interface PostgresRunner {
  name: string;
  uid: number;
  gid: number;
}

function run(command: string, args: string[], ids?: { uid: number; gid: number }): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(command, args, { ...ids, timeout: 10_000 }, (error, stdout) =>
      resolve(error ? null : String(stdout)),
    );
  });
}

async function lookUp(name: string): Promise<PostgresRunner | null> {
  const [uid, gid] = await Promise.all([run('id', ['-u', name]), run('id', ['-g', name])]);
  if (uid === null || gid === null) return null;
  return { name, uid: Number(uid.trim()), gid: Number(gid.trim()) };
}

export async function postgresRunner(): Promise<PostgresRunner | null> {
  if (process.getuid?.() !== 0) return null;
  const found = await lookUp('postgres');
  if (found) return found;
  await run('groupadd', ['-f', '--system', 'postgres']);
  await run('useradd', [
    '--system',
    '--gid',
    'postgres',
    '--no-create-home',
    '--shell=/usr/sbin/nologin',
    'postgres',
  ]);
  const created = await lookUp('postgres');
  if (created) return created;
  throw new EmbeddedError(
    'PostgreSQL does not run as root, and there is no `postgres` user to run it as (creating one with ' +
      'groupadd/useradd failed): create a `postgres` system user, or run as an ordinary user',
  );
}

/**
 * Whether the runner can traverse every folder down to `target` and, for a folder, enter it (for a
 * file, execute it). Asked of the user itself, so groups, ACLs and mount options all count.
 */
export async function canReach(target: string, runner: PostgresRunner | null): Promise<boolean> {
  if (runner === null) return true;
  return (await run('test', ['-x', target], { uid: runner.uid, gid: runner.gid })) !== null;
}
