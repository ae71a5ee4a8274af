/**
 * The check `npm run test:mutation` makes after Stryker: every mutant still alive in its JSON report
 * must be named, with the reason it is equivalent, in docs/mutation-survivors.md. Apart from the
 * command so that a test can hand it a report without running Stryker.
 */
import path from 'node:path';

interface ReportMutant {
  mutatorName: string;
  replacement?: string;
  status: string;
  location: { start: { line: number; column: number } };
}

/** The part of Stryker's mutation-testing-report-schema JSON the check reads. */
export interface MutationReport {
  files: Record<string, { mutants: ReportMutant[] }>;
}

/** `- services/money/money.ts:12:5 StringLiteral: why` -> "services/money/money.ts:12:5 StringLiteral". */
export function listedSurvivors(markdown: string): Set<string> {
  const keys = new Set<string>();
  for (const line of markdown.split('\n')) {
    const match = /^- `?(\S+?:\d+:\d+) (\w+)`?/.exec(line);
    if (match) keys.add(`${match[1]} ${match[2]}`);
  }
  return keys;
}

/**
 * The survivors (Survived or NoCoverage) of `report` that `markdown` does not list, one line each:
 * `file:line:column Mutator (status) -> replacement`, file relative to `root`.
 */
export function unlistedSurvivors(report: MutationReport, markdown: string, root: string): string[] {
  const listed = listedSurvivors(markdown);
  const unlisted: string[] = [];
  for (const [file, { mutants }] of Object.entries(report.files)) {
    for (const mutant of mutants) {
      if (mutant.status !== 'Survived' && mutant.status !== 'NoCoverage') continue;
      const { line, column } = mutant.location.start;
      const key = `${path.relative(root, path.resolve(root, file))}:${line}:${column} ${mutant.mutatorName}`;
      if (!listed.has(key)) unlisted.push(`${key} (${mutant.status}) -> ${mutant.replacement ?? ''}`);
    }
  }
  return unlisted;
}
