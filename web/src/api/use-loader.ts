/** Runs an async loader (several requests, paging) when its key changes; `reload` runs it again. */
import { useCallback, useEffect, useRef, useState } from 'react';

export interface Loaded<Value> {
  value: Value | null;
  error: Error | null;
  loading: boolean;
  reload: () => void;
}

export function useLoader<Value>(load: () => Promise<Value>, key: string): Loaded<Value> {
  const [state, setState] = useState<{ value: Value | null; error: Error | null; loading: boolean }>({
    value: null,
    error: null,
    loading: true,
  });
  const [generation, setGeneration] = useState(0);
  const latest = useRef(0);
  const loader = useRef(load);
  loader.current = load;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the key says when to load again
  useEffect(() => {
    const call = ++latest.current;
    setState((previous) => ({ ...previous, loading: true }));
    loader.current().then(
      (value) => call === latest.current && setState({ value, error: null, loading: false }),
      (error: Error) => call === latest.current && setState({ value: null, error, loading: false }),
    );
  }, [key, generation]);
  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  return { ...state, reload };
}
