/**
 * The SQL portability rules of docs/database.md that a reading of the sources can hold: every
 * statement must mean the same on PostgreSQL and on CockroachDB, and no CockroachDB runs on our CI
 * machines, so what differs is caught here, in the text, before it reaches a cluster.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../', import.meta.url).pathname;

function filesUnder(folder: string, extensions: readonly string[]): string[] {
  return readdirSync(path.join(root, folder), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? filesUnder(path.join(folder, entry.name), extensions)
      : extensions.some((extension) => entry.name.endsWith(extension))
        ? [path.join(folder, entry.name)]
        : [],
  );
}

/** Every file that holds SQL we run: the code (SQL travels in template strings) and the migrations. */
const sqlSources = [
  ...filesUnder('services', ['.ts']),
  ...filesUnder('graphql', ['.ts']),
  ...filesUnder('scripts', ['.ts']),
  ...filesUnder('schema', ['.ts', '.sql']),
];
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

/** Where in `text` the parenthesis opened at `open` closes, or -1. */
function closingParenthesis(text: string, open: number): number {
  let depth = 0;
  for (let index = open; index < text.length; index++) {
    if (text[index] === '(') depth++;
    if (text[index] === ')' && --depth === 0) return index;
  }
  return -1;
}

/** The SUM(…) calls in `text` whose result is not cast back to INT8, as written. */
function uncastSums(text: string): string[] {
  const offenders: string[] = [];
  for (const match of text.matchAll(/\bsum\s*\(/gi)) {
    const open = match.index + match[0].length - 1;
    const close = closingParenthesis(text, open);
    const call = text.slice(match.index, close + 1);
    const before = text.slice(0, match.index);
    const after = text.slice(close + 1);
    const castAfter = /^\s*::\s*INT8\b/i.test(after);
    const castAround = /CAST\s*\(\s*$/i.test(before) && /^\s*AS\s+INT8\s*\)/i.test(after);
    if (close < 0 || !(castAfter || castAround)) offenders.push(call);
  }
  return offenders;
}

/**
 * The constraints of `kinds` that a CREATE TABLE or ALTER TABLE statement declares without a
 * `CONSTRAINT <name>` just before them, by kind, in order. Quoted text is left out.
 */
function unnamedConstraints(statement: string, kinds: readonly string[]): string[] {
  if (!/^\s*(CREATE|ALTER)\s+TABLE\b/i.test(statement)) return [];
  const text = statement.replace(/'(?:[^']|'')*'/g, "''");
  const kind = new RegExp(`\\b(${kinds.map((each) => each.replace(' ', '\\s+')).join('|')})\\b`, 'gi');
  return [...text.matchAll(kind)]
    .filter((match) => !/\bCONSTRAINT\s+[a-z0-9_]+\s+$/i.test(text.slice(0, match.index)))
    .map((match) => (match[1] ?? '').toUpperCase().replace(/\s+/g, ' '));
}

describe('SQL that means the same on PostgreSQL and CockroachDB', () => {
  it('reads enough sources to mean something', () => {
    expect(sqlSources.length).toBeGreaterThan(100);
    expect(sqlSources.filter((file) => file.endsWith('.sql')).length).toBeGreaterThan(50);
  });

  // CockroachDB documents date_trunc's units in the singular only; PostgreSQL takes both.
  it('spells every date_trunc unit in the singular', () => {
    const offenders = sqlSources.flatMap((file) =>
      [...read(file).matchAll(/date_trunc\s*\(\s*'([a-z]+s)'/gi)].map((match) => `${file}: ${match[0]}`),
    );
    expect(offenders).toEqual([]);
  });

  // SUM over INT8 is NUMERIC on PostgreSQL and DECIMAL on CockroachDB: money must come back as INT8.
  it('casts every SUM back to INT8, and averages nothing', () => {
    const offenders = sqlSources.flatMap((file) => {
      const text = read(file);
      return [
        ...uncastSums(text),
        ...[...text.matchAll(/\bfn\s*\.\s*(sum|avg)\b|\bavg\s*\(/gi)].map((match) => match[0]),
      ].map((call) => `${file}: ${call}`);
    });
    expect(offenders).toEqual([]);
  });

  it.each([
    ['sum(x)::INT8', []],
    ['SUM(t.outstanding_minor)::INT8', []],
    ['CAST(sum(r.face_minor) AS INT8)', []],
    ['CAST(sum(coalesce(a, 0)) AS INT8)', []],
    ['sum(r.face_minor)', ['sum(r.face_minor)']],
    ['CAST(sum(r.face_minor) AS TEXT)', ['sum(r.face_minor)']],
    ['sum(r.face_minor)::TEXT', ['sum(r.face_minor)']],
  ])('finds an uncast sum in %s: %j', (text, expected) => {
    expect(uncastSums(text)).toEqual(expected);
  });
});

describe('constraint names', () => {
  const migrations = filesUnder('schema/migrations', ['.sql']).sort();
  const declared = new Set(
    migrations.flatMap((file) =>
      [...read(file).matchAll(/\bCONSTRAINT\s+(?!IF\b)([a-z0-9_]+)/gi)]
        .filter((match) => !/(DROP|VALIDATE|RENAME)\s+$/i.test(read(file).slice(0, match.index)))
        .map((match) => (match[1] ?? '').toLowerCase()),
    ),
  );
  /**
   * Migrations that name a constraint the server named itself, from before the rule. 0031 drops
   * PostgreSQL's default name for the foreign key the first 0025 created; 0025 no longer creates it,
   * so on a fresh database of either server there is nothing to drop (see docs/database.md).
   */
  const beforeTheRule = new Map([['schema/migrations/0031_leaf_without_event_fk.sql', 'leaf_event_id_fkey']]);

  // A default name is the server's choice (CockroachDB's differed from PostgreSQL's before v22.1), so
  // a statement that names a constraint must name one a migration named.
  it('refers by name only to constraints a migration declared by that name', () => {
    const referring = [...migrations, ...sqlSources.filter((file) => file.endsWith('.ts'))];
    const offenders = referring.flatMap((file) =>
      [
        ...read(file).matchAll(
          /\b(?:DROP|VALIDATE|RENAME)\s+CONSTRAINT\s+(?:IF\s+EXISTS\s+)?([a-z0-9_]+)|\bON\s+CONSTRAINT\s+([a-z0-9_]+)|\.constraint\(\s*'([a-z0-9_]+)'/gi,
        ),
      ]
        .map((match) => (match[1] ?? match[2] ?? match[3] ?? '').toLowerCase())
        .filter((name) => !declared.has(name) && beforeTheRule.get(file) !== name)
        .map((name) => `${file}: ${name}`),
    );
    expect(offenders).toEqual([]);
  });

  // Every constraint a migration declares is named, with the name PostgreSQL gives it by default
  // (CockroachDB's defaults differ), so old PostgreSQL databases and fresh ones of either server agree.
  it('is given to every REFERENCES, UNIQUE and CHECK a migration declares', () => {
    const offenders = migrations.flatMap((file) =>
      unnamedConstraints(read(file), ['REFERENCES', 'UNIQUE', 'CHECK']).map((kind) => `${file}: ${kind}`),
    );
    expect(offenders).toEqual([]);
  });

  // Tables created from 0080 on name their primary key too (CONSTRAINT <table>_pkey): CockroachDB
  // before v22.1 named it `primary`.
  it('is given to every constraint of a table created from 0080 on', () => {
    const newer = migrations.filter((file) => Number(path.basename(file).slice(0, 4)) >= 80);
    const offenders = newer.flatMap((file) =>
      unnamedConstraints(read(file), ['REFERENCES', 'UNIQUE', 'CHECK', 'PRIMARY KEY']).map(
        (kind) => `${file}: ${kind}`,
      ),
    );
    expect(offenders).toEqual([]);
  });

  it.each([
    ['CREATE TABLE t (a INT8 CHECK (a > 0))', ['CHECK']],
    ['CREATE TABLE t (a INT8 CONSTRAINT t_a_check CHECK (a > 0))', []],
    ['CREATE TABLE t (a UUID NOT NULL UNIQUE CONSTRAINT t_a_fkey REFERENCES u (id))', ['UNIQUE']],
    ['CREATE TABLE t (a UUID CONSTRAINT t_a_key UNIQUE CONSTRAINT t_a_fkey REFERENCES u (id))', []],
    ['CREATE TABLE t (a INT8, b INT8, UNIQUE (a, b), CONSTRAINT t_check CHECK (a <> b))', ['UNIQUE']],
    ["ALTER TABLE t ADD COLUMN IF NOT EXISTS k TEXT CHECK (k IN ('unique', 'check'))", ['CHECK']],
    ['CREATE TABLE t (id UUID PRIMARY KEY)', []],
    ['CREATE UNIQUE INDEX IF NOT EXISTS t_a ON t (a)', []],
    ['ALTER TABLE leaf DROP CONSTRAINT IF EXISTS leaf_event_id_fkey', []],
  ])('finds the unnamed constraints of %s: %j', (text, expected) => {
    expect(unnamedConstraints(text, ['REFERENCES', 'UNIQUE', 'CHECK'])).toEqual(expected);
  });
});
