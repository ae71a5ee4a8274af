/** `npm run generate`: writes graphql/schema.graphql, the printed and sorted schema under review. */
import { writeFile } from 'node:fs/promises';
import { printSortedSchema } from '../graphql/schema.js';

const target = new URL('../graphql/schema.graphql', import.meta.url);
await writeFile(target, printSortedSchema());
console.log(`wrote ${target.pathname}`);
