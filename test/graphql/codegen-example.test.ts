/**
 * The typed-client examples against the schema as it is now. examples/codegen: GraphQL Code Generator
 * runs on the committed config (strictScalars: a scalar missing from the map fails it) and tsc checks
 * the code that reads the generated types. examples/gql-tada: the introspection is generated afresh,
 * must equal the committed one (`npm run generate` rewrites it), and tsc checks the typed query. A
 * schema change that breaks the example query, or a scalar typed other than the README says, fails.
 *
 * Each example is copied with graphql/schema.graphql into a temporary folder (the configs name the
 * schema as ../../graphql/schema.graphql), so nothing is written into the repository.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = {
  codegen: path.join(root, 'node_modules/@graphql-codegen/cli/cjs/bin.js'),
  gqlTada: path.join(root, 'node_modules/gql.tada/bin/cli.js'),
  tsc: path.join(root, 'node_modules/typescript/bin/tsc'),
};
// About 16 s of CPU in all (two generators, two tsc runs); generous, for a shared machine.
const slow = 300_000;

let workspace: string;

beforeAll(async () => {
  workspace = await mkdtemp(path.join(tmpdir(), 'tradeproof-examples-'));
  await mkdir(path.join(workspace, 'graphql'));
  await cp(path.join(root, 'graphql/schema.graphql'), path.join(workspace, 'graphql/schema.graphql'));
  await symlink(path.join(root, 'node_modules'), path.join(workspace, 'node_modules'), 'dir');
});

afterAll(async () => {
  if (workspace) await rm(workspace, { recursive: true, force: true });
});

/** A copy of examples/<name> in the workspace, without anything generated into it before. */
async function example(name: string): Promise<string> {
  const target = path.join(workspace, 'examples', name);
  await cp(path.join(root, 'examples', name), target, {
    recursive: true,
    filter: (source) => !source.includes(`${path.sep}gql${path.sep}`) && !source.endsWith(`${path.sep}gql`),
  });
  return target;
}

/** Runs node on a CLI in `cwd`; a failure carries its output, for the assertion message. */
async function node(cwd: string, args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, args, {
      cwd,
      env: { ...process.env, CI: 'true' },
    });
    return { code: 0, output: `${stdout}${stderr}` };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

/**
 * tsc over the example plus one file that misreads a Decimal as a number: the only error must be that
 * one. So the example's own code type-checks, and the scalars arrive as `string`, not as `any`.
 */
async function typecheckWithMisuse(cwd: string, misuse: string): Promise<string[]> {
  await writeFile(path.join(cwd, 'src/misuse.ts'), misuse);
  const { output } = await node(cwd, [bin.tsc, '-p', 'tsconfig.json', '--pretty', 'false']);
  return output.split('\n').filter((line) => line.includes('error TS'));
}

const misreadFace = (errorLine: number) =>
  new RegExp(
    `^src/misuse\\.ts\\(${errorLine},\\d+\\): error TS2322: Type 'string' is not assignable to type 'number'\\.$`,
  );

describe('examples/codegen (GraphQL Code Generator, client preset)', () => {
  it(
    'generates types for the example query from the current schema, and they type-check',
    async () => {
      const cwd = await example('codegen');
      const generated = await node(cwd, [bin.codegen, '--config', 'codegen.ts']);
      expect(generated.code, generated.output).toBe(0);
      const types = await readFile(path.join(cwd, 'src/gql/graphql.ts'), 'utf8');
      expect(types).toMatch(/face: string, outstanding: string, currency: string, dueDate: string/);
      const errors = await typecheckWithMisuse(
        cwd,
        [
          "import type { ReceivableAndLatestEventQuery } from './gql/graphql.js';",
          'export function face(answer: ReceivableAndLatestEventQuery): number {',
          "  if (answer.receivable.__typename !== 'Receivable') return 0;",
          '  const face: number = answer.receivable.face;',
          '  return face;',
          '}',
          '',
        ].join('\n'),
      );
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(misreadFace(4));
    },
    slow,
  );
});

describe('examples/gql-tada', () => {
  it(
    'has the introspection of the current schema committed, and its typed query type-checks',
    async () => {
      const cwd = await example('gql-tada');
      const committed = await readFile(path.join(cwd, 'src/graphql-env.d.ts'), 'utf8');
      await rm(path.join(cwd, 'src/graphql-env.d.ts'));
      const generated = await node(cwd, [bin.gqlTada, 'generate', 'output', '--tsconfig', 'tsconfig.json']);
      expect(generated.code, generated.output).toBe(0);
      const fresh = await readFile(path.join(cwd, 'src/graphql-env.d.ts'), 'utf8');
      expect(
        fresh === committed,
        'examples/gql-tada/src/graphql-env.d.ts lags the schema: npm run generate',
      ).toBe(true);
      const errors = await typecheckWithMisuse(
        cwd,
        [
          "import { receivableAndLatestEvent } from './receivable.js';",
          "import type { ResultOf } from './graphql.js';",
          'export function face(answer: ResultOf<typeof receivableAndLatestEvent>): number {',
          "  if (answer.receivable.__typename !== 'Receivable') return 0;",
          '  const face: number = answer.receivable.face;',
          '  return face;',
          '}',
          '',
        ].join('\n'),
      );
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(misreadFace(5));
    },
    slow,
  );
});
