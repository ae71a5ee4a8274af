import { readFile } from 'node:fs/promises';
import { buildSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { printSortedSchema } from '../../graphql/schema.js';

describe('graphql/schema.graphql', () => {
  it('matches the schema the code builds (run `npm run generate` after changing the API)', async () => {
    const committed = await readFile(new URL('../../graphql/schema.graphql', import.meta.url), 'utf8');
    expect(printSortedSchema()).toBe(committed);
  });

  it('is sorted lexicographically, so a diff shows only what changed', async () => {
    const committed = await readFile(new URL('../../graphql/schema.graphql', import.meta.url), 'utf8');
    expect(`${printSchema(lexicographicSortSchema(buildSchema(committed)))}\n`).toBe(committed);
  });
});
