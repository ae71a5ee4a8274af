/**
 * A keyset page request: rows strictly after `after` and before `before` in the list's order, read
 * in reverse when `inverted` (for "the last N"). Never an offset: pages stay stable while rows arrive.
 */
export interface PageRequest<Cursor> {
  after: Cursor | null;
  before: Cursor | null;
  limit: number;
  inverted: boolean;
}

export const pageSizeMax = 100;
export const pageSizeDefault = 20;
