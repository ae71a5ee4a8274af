/**
 * `npm run generate`: writes graphql/schema.graphql, the printed and sorted schema under review, and
 * the gql.tada introspection of the example and of the web console (examples/gql-tada/src/ and
 * web/src/api/graphql-env.d.ts), which is read from that file. Both are committed; test/graphql/schema.test.ts and codegen-example.test.ts fail when
 * either lags the code.
 */
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { printSortedSchema } from '../graphql/schema.js';
import { commandLine } from './cli.js';

commandLine(
  'usage: npm run generate\n\nWrites graphql/schema.graphql, the printed and sorted GraphQL schema, from the code ' +
    'in graphql/.\nExit status: 0 written, 1 failed, 2 bad arguments.',
  {},
);

const root = new URL('../', import.meta.url);
const target = new URL('graphql/schema.graphql', root);
await writeFile(target, printSortedSchema());
console.log(`wrote ${target.pathname}`);

for (const tsconfig of ['examples/gql-tada/tsconfig.json', 'web/tsconfig.json']) {
  execFileSync(
    process.execPath,
    [
      fileURLToPath(new URL('node_modules/gql.tada/bin/cli.js', root)),
      'generate',
      'output',
      '--tsconfig',
      fileURLToPath(new URL(tsconfig, root)),
    ],
    { stdio: 'inherit' },
  );
}
