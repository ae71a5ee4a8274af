/**
 * The stress rule as a pure function: the README's worked example to the fen, a cycle, the share at
 * its cap, the LGD parser, and properties over random graphs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ClaimEdge,
  parseLossGivenDefault,
  type StressResult,
  stress,
} from '../../services/exposure/stress.js';
import { parseAmount } from '../../services/money/money.js';
import { exampleClaims, exampleLosses, exampleTotalLossMinor } from './stress-example.js';

function edge(
  holderPartyId: string,
  obligorPartyId: string,
  claimMinor: bigint,
  financedMinor = 0n,
): ClaimEdge {
  return { holderPartyId, obligorPartyId, claimMinor, financedMinor };
}

function heldOf(edges: readonly ClaimEdge[]): Map<string, bigint> {
  const held = new Map<string, bigint>();
  for (const e of edges) held.set(e.holderPartyId, (held.get(e.holderPartyId) ?? 0n) + e.claimMinor);
  return held;
}

function run(edges: ClaimEdge[], lgdMicros: bigint, maxDepth = 8, held = heldOf(edges)): StressResult {
  return stress({ obligorPartyId: 'O', lossGivenDefaultMicros: lgdMicros, maxDepth, edges, heldMinor: held });
}

const rows = (result: StressResult) =>
  result.parties.map((p) => [p.partyId, p.level, p.lossMinor, `${p.share.numerator}/${p.share.denominator}`]);

const exampleEdges = exampleClaims.map(([holder, obligor, amount]) => {
  const parsed = parseAmount(amount, 'CNY');
  if (!parsed.ok) throw new Error(amount);
  return edge(holder, obligor, parsed.value);
});

describe('stress', () => {
  it('passes the README example through three levels at LGD 0.4, to the fen', () => {
    const result = run(exampleEdges, 400_000n, 3);
    expect(rows(result)).toEqual(exampleLosses.map((row) => [...row]));
    expect(result.totalLossMinor).toBe(exampleTotalLossMinor);
  });

  it('adds the losses of a party reached from two parties of one level, each edge floored once', () => {
    const result = run(exampleEdges, 400_000n, 3);
    const c = result.parties.find((p) => p.partyId === 'C');
    // floor(4/25 x 50000) + floor(13333/33333 x 30000) = 8000 + 11999
    expect(c?.lossMinor).toBe(8_000n + 11_999n);
    expect(c?.exposedMinor).toBe(80_000n);
    expect(c?.heldMinor).toBe(100_000n);
  });

  it('follows a cycle once: a party reached before is not reached again', () => {
    // A holds on O and on B; B holds on C; C holds on A: A -> B -> C -> A.
    const edges = [edge('A', 'O', 1000n), edge('A', 'B', 1000n), edge('C', 'A', 500n), edge('B', 'C', 1000n)];
    expect(rows(run(edges, 400_000n))).toEqual([
      ['A', 1, 400n, '1/5'],
      ['C', 2, 100n, '1/5'],
      ['B', 3, 200n, '1/5'],
    ]);
  });

  it('reaches a share of 1 at LGD 1 and caps a loss above the held claims at 1', () => {
    const edges = [edge('A', 'O', 700n), edge('B', 'A', 300n)];
    expect(rows(run(edges, 1_000_000n))).toEqual([
      ['A', 1, 700n, '1/1'],
      ['B', 2, 300n, '1/1'],
    ]);
    // Held claims read as less than the loss (a later read, say): the share stays at 1.
    const capped = run(
      edges,
      1_000_000n,
      8,
      new Map([
        ['A', 500n],
        ['B', 300n],
      ]),
    );
    expect(capped.parties[0]?.share).toEqual({ numerator: 1n, denominator: 1n });
    expect(capped.parties[1]?.lossMinor).toBe(300n);
  });

  it('reports a lender its financed claims and the loss on them', () => {
    const edges = [edge('L', 'O', 1000n, 600n), edge('A', 'O', 1000n)];
    const result = run(edges, 333_333n, 1);
    expect(result.lenders).toEqual([
      { lenderPartyId: 'L', level: 1, financedExposedMinor: 600n, financedLossMinor: 199n },
    ]);
    expect(result.parties.find((p) => p.partyId === 'L')?.lossMinor).toBe(333n);
  });
});

describe('parseLossGivenDefault', () => {
  it.each([
    ['0', 0n],
    ['0.4', 400_000n],
    ['1', 1_000_000n],
    ['1.000000', 1_000_000n],
    ['0.000001', 1n],
  ])('reads %s', (text, micros) => {
    expect(parseLossGivenDefault(text)).toEqual({ ok: true, value: micros });
  });

  it.each(['-0.1', '1.000001', '0.0000001', 'abc', '', '.5', '40%'])(
    'refuses %j as invalid_input',
    (text) => {
      const result = parseLossGivenDefault(text);
      expect(result.ok ? null : [result.code, result.field]).toEqual(['invalid_input', 'lossGivenDefault']);
    },
  );
});

const parties = ['O', 'P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7', 'P8'];
const graphs = fc
  .array(
    fc.record({
      holder: fc.constantFrom(...parties.slice(1)),
      obligor: fc.constantFrom(...parties),
      claim: fc.bigInt({ min: 1n, max: 10_000_000n }),
    }),
    { maxLength: 30 },
  )
  .map((list) => {
    const merged = new Map<string, ClaimEdge>();
    for (const { holder, obligor, claim } of list) {
      if (holder === obligor) continue;
      const key = `${holder}>${obligor}`;
      const found = merged.get(key);
      merged.set(key, edge(holder, obligor, (found?.claimMinor ?? 0n) + claim, 0n));
    }
    return [...merged.values()];
  });
const lgd = fc.bigInt({ min: 0n, max: 1_000_000n });

describe('stress properties', () => {
  it('never takes more than a party is exposed to, nor a share above 1', () => {
    fc.assert(
      fc.property(graphs, lgd, fc.integer({ min: 1, max: 8 }), (edges, micros, depth) => {
        for (const p of run(edges, micros, depth).parties) {
          expect(p.lossMinor <= p.exposedMinor).toBe(true);
          expect(p.lossMinor >= 0n).toBe(true);
          expect(p.share.numerator <= p.share.denominator).toBe(true);
        }
      }),
    );
  });

  it('is monotone in LGD, party by party', () => {
    fc.assert(
      fc.property(graphs, lgd, lgd, (edges, x, y) => {
        const [low, high] = x <= y ? [x, y] : [y, x];
        const lows = run(edges, low).parties;
        const highs = new Map(run(edges, high).parties.map((p) => [p.partyId, p]));
        for (const p of lows) expect(p.lossMinor <= (highs.get(p.partyId)?.lossMinor ?? -1n)).toBe(true);
      }),
    );
  });

  it('takes nothing at LGD 0', () => {
    fc.assert(
      fc.property(graphs, (edges) => {
        expect(run(edges, 0n).totalLossMinor).toBe(0n);
      }),
    );
  });

  it('passes everything through a chain at LGD 1', () => {
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: 1n, max: 10n ** 12n }), { minLength: 1, maxLength: 8 }),
        (claims) => {
          const names = ['O', ...claims.map((_, i) => `P${i + 1}`)];
          const edges = claims.map((claim, i) => edge(names[i + 1] ?? '', names[i] ?? '', claim));
          const result = run(edges, 1_000_000n, claims.length);
          expect(result.parties.map((p) => p.lossMinor)).toEqual(claims);
          expect(result.parties.map((p) => p.level)).toEqual(claims.map((_, i) => i + 1));
        },
      ),
    );
  });
});
