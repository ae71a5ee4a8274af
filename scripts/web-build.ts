/**
 * The web console's build. `npm start` calls ensureWebBuild(): when web/dist is missing or was built
 * from other sources (a stamp of every file under web/ and services/, whose offline verifier the
 * console bundles, and of package-lock.json), it builds again,
 * in a second or two; otherwise it does nothing. `npm run build:web` builds unconditionally.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { commandLine } from './cli.js';

const root = path.resolve(import.meta.dirname, '..');
export const webDir = path.join(root, 'web');
export const webDist = path.join(webDir, 'dist');
/** The "Verify a bundle" page bundles services/verify/verifier.ts and what it imports (web/browser-verifier.ts). */
const servicesDir = path.join(root, 'services');
const stampFile = path.join(webDist, '.build-stamp');

async function sourceFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  const found: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'dist' && entry.name !== 'node_modules') found.push(...(await sourceFiles(full)));
    } else found.push(full);
  }
  return found;
}

/** SHA-256 over the console's sources, the services and the lockfile: what a build's output depends on. */
export async function sourceStamp(): Promise<string> {
  const hash = createHash('sha256');
  const files = [...(await sourceFiles(webDir)), ...(await sourceFiles(servicesDir))];
  for (const file of [...files, path.join(root, 'package-lock.json')]) {
    hash
      .update(path.relative(root, file))
      .update('\0')
      .update(await readFile(file))
      .update('\0');
  }
  return hash.digest('hex');
}

export async function buildWeb(log: (line: string) => void = () => {}): Promise<void> {
  const stamp = await sourceStamp();
  const started = Date.now();
  const { build } = await import('vite');
  // Vite builds React's development version (twice the size, and its own JSX runtime) whenever
  // NODE_ENV says so, as it does under tests: the console is always built for production.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: path.join(webDir, 'vite.config.ts'), logLevel: 'warn', mode: 'production' });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  await writeFile(stampFile, `${stamp}\n`);
  log(`built the web console into ${path.relative(root, webDist)}/ in ${Date.now() - started} ms`);
}

/** Builds unless web/dist was built from exactly these sources; says which it did. */
export async function ensureWebBuild(log: (line: string) => void): Promise<'built' | 'current'> {
  const built = await readFile(stampFile, 'utf8').catch(() => '');
  if (built.trim() === (await sourceStamp())) return 'current';
  log(built ? 'the web console changed since its last build: building it' : 'building the web console');
  await buildWeb(log);
  return 'built';
}

const usage = `usage: npm run build:web

Builds the web console into web/dist/, whether or not its sources changed (npm start builds it only
when they did). It takes no arguments.
Exit status: 0 built, 1 the build failed, 2 bad arguments.`;

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  commandLine(usage, {});
  buildWeb((line) => console.log(line)).catch((error: unknown) => {
    console.error(`build:web failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
