/**
 * `npm run bench -- exposure` at toy sizes on the test server: every answer agrees with the in-memory
 * reference (the bench throws otherwise), each cell has its ratio of the same run, the summary is a
 * markdown table, and the target is only judged at 1M receivables. Speeds are not asserted here.
 */
import { describe, expect, inject, it } from 'vitest';
import type { BenchServer } from '../../scripts/bench/bench-database.js';
import { exposureSummaryLines, partiesFor, runExposureBench } from '../../scripts/bench/exposure.js';

describe('the exposure benchmark', { timeout: 180_000 }, () => {
  it('times the four reads beside the reference at each size and prints a table', async () => {
    const server: BenchServer = {
      adminUrl: inject('adminDatabaseUrl'),
      label: 'test server',
      stop: async () => {},
    };
    const lines: string[] = [];
    const report = await runExposureBench(server, { sizes: [1500, 3000], runs: 3, seed: 3 }, (line) =>
      lines.push(line),
    );
    expect(report.sizes.map((size) => [size.receivables, size.parties])).toEqual([
      [1500, partiesFor(1500)],
      [3000, partiesFor(3000)],
    ]);
    for (const size of report.sizes) {
      expect(size.measures.map((cell) => cell.what)).toEqual([
        'upstream',
        'downstream',
        'upstreamAsOf',
        'stress',
      ]);
      for (const cell of size.measures) {
        expect(cell.partiesReached).toBeGreaterThan(0);
        expect(cell.sql.p50Ms).toBeLessThanOrEqual(cell.sql.p99Ms);
        expect(cell.ratioP50).toBeCloseTo(cell.sql.p50Ms / cell.reference.p50Ms, 9);
      }
      expect(size.plan).toBeNull();
    }
    expect(report.targetMet).toBeNull();
    const summary = exposureSummaryLines(report);
    expect(summary).toContain(
      '| receivables | parties | seed s | query | reached | SQL p50 ms | SQL p99 ms | reference p50 ms | reference p99 ms | ratio p50 | ratio p99 |',
    );
    expect(summary.filter((line) => /^\| 3,000 \| .*× \|$/.test(line))).toHaveLength(4);
    expect(summary.at(-1)).toMatch(/not measured at this size/);
    expect(JSON.parse(JSON.stringify(report)).bench).toBe('exposure');
  });
});
