/**
 * One of the npm scripts run to its end in a child process, as `npm run` would run it: for tests of
 * what a person sees when it refuses (exit code, stdout and stderr apart).
 */
import { spawn } from 'node:child_process';

const root = new URL('../../', import.meta.url).pathname;

export interface ScriptRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node --import tsx <script> …args`; a run still going after timeoutMs is killed and rejects. */
export function runScript(
  script: string,
  args: string[] = [],
  env: Record<string, string> = {},
  timeoutMs = 90_000,
): Promise<ScriptRun> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`${script} ${args.join(' ')} still running after ${timeoutMs} ms:\n${stdout}${stderr}`),
      );
    }, timeoutMs);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A stack frame line, as Node prints them under an uncaught error. */
export const stackFrame = /\n\s+at /;
