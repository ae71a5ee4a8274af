/**
 * The check behind `npm run test:mutation`: a survivor that docs/mutation-survivors.md does not list
 * fails the command, one that it lists does not, and killed mutants are never asked about.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listedSurvivors, type MutationReport, unlistedSurvivors } from '../../scripts/mutation-survivors.js';

const root = path.resolve(import.meta.dirname, '../..');
const list = readFileSync(path.join(root, 'docs/mutation-survivors.md'), 'utf8');

function reportOf(...mutants: Array<[status: string, line: number, column: number, mutator: string]>) {
  return {
    files: {
      [path.join(root, 'services/money/allocate.ts')]: {
        mutants: mutants.map(([status, line, column, mutatorName]) => ({
          status,
          mutatorName,
          replacement: 'true',
          location: { start: { line, column } },
        })),
      },
    },
  } satisfies MutationReport;
}

describe('the list of surviving mutants', () => {
  it('reads every entry of the committed list as file:line:column and mutator', () => {
    const listed = listedSurvivors(list);
    expect(listed.has('services/money/allocate.ts:22:5 ConditionalExpression')).toBe(true);
    expect(listed.size).toBeGreaterThan(10);
  });

  it('passes a survivor the list names', () => {
    expect(unlistedSurvivors(reportOf(['Survived', 22, 5, 'ConditionalExpression']), list, root)).toEqual([]);
  });

  it.each(['Survived', 'NoCoverage'])(
    'fails a new %s mutant, named with its place and replacement',
    (status) => {
      expect(
        unlistedSurvivors(
          reportOf(['Survived', 22, 5, 'ConditionalExpression'], [status, 9, 3, 'BooleanLiteral']),
          list,
          root,
        ),
      ).toEqual([`services/money/allocate.ts:9:3 BooleanLiteral (${status}) -> true`]);
    },
  );

  it('does not take another mutator at a listed place for the listed one', () => {
    expect(unlistedSurvivors(reportOf(['Survived', 22, 5, 'BooleanLiteral']), list, root)).toHaveLength(1);
  });

  it.each(['Killed', 'Timeout', 'CompileError', 'RuntimeError'])('ignores a %s mutant', (status) => {
    expect(unlistedSurvivors(reportOf([status, 9, 3, 'BooleanLiteral']), list, root)).toEqual([]);
  });
});
