/** Keyset cursors on the API: opaque base64url strings that decode to a typed position. */

import { type PageInfoShape, resolveCursorConnection } from '@pothos/plugin-relay';
import { GraphQLError } from 'graphql';
import { isUuid } from '../services/input-rules.js';
import { type PageRequest, pageSizeDefault, pageSizeMax } from '../services/paging.js';

export interface CursorCodec<Node, Cursor> {
  encode(node: Node): string;
  decode(text: string): Cursor | null;
}

export function jsonCursor<Node, Cursor>(
  toPosition: (node: Node) => unknown,
  fromPosition: (position: unknown) => Cursor | null,
): CursorCodec<Node, Cursor> {
  return {
    encode: (node) => Buffer.from(JSON.stringify(toPosition(node))).toString('base64url'),
    decode: (text) => {
      try {
        return fromPosition(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
      } catch {
        return null;
      }
    },
  };
}

interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

function decodeOrThrow<Cursor>(codec: CursorCodec<never, Cursor>, text: string | undefined): Cursor | null {
  if (text === undefined) return null;
  const cursor = codec.decode(text);
  if (cursor === null) throw new GraphQLError('invalid cursor', { extensions: { code: 'BAD_USER_INPUT' } });
  return cursor;
}

/** Resolves a relay connection from a keyset query; `first`/`last` are capped at pageSizeMax. */
function keysetConnection<Node, Cursor>(
  args: ConnectionArgs,
  codec: CursorCodec<Node, Cursor>,
  fetch: (page: PageRequest<Cursor>) => Promise<Node[]>,
): Promise<{ pageInfo: PageInfoShape; edges: { cursor: string; node: Node }[] }> {
  for (const size of [args.first, args.last]) {
    if (size !== null && size !== undefined && (size < 0 || size > pageSizeMax)) {
      throw new GraphQLError(`page size must be between 0 and ${pageSizeMax}`, {
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
  }
  const connection = resolveCursorConnection(
    {
      args,
      toCursor: (node) => codec.encode(node as Node),
      defaultSize: pageSizeDefault,
      maxSize: pageSizeMax,
    },
    async ({ after, before, limit, inverted }) =>
      fetch({
        after: decodeOrThrow(codec as CursorCodec<never, Cursor>, after),
        before: decodeOrThrow(codec as CursorCodec<never, Cursor>, before),
        limit,
        inverted,
      }),
  );
  return connection as Promise<{ pageInfo: PageInfoShape; edges: { cursor: string; node: Node }[] }>;
}

/** A connection whose `totalCount` is counted only when a client selects it. */
export interface CountedConnection<Node> {
  pageInfo: PageInfoShape;
  edges: { cursor: string; node: Node }[];
  totalCount: () => Promise<number>;
}

export async function countedConnection<Node, Cursor>(
  args: ConnectionArgs,
  codec: CursorCodec<Node, Cursor>,
  fetch: (page: PageRequest<Cursor>) => Promise<Node[]>,
  count: () => Promise<number>,
): Promise<CountedConnection<Node>> {
  let counted: Promise<number> | null = null;
  const connection = await keysetConnection(args, codec, fetch);
  return {
    ...connection,
    totalCount: () => {
      counted ??= count();
      return counted;
    },
  };
}

export const totalCountDescription =
  'How many items match the filters, the same on every page (counted only when selected).';

/** A cursor of an instant and a UUID, the (created/recorded at, id) order of several lists. */
export function instantIdCursor<Node, Cursor>(
  toParts: (node: Node) => [Date, string],
  fromParts: (at: Date, id: string) => Cursor,
): CursorCodec<Node, Cursor> {
  return jsonCursor<Node, Cursor>(
    (node) => {
      const [at, id] = toParts(node);
      return [at.toISOString(), id];
    },
    (position) => {
      if (!Array.isArray(position) || position.length !== 2) return null;
      const [at, id] = position as unknown[];
      if (typeof at !== 'string' || Number.isNaN(Date.parse(at)) || !isUuid(id)) return null;
      return fromParts(new Date(at), id);
    },
  );
}

/**
 * A connection over a list computed whole (an exposure walk, a stress test): `keyOf` gives each node
 * a key that increases in the list's order, and the cursor is that key, so a cursor stays valid for
 * as long as its node is in the answer.
 */
export function listConnection<Node>(
  args: ConnectionArgs,
  nodes: readonly Node[],
  keyOf: (node: Node) => string,
): Promise<CountedConnection<Node>> {
  const codec = jsonCursor<Node, string>(keyOf, (position) =>
    typeof position === 'string' ? position : null,
  );
  return countedConnection(
    args,
    codec,
    async ({ after, before, limit, inverted }) => {
      const inRange = nodes.filter((node) => {
        const key = keyOf(node);
        return (after === null || key > after) && (before === null || key < before);
      });
      return (inverted ? inRange.reverse() : inRange).slice(0, limit);
    },
    async () => nodes.length,
  );
}

/** A key that orders by a small whole number, then by an id: depth or level, then party. */
export const levelKey = (level: number, id: string) => `${String(level).padStart(4, '0')} ${id}`;
