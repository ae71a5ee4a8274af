/** C2SP tlog-tiles paths: the specification's examples, round trips, and only canonical spellings. */
import { describe, expect, it } from 'vitest';
import { encodeTileIndex, parseTilePath, tilePath } from '../../services/ledger/tile-path.js';

describe('tile paths', () => {
  it('writes the index in groups of three digits, all but the last prefixed with x', () => {
    expect(encodeTileIndex(1_234_067n)).toBe('x001/x234/067');
    expect(encodeTileIndex(0n)).toBe('000');
    expect(encodeTileIndex(999n)).toBe('999');
    expect(encodeTileIndex(1000n)).toBe('x001/000');
    expect(encodeTileIndex(2n ** 64n)).toBe('x018/x446/x744/x073/x709/x551/616');
  });

  it.each([
    ['tile/0/000', { level: 0, index: 0n, width: 256 }],
    ['tile/1/x001/x234/067.p/17', { level: 1, index: 1_234_067n, width: 17 }],
    ['tile/63/x001/000', { level: 63, index: 1000n, width: 256 }],
    ['tile/entries/x002/345.p/255', { level: 'entries', index: 2345n, width: 255 }],
    ['tile/entries/007.p/1', { level: 'entries', index: 7n, width: 1 }],
  ] as const)('reads %s and writes it back the same', (path, address) => {
    expect(parseTilePath(path)).toEqual({ ok: true, address });
    expect(tilePath(address)).toBe(path);
  });

  it.each([
    ['tile/0/x000/001', /canonical spelling .* tile\/0\/001/],
    ['tile/0/000.p/256', /width is 1 to 255/],
    ['tile/0/000.p/00', /width is 1 to 255/],
    ['tile/64/000', /0 to 63/],
    ['tile/0/12', /groups of three digits/],
    ['tiles/0/000', /tile\/<L>\/<N>/],
  ])('refuses %s and says why', (path, reason) => {
    const parsed = parseTilePath(path);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });
});
