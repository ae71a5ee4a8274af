/**
 * The SQL walk against the in-memory reference on seeded random claim graphs of up to 200 parties:
 * parts split off earlier receivables, cycles, every status, on hold, overdue or not, two currencies.
 */

import { describe, expect, it } from 'vitest';
import type { ReceivableStatus } from '../../schema/database.js';
import { mulberry32 } from '../../scripts/seed/random.js';
import { type ExposureDirection, exposureDepthMax } from '../../services/exposure/exposure.js';
import { exposure } from '../../services/exposure/exposure.service.js';
import { referenceExposure, referenceStressEdges } from '../../services/exposure/exposure-reference.js';
import { stress } from '../../services/exposure/stress.js';
import { stressTest } from '../../services/exposure/stress.service.js';
import { useTestLedger } from '../support/ledger.js';
import { type ClaimSpec, claimWorld, insertClaims, insertParties } from './claim-world.js';

const t = useTestLedger();
const now = new Date('2025-06-01T08:00:00Z');
const cutoff = '2025-06-01';

const statuses: ReceivableStatus[] = [
  'open',
  'open',
  'open',
  'partially_settled',
  'defaulted',
  'settled',
  'cancelled',
];

function randomGraph(seed: number, parties: readonly string[]): ClaimSpec[] {
  const random = mulberry32(seed);
  const specs: ClaimSpec[] = [];
  const count = random.int(parties.length * 3) + 1;
  for (let index = 0; index < count; index++) {
    const parent = specs.length > 0 && random.int(4) === 0 ? random.pick(specs) : undefined;
    const obligor = parent?.obligor ?? random.pick(parties);
    let holder = random.pick(parties);
    while (holder === obligor) holder = random.pick(parties);
    const faceMinor = BigInt(random.int(1_000_000) + 1);
    const status = random.pick(statuses);
    const paid = status === 'settled' ? faceMinor : status === 'partially_settled' ? faceMinor / 2n : 0n;
    specs.push({
      holder,
      obligor,
      faceMinor,
      currency: parent?.currency ?? (random.int(5) === 0 ? 'USD' : 'CNY'),
      status,
      settledMinor: paid,
      creditedMinor: status === 'cancelled' ? faceMinor : 0n,
      // Now and then a receivable passed on whole: nothing outstanding, so no claim.
      transferredMinor: status === 'open' && random.int(10) === 0 ? faceMinor : 0n,
      dueDate: random.pick(['2025-03-31', '2025-05-31', '2025-06-01', '2025-12-31']),
      onHold: random.int(8) === 0,
      ...(parent?.id === undefined ? {} : { parentId: parent.id }),
    });
  }
  return specs;
}

describe('exposure against the reference traversal', () => {
  it('agrees on random graphs of up to 200 parties, both directions, every depth', async () => {
    const world = await claimWorld(t);
    const seeds = [1, 2, 3, 4, 5, 6];
    let rowsCompared = 0;
    let linksCompared = 0;
    let deepest = 0;
    let stressedParties = 0;
    for (const seed of seeds) {
      const random = mulberry32(seed * 7919);
      const parties = await insertParties(t, seed === 1 ? 200 : random.int(199) + 2);
      const rows = await insertClaims(t, world, randomGraph(seed, parties));
      for (let question = 0; question < 10; question++) {
        const query = {
          partyId: random.pick(parties),
          direction: random.pick<ExposureDirection>(['upstream', 'downstream']),
          maxDepth: random.int(exposureDepthMax) + 1,
          currency: random.int(4) === 0 ? 'USD' : 'CNY',
        };
        // Every other question also reads the walk's links, edge by edge.
        const options = { links: question % 2 === 0 };
        const answer = await exposure(t.ledger, t.admin, query, now, options);
        if (!answer.ok) throw new Error(answer.message);
        rowsCompared += answer.value.rows.length;
        deepest = Math.max(deepest, answer.value.totals.length);
        expect(answer.value, `seed ${seed}, ${JSON.stringify(query)}`).toEqual(
          referenceExposure(rows, query, cutoff, options),
        );
        if (answer.value.links) {
          linksCompared += answer.value.links.length;
          // A party's links sum to its claim on the previous depth, to the minor unit.
          for (const row of answer.value.rows) {
            const linked = answer.value.links
              .filter((link) => link.depth === row.depth && link.farPartyId === row.partyId)
              .reduce((sum, link) => sum + link.claimMinor, 0n);
            expect(linked).toBe(row.claimMinor);
          }
        }
        // The stress test's level-by-level SQL against stress() over every edge held in memory.
        const lgdMicros = BigInt(random.int(1_000_001));
        const stressed = await stressTest(t.ledger, t.admin, {
          obligorPartyId: query.partyId,
          lossGivenDefault: `${lgdMicros / 1_000_000n}.${String(lgdMicros % 1_000_000n).padStart(6, '0')}`,
          maxDepth: query.maxDepth,
          currency: query.currency,
        });
        if (!stressed.ok) throw new Error(stressed.message);
        const inMemory = stress({
          obligorPartyId: query.partyId,
          lossGivenDefaultMicros: lgdMicros,
          maxDepth: query.maxDepth,
          ...referenceStressEdges(rows, query.currency),
        });
        expect(stressed.value.parties, `stress, seed ${seed}`).toEqual(inMemory.parties);
        expect(stressed.value.totalLossMinor).toBe(inMemory.totalLossMinor);
        stressedParties += inMemory.parties.length;
        // The balance history gives the same answer for this instant as the tables do.
        const today = new Date();
        const [current, asOfNow] = await Promise.all([
          exposure(t.ledger, t.admin, query, today),
          exposure(t.ledger, t.admin, { ...query, asOf: today }, today),
        ]);
        expect(asOfNow, `asOf now, seed ${seed}`).toEqual(
          current.ok ? { ok: true, value: { ...current.value, asOf: today } } : current,
        );
      }
    }
    // The graphs are not trivially empty: the walks reach many parties, several levels deep.
    expect(rowsCompared).toBeGreaterThan(150);
    expect(linksCompared).toBeGreaterThan(75);
    expect(deepest).toBeGreaterThanOrEqual(4);
    expect(stressedParties).toBeGreaterThan(100);
  }, 120_000);
});
