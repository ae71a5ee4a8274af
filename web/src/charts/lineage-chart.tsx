/** Placeholder until the lineage picture lands (h-exposure): the table beside it carries the numbers. */
export function LineageChart(_: { receivableId: string }) {
  return null;
}
