/** Runs a query when its variables change; `reload` runs it again after a mutation. */
import type { TadaDocumentNode } from 'gql.tada';
import { useCallback, useEffect, useRef, useState } from 'react';
import { request } from './client';

export interface QueryState<Result> {
  data: Result | null;
  error: Error | null;
  loading: boolean;
  reload: () => void;
}

export function useQuery<Result, Variables>(
  document: TadaDocumentNode<Result, Variables>,
  variables: Variables,
  options: { skip?: boolean } = {},
): QueryState<Result> {
  const [state, setState] = useState<{ data: Result | null; error: Error | null; loading: boolean }>({
    data: null,
    error: null,
    loading: !options.skip,
  });
  const [generation, setGeneration] = useState(0);
  const key = JSON.stringify(variables);
  const latest = useRef(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the variables are compared by their JSON
  useEffect(() => {
    if (options.skip) return;
    const call = ++latest.current;
    setState((previous) => ({ ...previous, loading: true }));
    request(document, variables).then(
      (data) => call === latest.current && setState({ data, error: null, loading: false }),
      (error: Error) => call === latest.current && setState({ data: null, error, loading: false }),
    );
  }, [document, key, generation, options.skip]);
  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  return { ...state, reload };
}
