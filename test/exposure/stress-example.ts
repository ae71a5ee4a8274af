/**
 * The worked example of the README's stress rule (CNY, amounts in fen): O defaults with LGD 0.4.
 * The pure rule and the database test both check these numbers.
 */
export const exampleClaims = [
  // [holder, obligor, amount]
  ['A', 'O', '1000.00'],
  ['B', 'O', '333.33'],
  ['A', 'Q', '1500.00'],
  ['C', 'A', '500.00'],
  ['C', 'B', '300.00'],
  ['C', 'Q', '200.00'],
  ['D', 'B', '100.01'],
  ['E', 'C', '1000.00'],
  ['E', 'D', '50.00'],
  ['F', 'E', '10.00'],
] as const;

/** maxDepth 3: F, a fourth level, is not reached. [party, level, loss in fen, share] */
export const exampleLosses = [
  ['A', 1, 40_000n, '4/25'],
  ['B', 1, 13_333n, '13333/33333'],
  ['C', 2, 19_999n, '19999/100000'],
  ['D', 2, 4_000n, '4000/10001'],
  ['E', 3, 21_998n, '10999/52500'],
] as const;

export const exampleTotalLossMinor = 99_330n;
