/**
 * The appointment card's series panel: which visit of a recurring series this is, the rule, every
 * visit with its status (each a link to its card), and "cancel this and following" (one workflow
 * update per visit, done by the server). Renders nothing for a single appointment.
 */
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, errorText } from '../api';
import { formatDateTime } from '../format';

interface SeriesInfo {
  id: string;
  rule: string;
  count: number;
  index: number;
  occurrences: Array<{ id: string; index: number; startsAt: string; status: string }>;
}

export function SeriesPanel({ appointmentId, timeZone }: { appointmentId: string; timeZone: string }) {
  const [series, setSeries] = useState<SeriesInfo | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const load = useCallback(() => {
    api<{ series: SeriesInfo | null }>('GET', `/api/admin/appointments/${appointmentId}/series`)
      .then((r) => setSeries(r.series))
      .catch((e: unknown) => setNotice(errorText(e)));
  }, [appointmentId]);
  useEffect(load, [load]);
  if (!series) return notice ? <p role="alert">{notice}</p> : null;
  const cancelFollowing = () =>
    api<{ cancelled: string[] }>('POST', `/api/appointments/${appointmentId}/series/cancel`, {
      scope: 'following',
      reason: 'Cancelled from the appointment card',
    })
      .then((r) => {
        setNotice(`${r.cancelled.length} visit(s) cancelled.`);
        load();
      })
      .catch((e: unknown) => setNotice(errorText(e)));
  return (
    <section className="panel" aria-labelledby="series-heading" data-testid="series">
      <h2 id="series-heading">
        Series: visit {series.index} of {series.count}
      </h2>
      <p>Repeats {series.rule}.</p>
      <ol>
        {series.occurrences.map((o) => (
          <li key={o.id}>
            {o.id === appointmentId ? (
              <strong>{formatDateTime(o.startsAt, timeZone)}</strong>
            ) : (
              <Link to={`/admin/appointments/${o.id}`}>{formatDateTime(o.startsAt, timeZone)}</Link>
            )}{' '}
            — {o.status}
          </li>
        ))}
      </ol>
      <button type="button" onClick={() => void cancelFollowing()}>
        Cancel this and following visits
      </button>
      {notice && <p role="status">{notice}</p>}
    </section>
  );
}
