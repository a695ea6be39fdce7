/**
 * The one data-loading hook of the web app: GET `path` through `api`, keep the answer, the error in
 * the server's words, and whether a load is running; `reload()` (stable across renders) fetches again (after a change, or on a timer).
 * An answer that arrives after the path changed (or the page left) is dropped, so a slow earlier
 * request never overwrites a later one. `path: null` loads nothing (e.g. a "new" form); `title` sets
 * the document title.
 */
import { type Dispatch, type SetStateAction, useCallback, useEffect, useState } from 'react';
import { api, errorText } from './api';

export interface Loaded<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
  reload: () => void;
  /** Replace the data in place (e.g. with the answer of a save), without a new request. */
  setData: Dispatch<SetStateAction<T | null>>;
}

export function useLoad<T>(path: string | null, title?: string): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(path !== null);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    if (title) document.title = `${title} — Maple Street`;
  }, [title]);
  useEffect(() => {
    if (path === null) {
      setLoading(false);
      return;
    }
    let current = true;
    setLoading(true);
    setError(null);
    api<T>('GET', path)
      .then((answer) => {
        if (!current) return;
        setData(answer);
        setError(null);
      })
      .catch((e: unknown) => {
        if (current) setError(errorText(e));
      })
      .finally(() => {
        if (current) setLoading(false);
      });
    return () => {
      current = false;
    };
  }, [path, version]);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { data, error, loading, reload, setData };
}
