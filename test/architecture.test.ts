/**
 * The dependency rules this project keeps (docs/design.md, "Layout"), read from the sources.
 *
 * Per file: every GraphQL path to data goes through a service function (which checks who may see
 * it), never a repository or a raw transaction.
 *
 * Per folder (each folder under services/, each file directly in services/, and graphql, scripts,
 * test as wholes): graphql imports services only; services import neither graphql nor scripts; the
 * Merkle log (services/ledger) reaches none of trade, receivables, financing or the evidence built on
 * them; and no folders import each other, directly or round a cycle. An `import type` counts here: a
 * cycle through types is still two folders that cannot be read, moved or changed one without the
 * other.
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

interface Import {
  /** The imported module, as a path from the root. */
  target: string;
  /** What the statement imports, as written between `import` and `from`. */
  names: string;
  /** `import type` or `export type`: loads nothing when the file runs. */
  typeOnly: boolean;
}

/** Every relative import and re-export of a file: static, `import type`, side-effect and dynamic. */
function imports(file: string): Import[] {
  const text = readFileSync(path.join(root, file), 'utf8');
  const pattern =
    /\b(?:import|export)\s(type\s)?([^'"]*?)\sfrom\s*['"](\.[^'"]+)['"]|\bimport\s*(?:\(\s*)?['"](\.[^'"]+)['"]/g;
  return [...text.matchAll(pattern)].map((match) => ({
    names: match[2] ?? '',
    typeOnly: match[1] !== undefined,
    target: path.relative(
      root,
      path.resolve(path.dirname(path.join(root, file)), match[3] ?? match[4] ?? ''),
    ),
  }));
}

/** The modules a file loads when it runs (an `import type` loads nothing). */
function runtimeImports(file: string): Import[] {
  return imports(file).filter(({ typeOnly }) => !typeOnly);
}

/** The unit of the folder graph a path belongs to. */
function unitOf(file: string): string {
  const [top = '', folder, rest] = file.split(path.sep);
  if (top !== 'services' || folder === undefined) return top;
  return rest === undefined ? `services/${folder.replace(/\.js$/, '.ts')}` : `services/${folder}`;
}

/** unit → the units it imports, each with one import that makes the edge ("file imports target"). */
type FolderGraph = Map<string, Map<string, string>>;

function folderGraph(folders: string[]): FolderGraph {
  const graph: FolderGraph = new Map();
  for (const file of folders.flatMap(sources)) {
    const from = unitOf(file);
    const edges = graph.get(from) ?? new Map<string, string>();
    graph.set(from, edges);
    for (const { target } of imports(file)) {
      const to = unitOf(target);
      if (to !== from && !edges.has(to)) edges.set(to, `${file} imports ${target}`);
    }
  }
  return graph;
}

/** The edges from units matching `from` to units matching `to`, each with its evidence. */
function edges(graph: FolderGraph, from: RegExp, to: RegExp): string[] {
  return [...graph].flatMap(([source, targets]) =>
    from.test(source)
      ? [...targets]
          .filter(([target]) => to.test(target))
          .map(([target, why]) => `${source} -> ${target}: ${why}`)
      : [],
  );
}

/** A path of edges from `start` to a unit matching `goal`, each step with its evidence; null if none. */
function pathTo(graph: FolderGraph, start: string, goal: RegExp): string[] | null {
  const cameFrom = new Map<string, string | null>([[start, null]]);
  const queue = [start];
  for (let unit = queue.shift(); unit !== undefined; unit = queue.shift()) {
    if (unit !== start && goal.test(unit)) {
      const steps: string[] = [];
      for (let at = unit, before = cameFrom.get(at); before != null; at = before, before = cameFrom.get(at)) {
        steps.unshift(`${before} -> ${at}: ${graph.get(before)?.get(at)}`);
      }
      return steps;
    }
    for (const next of graph.get(unit)?.keys() ?? []) {
      if (!cameFrom.has(next)) {
        cameFrom.set(next, unit);
        queue.push(next);
      }
    }
  }
  return null;
}

/** A cycle of the graph as its edges, each with its evidence; null when there is none. */
function findCycle(graph: FolderGraph): string[] | null {
  const done = new Set<string>();
  const trail: string[] = [];
  const visit = (unit: string): string[] | null => {
    const open = trail.indexOf(unit);
    if (open >= 0) {
      const loop = [...trail.slice(open), unit];
      return loop.slice(1).map((to, i) => `${loop[i]} -> ${to}: ${graph.get(loop[i] ?? '')?.get(to)}`);
    }
    if (done.has(unit)) return null;
    trail.push(unit);
    for (const next of graph.get(unit)?.keys() ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    trail.pop();
    done.add(unit);
    return null;
  };
  for (const unit of [...graph.keys()].sort()) {
    const cycle = visit(unit);
    if (cycle) return cycle;
  }
  return null;
}

describe('the import graph', () => {
  it.each(sources('graphql'))('lets %s reach data through services only', (file) => {
    const direct = runtimeImports(file).filter(
      ({ target, names }) => target.includes('.repository.') || /\binTransaction/.test(names),
    );
    expect(direct).toEqual([]);
  });

  // The fact pipeline (events) writes the outbox, so webhooks sit below it: facts and the due-date
  // scan hand it notices; it never reads their code, not even their types.
  it.each(sources('services/webhooks'))(
    'keeps %s below events, trade, receivables and verification',
    (file) => {
      const above = imports(file).filter(({ target }) =>
        /^services\/(events|trade|receivables|financing|verify|exposure)\//.test(target),
      );
      expect(above).toEqual([]);
    },
  );

  const graph = folderGraph(['services', 'graphql', 'scripts']);

  it('sees the folders it checks', () => {
    for (const unit of ['graphql', 'scripts', 'services/ledger', 'services/events', 'services/parties']) {
      expect(graph.has(unit), unit).toBe(true);
    }
  });

  it('lets graphql import services only', () => {
    expect(edges(graph, /^graphql$/, /^(?!services\/)/)).toEqual([]);
  });

  it('keeps services free of graphql, scripts and tests', () => {
    expect(edges(graph, /^services\//, /^(graphql|scripts|test)$/)).toEqual([]);
  });

  it('keeps the Merkle log below trade, receivables, financing and what composes them', () => {
    const goal = /^services\/(trade|receivables|financing|verify|exposure|objects)$/;
    expect(pathTo(graph, 'services/ledger', goal)).toBeNull();
  });

  it('has no folders that import each other, directly or round a cycle', () => {
    expect(findCycle(graph)).toBeNull();
  });
});
