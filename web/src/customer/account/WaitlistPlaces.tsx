/** The customer's own places on the waitlist (portal), each with "Leave the waitlist". Nothing when none. */
import { useState } from 'react';
import { api, errorText } from '../../api';
import { useLoad } from '../../useLoad';

interface Place {
  id: string;
  serviceName: string;
  staffName: string | null;
  fromDate: string;
  toDate: string;
  timeFrom: string;
  timeTo: string;
}

const span = (from: string, to: string) => (from === to ? from : `${from} – ${to}`);
const hours = (p: Place) => (p.timeFrom === '00:00' && p.timeTo === '24:00' ? 'any time' : `${p.timeFrom}–${p.timeTo}`);

export function WaitlistPlaces() {
  const { data, reload } = useLoad<{ entries: Place[] }>('/api/portal/waitlist');
  const [problem, setProblem] = useState<string | null>(null);
  if (!data?.entries.length) return null;
  const leave = (p: Place) =>
    api('DELETE', `/api/portal/waitlist/${p.id}`)
      .then(() => reload())
      .catch((e: unknown) => setProblem(errorText(e)));
  return (
    <>
      <h2>On the waitlist</h2>
      <p className="hint">We tell you as soon as a time like this frees up.</p>
      <ul className="account-list">
        {data.entries.map((p) => (
          <li key={p.id}>
            <h3>
              {p.serviceName}
              {p.staffName ? ` with ${p.staffName}` : ''}
            </h3>
            <p>
              {span(p.fromDate, p.toDate)}, {hours(p)}
            </p>
            <button type="button" onClick={() => void leave(p)} aria-label={`Leave the waitlist for ${p.serviceName}`}>
              Leave the waitlist
            </button>
          </li>
        ))}
      </ul>
      {problem && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}
    </>
  );
}
