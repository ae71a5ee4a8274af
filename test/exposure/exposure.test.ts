/**
 * exposure() on hand-computed networks, to the minor unit. The main network is README's worked
 * example: a core enterprise C, a three-tier chain of splits from S1's receivable, a diamond, and a
 * holder Q whose claims are settled, cancelled, overdue, on hold and defaulted, in two currencies.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Exposure, ExposureDirection } from '../../services/exposure/exposure.js';
import { exposure } from '../../services/exposure/exposure.service.js';
import { useTestLedger } from '../support/ledger.js';
import { type ClaimSpec, claimWorld, insertClaims, insertParties } from './claim-world.js';

const t = useTestLedger();
/** Overdue is read against 2025-06-01 with no grace days: due dates before it are overdue. */
const now = new Date('2025-06-01T08:00:00Z');
const past = '2025-05-01';

const names = ['C', 'S1', 'T', 'U', 'V', 'W', 'X', 'Q', 'A', 'B', 'K'] as const;
type Name = (typeof names)[number];
const id = {} as Record<Name, string>;
const nameOf = new Map<string, Name>();

beforeAll(async () => {
  const world = await claimWorld(t);
  const ids = await insertParties(t, names.length);
  names.forEach((name, index) => {
    id[name] = ids[index] ?? '';
    nameOf.set(ids[index] ?? '', name);
  });
  const claim = (
    holder: Name,
    obligor: Name,
    faceMinor: bigint,
    more: Partial<ClaimSpec> = {},
  ): ClaimSpec => ({
    holder: id[holder],
    obligor: id[obligor],
    faceMinor,
    ...more,
  });
  // S1's 1000.00 on C: 400.00 split to T, of which T split 150.00 to U. The parts keep C as obligor.
  const root = claim('S1', 'C', 100000n, { transferredMinor: 40000n });
  await insertClaims(t, world, [root]);
  const tier1 = claim('T', 'C', 40000n, { transferredMinor: 15000n, parentId: root.id });
  await insertClaims(t, world, [tier1]);
  await insertClaims(t, world, [
    claim('U', 'C', 15000n, { parentId: tier1.id }),
    claim('T', 'S1', 20000n),
    claim('U', 'T', 5000n),
    claim('V', 'U', 3000n),
    // The diamond: W holds on S1 and on T, both at depth 1; X on W and V, both at depth 2.
    claim('W', 'S1', 7000n),
    claim('W', 'T', 2000n),
    claim('X', 'W', 800n),
    claim('X', 'V', 1200n),
    // Q: settled and cancelled count nothing; 6000 overdue, 3000 on hold, 2000 defaulted.
    claim('Q', 'C', 5000n, { status: 'settled', settledMinor: 5000n, dueDate: past }),
    claim('Q', 'C', 6000n, { status: 'cancelled', creditedMinor: 6000n }),
    claim('Q', 'C', 10000n, { status: 'partially_settled', settledMinor: 4000n, dueDate: past }),
    claim('Q', 'C', 3000n, { onHold: true }),
    claim('Q', 'C', 2000n, { status: 'defaulted', dueDate: past }),
    claim('Q', 'C', 9999n, { currency: 'USD' }),
    // The cycle A -> B -> K -> A (holder -> obligor).
    claim('A', 'B', 100n),
    claim('B', 'K', 200n),
    claim('K', 'A', 300n),
  ]);
});

/** Rows as [name, depth, direct, claim, overdue, defaulted, onHold, tierMin, tierMax], by depth and name. */
function table(answer: Exposure) {
  return answer.rows
    .map((row) => [
      nameOf.get(row.partyId),
      row.depth,
      row.directClaimMinor,
      row.claimMinor,
      row.overdueMinor,
      row.defaultedMinor,
      row.onHoldMinor,
      row.tierMin,
      row.tierMax,
    ])
    .sort((a, b) => Number(a[1]) - Number(b[1]) || String(a[0]).localeCompare(String(b[0])));
}

async function ask(party: Name, direction: ExposureDirection, maxDepth = 8, currency = 'CNY') {
  const answer = await exposure(
    t.ledger,
    t.admin,
    { partyId: id[party], direction, maxDepth, currency },
    now,
  );
  if (!answer.ok) throw new Error(`${answer.code}: ${answer.message}`);
  return answer.value;
}

describe('exposure UPSTREAM', () => {
  it('counts split parts as claims on the original obligor, each party once at its shortest depth', async () => {
    const answer = await ask('C', 'upstream');
    expect(table(answer)).toEqual([
      ['Q', 1, 11000n, 11000n, 6000n, 2000n, 3000n, 0, 0],
      ['S1', 1, 60000n, 60000n, 0n, 0n, 0n, 0, 0],
      ['T', 1, 25000n, 25000n, 0n, 0n, 0n, 1, 1],
      ['U', 1, 15000n, 15000n, 0n, 0n, 0n, 2, 2],
      ['V', 2, 0n, 3000n, 0n, 0n, 0n, 0, 0],
      ['W', 2, 0n, 9000n, 0n, 0n, 0n, 0, 0],
      ['X', 3, 0n, 2000n, 0n, 0n, 0n, 0, 0],
    ]);
    expect(answer.overdueCutoff).toBe('2025-06-01');
    expect(answer.totals).toEqual([
      {
        depth: 1,
        partyCount: 4,
        directClaimMinor: 111000n,
        claimMinor: 111000n,
        overdueMinor: 6000n,
        defaultedMinor: 2000n,
        onHoldMinor: 3000n,
      },
      {
        depth: 2,
        partyCount: 2,
        directClaimMinor: 0n,
        claimMinor: 12000n,
        overdueMinor: 0n,
        defaultedMinor: 0n,
        onHoldMinor: 0n,
      },
      {
        depth: 3,
        partyCount: 1,
        directClaimMinor: 0n,
        claimMinor: 2000n,
        overdueMinor: 0n,
        defaultedMinor: 0n,
        onHoldMinor: 0n,
      },
    ]);
  });

  it("draws the walk edge by edge when asked: each party's links sum to its claim on the previous depth", async () => {
    const answer = await exposure(
      t.ledger,
      t.admin,
      { partyId: id.C, direction: 'upstream', maxDepth: 8, currency: 'CNY' },
      now,
      {
        links: true,
      },
    );
    if (!answer.ok) throw new Error(answer.message);
    const links = (answer.value.links ?? []).map((link) => [
      link.depth,
      nameOf.get(link.nearPartyId),
      nameOf.get(link.farPartyId),
      link.claimMinor,
    ]);
    // T's claim on S1 and U's on T join parties of one depth: not links of the walk.
    expect(
      links.sort((a, b) => Number(a[0]) - Number(b[0]) || `${a[2]}${a[1]}`.localeCompare(`${b[2]}${b[1]}`)),
    ).toEqual([
      [1, 'C', 'Q', 11000n],
      [1, 'C', 'S1', 60000n],
      [1, 'C', 'T', 25000n],
      [1, 'C', 'U', 15000n],
      [2, 'U', 'V', 3000n],
      [2, 'S1', 'W', 7000n],
      [2, 'T', 'W', 2000n],
      [3, 'V', 'X', 1200n],
      [3, 'W', 'X', 800n],
    ]);
    // Not asked for, not read.
    expect((await ask('C', 'upstream')).links).toBeNull();
  });

  it('stops at maxDepth', async () => {
    const answer = await ask('C', 'upstream', 2);
    expect(table(answer).map((row) => row[0])).toEqual(['Q', 'S1', 'T', 'U', 'V', 'W']);
    expect(answer.totals).toHaveLength(2);
  });

  it('reads one currency at a time', async () => {
    expect(table(await ask('C', 'upstream', 8, 'USD'))).toEqual([['Q', 1, 9999n, 9999n, 0n, 0n, 0n, 0, 0]]);
    expect((await ask('C', 'upstream', 8, 'EUR')).rows).toEqual([]);
  });

  it('walks a cycle once and never lists the party asked about', async () => {
    expect(table(await ask('A', 'upstream'))).toEqual([
      ['K', 1, 300n, 300n, 0n, 0n, 0n, 0, 0],
      ['B', 2, 0n, 200n, 0n, 0n, 0n, 0, 0],
    ]);
  });
});

describe('exposure DOWNSTREAM', () => {
  it('follows the claims held, depth by depth, through the diamond to the core enterprise', async () => {
    expect(table(await ask('X', 'downstream'))).toEqual([
      ['V', 1, 1200n, 1200n, 0n, 0n, 0n, 0, 0],
      ['W', 1, 800n, 800n, 0n, 0n, 0n, 0, 0],
      ['S1', 2, 0n, 7000n, 0n, 0n, 0n, 0, 0],
      ['T', 2, 0n, 2000n, 0n, 0n, 0n, 0, 0],
      ['U', 2, 0n, 3000n, 0n, 0n, 0n, 0, 0],
      ['C', 3, 0n, 100000n, 0n, 0n, 0n, 0, 2],
    ]);
  });

  it('shows what a holder of troubled paper is exposed to', async () => {
    expect(table(await ask('Q', 'downstream'))).toEqual([
      ['C', 1, 11000n, 11000n, 6000n, 2000n, 3000n, 0, 0],
    ]);
  });

  it('walks a cycle once', async () => {
    expect(table(await ask('A', 'downstream'))).toEqual([
      ['B', 1, 100n, 100n, 0n, 0n, 0n, 0, 0],
      ['K', 2, 0n, 200n, 0n, 0n, 0n, 0, 0],
    ]);
  });
});
