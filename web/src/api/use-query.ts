import { useCallback, useEffect, useState } from 'react';
import { gql } from './client.js';

export interface QueryState<T> {
  data: T | null;
  error: string | null;
  reload(): void;
}

/** Runs one query when its variables change; `reload` runs it again (after a mutation). */
export function useQuery<T>(query: string, variables: Record<string, unknown> = {}): QueryState<T> {
  const key = JSON.stringify(variables);
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setError(null);
    gql<T>(query, JSON.parse(key) as Record<string, unknown>)
      .then((d) => { if (live) setData(d); })
      .catch((err: Error) => { if (live) setError(err.message); });
    return () => { live = false; };
  }, [query, key, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, reload };
}
