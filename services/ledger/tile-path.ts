/**
 * The resource paths of C2SP tlog-tiles (c2sp.org/tlog-tiles): `tile/<L>/<N>[.p/<W>]` for hashes and
 * `tile/entries/<N>[.p/<W>]` for entry bundles. N is written in groups of three digits, all but the
 * last prefixed with "x" (1234067 -> x001/x234/067). Only the canonical spelling parses (as in Go's
 * tlog.ParseTilePath: no leading "x000/" group, no leading zero in L or W), so every resource has
 * exactly one URL for caches to hold.
 */

/** Hashes per full tile; a partial tile holds 1 to 255. */
export const fullTileWidth = 256;
/** Levels the specification allows in a path; level 8 and up would need more than 2^64 leaves. */
export const tileLevelMax = 63;

export interface TileAddress {
  /** The tile level (0 = leaf hashes), or 'entries' for an entry bundle. */
  level: number | 'entries';
  /** The tile's index within its level; a bigint, since a path may name any integer. */
  index: bigint;
  /** fullTileWidth for a full tile, 1 to 255 for a partial one. */
  width: number;
}

/** N as path elements: 1234067 -> "x001/x234/067", 5 -> "005". */
export function encodeTileIndex(index: bigint): string {
  if (index < 0n) throw new RangeError(`a tile index is non-negative, got ${index}`);
  let rest = index;
  let path = (rest % 1000n).toString().padStart(3, '0');
  while (rest >= 1000n) {
    rest /= 1000n;
    path = `x${(rest % 1000n).toString().padStart(3, '0')}/${path}`;
  }
  return path;
}

/** "tile/<L>/<N>[.p/<W>]" or "tile/entries/<N>[.p/<W>]", relative to the log's prefix. */
export function tilePath(address: TileAddress): string {
  const partial = address.width === fullTileWidth ? '' : `.p/${address.width}`;
  return `tile/${address.level}/${encodeTileIndex(address.index)}${partial}`;
}

const levelPattern = /^(?:0|[1-9][0-9]?)$/;
const widthPattern = /^[1-9][0-9]{0,2}$/;
const innerGroupPattern = /^x[0-9]{3}$/;
const lastGroupPattern = /^[0-9]{3}$/;

export type ParsedTilePath = { ok: true; address: TileAddress } | { ok: false; reason: string };

/** Reads a path relative to the log's prefix, e.g. "tile/1/x001/234.p/17"; says why when it cannot. */
export function parseTilePath(path: string): ParsedTilePath {
  const bad = (reason: string): ParsedTilePath => ({ ok: false, reason });
  const parts = path.split('/');
  if (parts[0] !== 'tile' || parts.length < 3) return bad('a tile path is tile/<L>/<N>[.p/<W>]');
  const levelText = parts[1] ?? '';
  let level: number | 'entries';
  if (levelText === 'entries') level = 'entries';
  else if (levelPattern.test(levelText) && Number(levelText) <= tileLevelMax) level = Number(levelText);
  else return bad(`the level must be "entries" or 0 to ${tileLevelMax} without leading zeros`);
  const groups = parts.slice(2);
  let width = fullTileWidth;
  const beforeLast = groups[groups.length - 2];
  if (beforeLast?.endsWith('.p')) {
    const widthText = groups.pop() ?? '';
    if (!widthPattern.test(widthText) || Number(widthText) >= fullTileWidth) {
      return bad(`a partial tile's width is 1 to ${fullTileWidth - 1} without leading zeros`);
    }
    width = Number(widthText);
    groups[groups.length - 1] = beforeLast.slice(0, -'.p'.length);
  }
  let index = 0n;
  for (const [position, group] of groups.entries()) {
    const last = position === groups.length - 1;
    if (!(last ? lastGroupPattern : innerGroupPattern).test(group)) {
      return bad('the index is groups of three digits, all but the last prefixed with x (x001/x234/067)');
    }
    index = index * 1000n + BigInt(last ? group : group.slice(1));
  }
  const address = { level, index, width };
  if (tilePath(address) !== path) {
    return bad(`not the canonical spelling of this tile's path, which is ${tilePath(address)}`);
  }
  return { ok: true, address };
}
