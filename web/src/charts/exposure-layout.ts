/**
 * Pure helpers of the exposure picture: where each party sits (one column per depth, depth 0 on the
 * left), how wide each edge is drawn, what a loss-given-default input may be, and a loss share as a
 * percentage. No DOM, no React: unit tested in test/web/exposure-layout.test.ts.
 *
 * Amounts stay exact decimal strings. The only place one becomes a Number is edgeWidth: a line's
 * thickness in pixels, never a displayed amount.
 */

/** Exact comparison of two non-negative decimal strings ("1200.50" vs "999.9"). */
export function compareDecimal(a: string, b: string): number {
  const [aWhole = '0', aFraction = ''] = a.replace(/^\+/, '').split('.');
  const [bWhole = '0', bFraction = ''] = b.replace(/^\+/, '').split('.');
  const aInt = aWhole.replace(/^0+(?=\d)/, '');
  const bInt = bWhole.replace(/^0+(?=\d)/, '');
  if (aInt.length !== bInt.length) return aInt.length < bInt.length ? -1 : 1;
  if (aInt !== bInt) return aInt < bInt ? -1 : 1;
  const digits = Math.max(aFraction.length, bFraction.length);
  const aFrac = aFraction.padEnd(digits, '0');
  const bFrac = bFraction.padEnd(digits, '0');
  if (aFrac === bFrac) return 0;
  return aFrac < bFrac ? -1 : 1;
}

/** The largest of some decimal strings ("0" for none). */
export function largestAmount(amounts: readonly string[]): string {
  return amounts.reduce((largest, amount) => (compareDecimal(amount, largest) > 0 ? amount : largest), '0');
}

export const minEdgeWidth = 1.5;
export const maxEdgeWidth = 18;

/**
 * An edge's line width in pixels, relative to the largest edge of the picture: the largest is
 * maxEdgeWidth, a zero or missing amount minEdgeWidth, the rest in proportion (never below the
 * minimum, so every edge stays visible).
 */
export function edgeWidth(amount: string, largest: string): number {
  // Number only here: a width in pixels needs no exactness.
  const value = Number(amount);
  const top = Number(largest);
  if (!Number.isFinite(value) || !Number.isFinite(top) || top <= 0 || value <= 0) return minEdgeWidth;
  const share = Math.min(1, value / top);
  return Math.max(minEdgeWidth, Math.round((minEdgeWidth + share * (maxEdgeWidth - minEdgeWidth)) * 10) / 10);
}

export interface ColumnItem {
  id: string;
  depth: number;
  /** Orders a column: the larger amount on top (ties by id, as the API lists them). */
  amount: string;
}

export interface Placed {
  id: string;
  depth: number;
  x: number;
  y: number;
}

export interface ColumnLayout {
  placed: Placed[];
  /** The depths that have parties, ascending. */
  depths: number[];
  /** The x of each depth's column. */
  columnX: Map<number, number>;
}

/**
 * One column per depth, left to right in depth order (depth 0 leftmost), evenly spaced across the
 * width with a margin for labels; in a column, parties by amount (largest first) spread evenly over
 * the height and centred.
 */
export function layoutColumns(
  items: readonly ColumnItem[],
  size: { width: number; height: number; marginLeft?: number; marginRight?: number; marginY?: number },
): ColumnLayout {
  const marginLeft = size.marginLeft ?? 90;
  const marginRight = size.marginRight ?? 90;
  const marginY = size.marginY ?? 30;
  const byDepth = new Map<number, ColumnItem[]>();
  for (const item of items) {
    const column = byDepth.get(item.depth) ?? [];
    column.push(item);
    byDepth.set(item.depth, column);
  }
  const depths = [...byDepth.keys()].sort((a, b) => a - b);
  const columnX = new Map<number, number>();
  const usableWidth = Math.max(0, size.width - marginLeft - marginRight);
  depths.forEach((depth, index) => {
    columnX.set(
      depth,
      depths.length === 1
        ? marginLeft + usableWidth / 2
        : marginLeft + (usableWidth * index) / (depths.length - 1),
    );
  });
  const usableHeight = Math.max(0, size.height - 2 * marginY);
  const placed: Placed[] = [];
  for (const depth of depths) {
    const column = [...(byDepth.get(depth) ?? [])].sort(
      (a, b) => compareDecimal(b.amount, a.amount) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
    const step = column.length > 1 ? usableHeight / (column.length - 1) : 0;
    const top = column.length > 1 ? marginY : size.height / 2;
    column.forEach((item, index) => {
      placed.push({ id: item.id, depth, x: columnX.get(depth) ?? 0, y: top + index * step });
    });
  }
  return { placed, depths, columnX };
}

/**
 * A loss given default as typed or slid: a decimal from 0 to 1 with at most six decimals, as the API
 * takes it. Returns the normalised string ("0.45", "1", "0") or null when it is not one.
 */
export function parseLgd(input: string): string | null {
  const text = input.trim().replace(/^\./, '0.');
  const match = /^([01])(?:\.(\d{1,6}))?$/.exec(text);
  if (!match) return null;
  const whole = match[1] as string;
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (whole === '1' && fraction !== '') return null;
  return fraction === '' ? whole : `${whole}.${fraction}`;
}

/** A Ratio (integer strings) as a percentage with two decimals, exactly (floored): "12.34". */
export function ratioPercent(numerator: string, denominator: string): string {
  const denominatorValue = BigInt(denominator);
  if (denominatorValue === 0n) return '0.00';
  const hundredths = (BigInt(numerator) * 10000n) / denominatorValue;
  const whole = hundredths / 100n;
  const rest = hundredths % 100n;
  return `${whole}.${rest.toString().padStart(2, '0')}`;
}

/** Loss-share bands of the picture's colour legend, upper bounds in percent. */
export const lossBands = [
  { key: 'none', upTo: 0, colour: '#c9d1dc' },
  { key: 'low', upTo: 10, colour: '#f2c94c' },
  { key: 'medium', upTo: 30, colour: '#e8833a' },
  { key: 'high', upTo: 100, colour: '#b3261e' },
] as const;

export type LossBand = (typeof lossBands)[number]['key'];

/** Which band a loss share falls in (numerator/denominator integer strings). */
export function lossBand(numerator: string, denominator: string): LossBand {
  const denominatorValue = BigInt(denominator);
  const numeratorValue = BigInt(numerator);
  if (numeratorValue === 0n || denominatorValue === 0n) return 'none';
  // Compare exactly: numerator / denominator <= upTo / 100.
  for (const band of lossBands) {
    if (band.key === 'none') continue;
    if (numeratorValue * 100n <= BigInt(band.upTo) * denominatorValue) return band.key;
  }
  return 'high';
}

export function bandColour(band: LossBand): string {
  return lossBands.find((candidate) => candidate.key === band)?.colour ?? '#c9d1dc';
}
