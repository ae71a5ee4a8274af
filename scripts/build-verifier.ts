/**
 * `npm run build:verifier`: bundles the offline verifier, scripts/verify.ts itself (the same source
 * as `npm run verify`), into one file a lender can carry: dist/tradeproof-verify.mjs, which needs
 * Node 20+ and nothing else. Every package it uses (canonicalize, zod, …) is inside the file, and the
 * build fails if the output would load anything but a Node builtin, so the file cannot quietly depend
 * on a node_modules folder that the lender does not have.
 */
import { chmod, readFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');
export const defaultVerifierOutfile = path.join(root, 'dist', 'tradeproof-verify.mjs');

const usage = `Usage: npm run build:verifier [-- --out <file.mjs>]

Bundles the offline verifier (scripts/verify.ts, the source of \`npm run verify\`) into one file that
runs with Node 20+ alone: \`node tradeproof-verify.mjs bundle.json --log-key <vkey>\`.

  --out <file.mjs>   where to write it (default dist/tradeproof-verify.mjs)
  --help             prints this text

Exit status: 0 written, 1 the build failed, 2 bad arguments.`;

/** What the bundle may still import: Node's own modules, and only by their `node:` names. */
function isNodeBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') && builtinModules.includes(specifier.slice('node:'.length));
}

/** Builds the single-file verifier at `outfile`; returns the path and its size in bytes. */
export async function buildVerifier(
  outfile = defaultVerifierOutfile,
): Promise<{ outfile: string; bytes: number }> {
  const { version } = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as {
    version: string;
  };
  const result = await build({
    absWorkingDir: root,
    entryPoints: [path.join(root, 'scripts', 'verify.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    banner: {
      js: `#!/usr/bin/env node\n// tradeproof ${version} offline verifier, bundled from scripts/verify.ts by npm run build:verifier.\n// Needs Node 20+ and nothing else: node tradeproof-verify.mjs --help`,
    },
    // Readable on purpose: a lender (or its auditor) may want to read what it runs.
    minify: false,
    legalComments: 'eof',
    metafile: true,
    logLevel: 'warning',
  });
  const outputs = Object.values(result.metafile.outputs);
  const imports = outputs.flatMap((output) => output.imports.map((entry) => entry.path));
  const foreign = [...new Set(imports.filter((specifier) => !isNodeBuiltin(specifier)))];
  if (foreign.length > 0) {
    throw new Error(`the verifier bundle would load ${foreign.join(', ')}: only node: builtins are allowed`);
  }
  await chmod(outfile, 0o755);
  return { outfile, bytes: outputs.reduce((sum, output) => sum + output.bytes, 0) };
}

async function main(argv: string[]): Promise<number> {
  let values: { out?: string | undefined; help?: boolean | undefined };
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: { out: { type: 'string' }, help: { type: 'boolean' } },
    }));
  } catch (error) {
    console.error(`build:verifier: ${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const { outfile, bytes } = await buildVerifier(values.out ? path.resolve(values.out) : undefined);
  const shown = path.relative(process.cwd(), outfile) || outfile;
  console.log(`wrote ${shown} (${Math.round(bytes / 1024)} KiB, Node 20+, no dependencies)`);
  console.log(`verify a bundle with it: node ${shown} bundle.json --log-key '<log verifier key>'`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(`build:verifier: ${(error as Error).message}`);
      process.exitCode = 1;
    },
  );
}
