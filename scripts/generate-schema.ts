/** `npm run generate`: writes graphql/schema.graphql, the printed and sorted schema under review. */
import { writeFile } from 'node:fs/promises';
import { printSortedSchema } from '../graphql/schema.js';
import { commandLine } from './cli.js';

commandLine(
  'usage: npm run generate\n\nWrites graphql/schema.graphql, the printed and sorted GraphQL schema, from the code ' +
    'in graphql/.\nExit status: 0 written, 1 failed, 2 bad arguments.',
  {},
);

const target = new URL('../graphql/schema.graphql', import.meta.url);
await writeFile(target, printSortedSchema());
console.log(`wrote ${target.pathname}`);
