/**
 * The ledger as an operator runs it: `scripts/start.ts` in a child process, talked to over HTTP. For
 * tests that kill things (the server, its database, its connections) and look at what survives.
 */
import { type ChildProcess, spawn } from 'node:child_process';

const root = new URL('../../', import.meta.url).pathname;

export interface ServerProcess {
  child: ChildProcess;
  /** The GraphQL endpoint it printed. */
  url: string;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (or the signal's name) once it has exited. */
  exited: Promise<number | string | null>;
  alive(): boolean;
}

export function startServerProcess(env: Record<string, string>, timeoutMs = 90_000): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'test', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let exitStatus: number | string | null | undefined;
  const exited = new Promise<number | string | null>((resolve) => {
    child.once('exit', (code, signal) => {
      exitStatus = code ?? signal;
      resolve(exitStatus);
    });
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no start within ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /listening at (\S+)/.exec(output)?.[1];
      if (url && exitStatus === undefined) {
        clearTimeout(timer);
        resolve({ child, url, output: () => output, exited, alive: () => exitStatus === undefined });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((status) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${status} before listening:\n${output}`));
    });
  });
}

/** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
export async function stopServerProcess(
  server: ServerProcess,
  graceMs = 20_000,
): Promise<number | string | null> {
  if (!server.alive()) return server.exited;
  server.child.kill('SIGTERM');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), graceMs);
  try {
    return await server.exited;
  } finally {
    clearTimeout(timer);
  }
}
