/**
 * Time off for a staff member (admins): before saving, the appointments booked in that time are listed
 * (GET /api/admin/time-off/conflicts) with the offer to ask each customer to choose a new time — they
 * get the next open times and their manage link (a reschedule request workflow each). Refusals are shown
 * next to the field, in words.
 */
import { type SubmitEvent, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { ApiError, api, errorText } from '../api';
import { formatDateTime } from '../format';

interface Booked {
  id: string;
  startsAt: string;
  contactName: string;
  serviceName: string;
  status: string;
}

const LABELS: Record<string, string> = { startsAt: 'From', endsAt: 'Until', reason: 'Reason', staffId: 'Staff member' };

export function TimeOffForm(props: {
  staffId: string;
  staffName: string;
  timeZone: string;
  /** After a save, with what happened in words (the page reloads, so it shows the notice). */
  onSaved: (notice: string) => void;
}) {
  const [startsAt, setStartsAt] = useState('');
  const [endsAt, setEndsAt] = useState('');
  const [reason, setReason] = useState('');
  const [booked, setBooked] = useState<Booked[]>([]);
  const [ask, setAsk] = useState(true);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const key = props.staffId.slice(0, 8);
  const range = () =>
    startsAt && endsAt ? { startsAt: new Date(startsAt).toISOString(), endsAt: new Date(endsAt).toISOString() } : null;

  useEffect(() => {
    const r =
      startsAt && endsAt && Date.parse(startsAt) < Date.parse(endsAt)
        ? { startsAt: new Date(startsAt).toISOString(), endsAt: new Date(endsAt).toISOString() }
        : null;
    if (!r) {
      setBooked([]);
      return;
    }
    let live = true;
    api<{ booked: Booked[] }>(
      'GET',
      `/api/admin/time-off/conflicts?${new URLSearchParams({ staffId: props.staffId, ...r })}`,
    )
      .then((x) => live && setBooked(x.booked))
      .catch(() => live && setBooked([]));
    return () => {
      live = false;
    };
  }, [startsAt, endsAt, props.staffId]);

  async function save(event: SubmitEvent) {
    event.preventDefault();
    setError(null);
    setProblems({});
    const r = range();
    if (!r) {
      setProblems({
        ...(startsAt ? {} : { startsAt: 'Give the start.' }),
        ...(endsAt ? {} : { endsAt: 'Give the end.' }),
      });
      return;
    }
    try {
      const saved = await api<{ rescheduleRequests: unknown[] }>('POST', '/api/admin/time-off', {
        staffId: props.staffId,
        ...r,
        reason,
        ...(booked.length > 0 ? { rescheduleBooked: ask } : {}),
      });
      const asked = saved.rescheduleRequests.length;
      setStartsAt('');
      setEndsAt('');
      setReason('');
      props.onSaved(
        `Time off saved.${asked ? ` ${asked} customer${asked === 1 ? ' was' : 's were'} asked to choose a new time.` : ''}`,
      );
    } catch (e) {
      if (e instanceof ApiError && e.fields.length) {
        setProblems(Object.fromEntries(e.fields.map((f) => [f.field, `${LABELS[f.field] ?? f.field}: ${f.message}.`])));
      } else setError(errorText(e));
    }
  }
  const field = (name: string) => ({
    'aria-invalid': problems[name] ? true : undefined,
    'aria-describedby': problems[name] ? `to-${name}-${key}-problem` : undefined,
  });
  const problem = (name: string) =>
    problems[name] ? (
      <p className="field-error" id={`to-${name}-${key}-problem`}>
        {problems[name]}
      </p>
    ) : null;
  return (
    <form onSubmit={save} aria-label={`Add time off for ${props.staffName}`}>
      <div className="row">
        <div>
          <label htmlFor={`to-startsAt-${key}`}>Time off from</label>
          <input
            id={`to-startsAt-${key}`}
            type="datetime-local"
            value={startsAt}
            onChange={(e) => setStartsAt(e.target.value)}
            {...field('startsAt')}
          />
          {problem('startsAt')}
        </div>
        <div>
          <label htmlFor={`to-endsAt-${key}`}>until</label>
          <input
            id={`to-endsAt-${key}`}
            type="datetime-local"
            value={endsAt}
            onChange={(e) => setEndsAt(e.target.value)}
            {...field('endsAt')}
          />
          {problem('endsAt')}
        </div>
        <div>
          <label htmlFor={`to-reason-${key}`}>Reason</label>
          <input
            id={`to-reason-${key}`}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            {...field('reason')}
          />
          {problem('reason')}
        </div>
      </div>
      {booked.length > 0 && (
        <div className="contact-notes" data-testid={`time-off-booked-${key}`}>
          <p>
            {props.staffName} has {booked.length} appointment{booked.length === 1 ? '' : 's'} booked in this time:
          </p>
          <ul>
            {booked.map((b) => (
              <li key={b.id}>
                <Link to={`/admin/appointments/${b.id}`}>
                  {formatDateTime(b.startsAt, props.timeZone)} · {b.contactName} · {b.serviceName}
                </Link>
              </li>
            ))}
          </ul>
          <div className="check">
            <input type="checkbox" id={`to-ask-${key}`} checked={ask} onChange={(e) => setAsk(e.target.checked)} />
            <label htmlFor={`to-ask-${key}`}>
              Ask {booked.length === 1 ? 'this customer' : 'these customers'} to choose a new time (they get the next
              open times and their manage link)
            </label>
          </div>
        </div>
      )}
      <div className="actions">
        <button type="submit">
          {booked.length > 0 && ask ? 'Add time off and ask to reschedule' : 'Add time off'}
        </button>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
