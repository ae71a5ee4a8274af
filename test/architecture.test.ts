/**
 * The dependency rules this project keeps, read from the sources: every GraphQL path to data goes
 * through a service function (which checks who may see it), never a repository or a raw
 * transaction; and the Merkle log knows events only, never the trade, receivables or verification
 * built on it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../', import.meta.url).pathname;

function sources(folder: string): string[] {
  return readdirSync(path.join(root, folder), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(path.join(folder, entry.name))
      : entry.name.endsWith('.ts')
        ? [path.join(folder, entry.name)]
        : [],
  );
}

/**
 * The modules a file loads when it runs (an `import type` loads nothing), as paths from the root,
 * with the names it imports from each.
 */
function runtimeImports(file: string): Array<{ target: string; names: string }> {
  const text = readFileSync(path.join(root, file), 'utf8');
  const pattern = /\b(?:import|export)\s(?!type\s)([^'"]*?)\sfrom\s*['"](\.[^'"]+)['"]/g;
  return [...text.matchAll(pattern)].map((match) => ({
    names: match[1] ?? '',
    target: path.relative(root, path.resolve(path.dirname(path.join(root, file)), match[2] ?? '')),
  }));
}

describe('the import graph', () => {
  it.each(sources('graphql'))('lets %s reach data through services only', (file) => {
    const direct = runtimeImports(file).filter(
      ({ target, names }) => target.includes('.repository.') || /\binTransaction/.test(names),
    );
    expect(direct).toEqual([]);
  });

  it.each(sources('services/ledger'))('keeps %s below trade, receivables and verification', (file) => {
    const above = runtimeImports(file).filter(({ target }) =>
      /^services\/(trade|receivables|financing|verify|exposure)\//.test(target),
    );
    expect(above).toEqual([]);
  });

  // The fact pipeline (events) writes the outbox, so webhooks sit beside it: facts and the due-date
  // scan hand it notices; it never reads their code.
  it.each(sources('services/webhooks'))(
    'keeps %s below events, trade, receivables and verification',
    (file) => {
      const above = runtimeImports(file).filter(({ target }) =>
        /^services\/(events|trade|receivables|financing|verify|exposure)\//.test(target),
      );
      expect(above).toEqual([]);
    },
  );
});
