/** Lender concentration as pure arithmetic: shares and the Herfindahl index, exactly. */
import { describe, expect, it } from 'vitest';
import { herfindahlBasisPoints, portfolios } from '../../services/exposure/lender-exposure.js';

describe('herfindahlBasisPoints', () => {
  it.each([
    [[100n], 10_000n],
    [[50n, 50n], 5_000n],
    [[1n, 1n, 1n], 3_333n], // 10000/3 = 3333.33
    [[2n, 1n], 5_556n], // 5 x 10000 / 9 = 5555.56
    [[1n, 3n], 6_250n], // 10 x 10000 / 16, exact
    [[1n, 1n, 1n, 1n, 1n, 1n, 1n, 1n], 1_250n],
    [[1n, 7n], 7_812n], // 50 x 10000 / 64 = 7812.5: half to even
    [[3n, 5n], 5_312n], // 34 x 10000 / 64 = 5312.5: half to even
    [[], 0n],
  ])('case %#', (amounts, expected) => {
    expect(herfindahlBasisPoints(amounts)).toBe(expected);
  });
});

describe('portfolios', () => {
  it('keeps currencies apart and sums obligors into their groups', () => {
    const result = portfolios([
      { obligorPartyId: 'sub1', groupTopPartyId: 'top', currency: 'CNY', outstandingMinor: 600_00n },
      { obligorPartyId: 'sub2', groupTopPartyId: 'top', currency: 'CNY', outstandingMinor: 300_00n },
      { obligorPartyId: 'solo', groupTopPartyId: 'solo', currency: 'CNY', outstandingMinor: 100_00n },
      { obligorPartyId: 'paid', groupTopPartyId: 'paid', currency: 'CNY', outstandingMinor: 0n },
      { obligorPartyId: 'sub1', groupTopPartyId: 'top', currency: 'USD', outstandingMinor: 5_00n },
    ]);
    expect(result).toEqual([
      {
        currency: 'CNY',
        totalMinor: 1000_00n,
        obligors: [
          { partyId: 'sub1', outstandingMinor: 600_00n, shareBasisPoints: 6_000n },
          { partyId: 'sub2', outstandingMinor: 300_00n, shareBasisPoints: 3_000n },
          { partyId: 'solo', outstandingMinor: 100_00n, shareBasisPoints: 1_000n },
        ],
        groups: [
          { partyId: 'top', outstandingMinor: 900_00n, shareBasisPoints: 9_000n },
          { partyId: 'solo', outstandingMinor: 100_00n, shareBasisPoints: 1_000n },
        ],
        // 0.36 + 0.09 + 0.01 = 0.46
        herfindahlBasisPoints: 4_600n,
      },
      {
        currency: 'USD',
        totalMinor: 5_00n,
        obligors: [{ partyId: 'sub1', outstandingMinor: 5_00n, shareBasisPoints: 10_000n }],
        groups: [{ partyId: 'top', outstandingMinor: 5_00n, shareBasisPoints: 10_000n }],
        herfindahlBasisPoints: 10_000n,
      },
    ]);
  });
});
