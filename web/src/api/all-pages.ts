/**
 * Reads a whole connection, page by page (100 at a time, the API's page limit), for lists the
 * console filters and exports in the browser. `onPage` reports progress on long lists.
 */
export interface Page<Node> {
  nodes: Node[];
  endCursor: string | null;
  hasNextPage: boolean;
}

export async function allPages<Node>(
  fetchPage: (after: string | null) => Promise<Page<Node>>,
  onPage?: (loaded: number) => void,
  pagesMax = 200,
): Promise<Node[]> {
  const nodes: Node[] = [];
  let after: string | null = null;
  for (let page = 0; page < pagesMax; page++) {
    const answer: Page<Node> = await fetchPage(after);
    nodes.push(...answer.nodes);
    onPage?.(nodes.length);
    if (!answer.hasNextPage || answer.endCursor === null) break;
    after = answer.endCursor;
  }
  return nodes;
}

/** The nodes and page info of a Relay connection answer. */
export function pageOf<Node>(connection: {
  edges: readonly { node: Node }[];
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
}): Page<Node> {
  return {
    nodes: connection.edges.map((edge) => edge.node),
    endCursor: connection.pageInfo.endCursor,
    hasNextPage: connection.pageInfo.hasNextPage,
  };
}
