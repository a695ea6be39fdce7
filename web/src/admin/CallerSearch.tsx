/**
 * Finding the caller (issue 15): type part of a name, email or phone number and pick them from the
 * server's matches (GET /api/admin/contacts?q=, indexed), or from the customers booked most recently;
 * picking fills the booking form and shows their notes.
 */
import { useEffect, useState } from 'react';
import { api, errorText } from '../api';

export interface CallerHit {
  id: string;
  name: string;
  email: string;
  phone: string | null;
  address: string | null;
  notes: string;
}

export function CallerSearch(props: { onPick: (hit: CallerHit) => void }) {
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<CallerHit[] | null>(null);
  const [recent, setRecent] = useState<CallerHit[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<{ contacts: CallerHit[] }>('GET', '/api/admin/contacts?recent=true')
      .then((r) => setRecent(r.contacts))
      .catch(() => undefined);
  }, []);
  useEffect(() => {
    const text = q.trim();
    if (text.length < 2) {
      setHits(null);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      api<{ contacts: CallerHit[] }>('GET', `/api/admin/contacts?${new URLSearchParams({ q: text, limit: '8' })}`)
        .then((r) => live && setHits(r.contacts))
        .catch((e: unknown) => live && setError(errorText(e)));
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [q]);
  const list = hits ?? recent;
  return (
    <fieldset>
      <legend>Who is calling?</legend>
      <label htmlFor="nb-find">Find the caller</label>
      <input
        id="nb-find"
        type="search"
        autoComplete="off"
        value={q}
        onChange={(e) => setQ(e.target.value)}
        aria-describedby="nb-find-hint"
      />
      <p className="hint" id="nb-find-hint" aria-live="polite">
        {hits === null
          ? `Part of their name, email or phone number${recent.length ? '; recent customers are below' : ''}.`
          : hits.length
            ? `${hits.length} match${hits.length === 1 ? '' : 'es'}.`
            : 'No customer matches; fill in the new customer below.'}
      </p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {list.length > 0 && (
        <ul className="search-results" aria-label={hits ? 'Matching customers' : 'Recent customers'}>
          {list.map((c) => (
            <li key={c.id}>
              <button type="button" onClick={() => props.onPick(c)}>
                <strong>{c.name}</strong> · {c.email}
                {c.phone ? ` · ${c.phone}` : ''}
              </button>
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}
