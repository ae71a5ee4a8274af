/** The exposure picture's pure helpers: edge widths, column layout, LGD input, loss shares. */
import { describe, expect, it } from 'vitest';
import {
  compareDecimal,
  edgeWidth,
  largestAmount,
  layoutColumns,
  lossBand,
  maxEdgeWidth,
  minEdgeWidth,
  parseLgd,
  ratioPercent,
} from '../../web/src/charts/exposure-layout.js';

describe('compareDecimal and largestAmount', () => {
  it('compares decimal strings exactly, beyond what a double holds', () => {
    expect(compareDecimal('1200.50', '999.99')).toBe(1);
    expect(compareDecimal('0.10', '0.1')).toBe(0);
    expect(compareDecimal('007.5', '7.50')).toBe(0);
    expect(compareDecimal('9007199254740993.01', '9007199254740993.02')).toBe(-1);
    expect(compareDecimal('12', '12.000001')).toBe(-1);
  });
  it('finds the largest amount, "0" for none', () => {
    expect(largestAmount(['20000.00', '150000.00', '12500.50'])).toBe('150000.00');
    expect(largestAmount([])).toBe('0');
  });
});

describe('edgeWidth', () => {
  it('draws the largest edge widest and the others in proportion', () => {
    expect(edgeWidth('150000.00', '150000.00')).toBe(maxEdgeWidth);
    const half = edgeWidth('75000.00', '150000.00');
    // Half the largest: half way between the minimum and the maximum (1.5 + 16.5 / 2, to 0.1 px).
    expect(half).toBe(9.8);
    expect(edgeWidth('1.00', '150000.00')).toBeGreaterThanOrEqual(minEdgeWidth);
    expect(edgeWidth('1.00', '150000.00')).toBeLessThan(half);
  });
  it('keeps every edge visible and never exceeds the maximum', () => {
    expect(edgeWidth('0', '100.00')).toBe(minEdgeWidth);
    expect(edgeWidth('0.00', '0')).toBe(minEdgeWidth);
    expect(edgeWidth('not a number', '100')).toBe(minEdgeWidth);
    expect(edgeWidth('200.00', '100.00')).toBe(maxEdgeWidth);
  });
  it('is monotonic in the amount', () => {
    const widths = ['1', '10', '100', '1000', '10000'].map((amount) => edgeWidth(amount, '10000'));
    expect([...widths].sort((a, b) => a - b)).toEqual(widths);
  });
});

describe('layoutColumns', () => {
  const size = { width: 1000, height: 400, marginLeft: 100, marginRight: 200, marginY: 20 };
  it('puts depth 0 on the left and one column per depth, left to right', () => {
    const layout = layoutColumns(
      [
        { id: 'c', depth: 2, amount: '5' },
        { id: 'root', depth: 0, amount: '0' },
        { id: 'a', depth: 1, amount: '10' },
        { id: 'b', depth: 1, amount: '30' },
      ],
      size,
    );
    expect(layout.depths).toEqual([0, 1, 2]);
    expect(layout.columnX.get(0)).toBe(100);
    expect(layout.columnX.get(1)).toBe(450);
    expect(layout.columnX.get(2)).toBe(800);
    const at = Object.fromEntries(layout.placed.map((placed) => [placed.id, placed]));
    expect(at.root?.x).toBe(100);
    // A lone party sits in the middle of its column; a column's largest amount on top.
    expect(at.root?.y).toBe(200);
    expect(at.c?.y).toBe(200);
    expect(at.b?.y).toBe(20);
    expect(at.a?.y).toBe(380);
  });
  it('spreads a column evenly and breaks ties by id', () => {
    const layout = layoutColumns(
      [
        { id: 'z', depth: 1, amount: '1.00' },
        { id: 'y', depth: 1, amount: '1.0' },
        { id: 'x', depth: 1, amount: '2' },
      ],
      size,
    );
    expect(layout.placed.map((placed) => [placed.id, placed.y])).toEqual([
      ['x', 20],
      ['y', 200],
      ['z', 380],
    ]);
    // One depth only: its column in the middle of the usable width.
    expect(layout.columnX.get(1)).toBe(450);
  });
  it('places nothing for no parties', () => {
    expect(layoutColumns([], size)).toEqual({ placed: [], depths: [], columnX: new Map() });
  });
});

describe('parseLgd', () => {
  it('accepts decimals from 0 to 1 with at most six decimals, normalised', () => {
    expect(parseLgd('0.45')).toBe('0.45');
    expect(parseLgd('0.5')).toBe('0.5');
    expect(parseLgd('0.500000')).toBe('0.5');
    expect(parseLgd(' 0.123456 ')).toBe('0.123456');
    expect(parseLgd('.25')).toBe('0.25');
    expect(parseLgd('1')).toBe('1');
    expect(parseLgd('1.000')).toBe('1');
    expect(parseLgd('0')).toBe('0');
    expect(parseLgd('0.0')).toBe('0');
  });
  it('refuses anything else', () => {
    for (const input of ['', '1.01', '2', '-0.1', '0.1234567', '45%', '0,45', 'abc', '1e-1', '01.5', '.']) {
      expect(parseLgd(input), input).toBeNull();
    }
  });
});

describe('ratioPercent and lossBand', () => {
  it('shows a ratio as a floored percentage with two decimals, exactly', () => {
    expect(ratioPercent('4', '25')).toBe('16.00');
    expect(ratioPercent('13333', '33333')).toBe('39.99');
    expect(ratioPercent('1', '1')).toBe('100.00');
    expect(ratioPercent('0', '7')).toBe('0.00');
    expect(ratioPercent('1', '3')).toBe('33.33');
    expect(ratioPercent('1', '0')).toBe('0.00');
  });
  it('puts a share in its colour band, bounds included', () => {
    expect(lossBand('0', '1')).toBe('none');
    expect(lossBand('1', '10')).toBe('low');
    expect(lossBand('1', '9')).toBe('medium');
    expect(lossBand('3', '10')).toBe('medium');
    expect(lossBand('31', '100')).toBe('high');
    expect(lossBand('1', '1')).toBe('high');
  });
});
