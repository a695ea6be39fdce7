/**
 * Two small additions under the booking form: "Repeat this visit" books the chosen time as a series
 * (every N weeks or months, K visits; a conflict lists each visit that cannot be booked with free
 * alternatives, and nothing is booked), and "No time that suits?" joins the waitlist for the service
 * between two dates and times of day. Both use the details typed in the form above.
 */
import { useState } from 'react';
import { api, ApiError, errorText } from '../api';
import { formatDateTime } from '../format';

interface Details {
  name: string;
  email: string;
  phone: string;
  smsOptIn: boolean;
}

interface Conflict {
  index: number;
  startsAt: string;
  alternatives: Array<{ startsAt: string }>;
}

export function RepeatAndWaitlist(props: {
  serviceId: string;
  staffId: string;
  slot: { startsAt: string; staffId: string } | undefined;
  timeZone: string;
  details: Details;
}) {
  const customer = {
    name: props.details.name,
    email: props.details.email,
    ...(props.details.phone ? { phone: props.details.phone } : {}),
    smsOptIn: props.details.smsOptIn,
  };
  const [every, setEvery] = useState(1);
  const [unit, setUnit] = useState<'week' | 'month'>('week');
  const [count, setCount] = useState(4);
  const [seriesNote, setSeriesNote] = useState<string | null>(null);
  const [conflicts, setConflicts] = useState<Conflict[]>([]);
  const today = new Date().toISOString().slice(0, 10);
  const [fromDate, setFromDate] = useState(today);
  const [toDate, setToDate] = useState(today);
  const [timeFrom, setTimeFrom] = useState('09:00');
  const [timeTo, setTimeTo] = useState('17:00');
  const [waitNote, setWaitNote] = useState<string | null>(null);

  const bookSeries = () => {
    if (!props.slot) return;
    setConflicts([]);
    api<{ series: { occurrences: unknown[]; rule: string } }>('POST', '/api/bookings/series', {
      serviceId: props.serviceId,
      staffId: props.slot.staffId,
      startsAt: props.slot.startsAt,
      timeZone: props.timeZone,
      customer,
      repeat: { every, unit, count },
    })
      .then((r) =>
        setSeriesNote(
          `Booked ${r.series.occurrences.length} visits, ${r.series.rule}. Confirmations are on their way.`,
        ),
      )
      .catch((e: unknown) => {
        if (e instanceof ApiError && Array.isArray(e.details.conflicts))
          setConflicts(e.details.conflicts as Conflict[]);
        setSeriesNote(errorText(e));
      });
  };

  const joinWaitlist = () =>
    api('POST', '/api/waitlist', {
      serviceId: props.serviceId,
      ...(props.staffId ? { staffId: props.staffId } : {}),
      fromDate,
      toDate,
      timeFrom,
      timeTo,
      timeZone: props.timeZone,
      customer,
    })
      .then(() => setWaitNote('You are on the waitlist. We will text or email you the moment a time opens up.'))
      .catch((e: unknown) => setWaitNote(errorText(e)));

  return (
    <>
      <section className="panel" aria-labelledby="repeat-heading">
        <h2 id="repeat-heading">Repeat this visit</h2>
        <div className="field">
          <label htmlFor="repeat-every">Every</label>
          <select id="repeat-every" value={every} onChange={(e) => setEvery(Number(e.target.value))}>
            {[1, 2, 3, 4].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
          <label htmlFor="repeat-unit">Weeks or months</label>
          <select id="repeat-unit" value={unit} onChange={(e) => setUnit(e.target.value as 'week' | 'month')}>
            <option value="week">weeks</option>
            <option value="month">months</option>
          </select>
          <label htmlFor="repeat-count">Number of visits</label>
          <input
            id="repeat-count"
            type="number"
            min={2}
            max={52}
            value={count}
            onChange={(e) => setCount(Number(e.target.value))}
          />
        </div>
        <button type="button" disabled={!props.slot} onClick={bookSeries}>
          {props.slot ? `Book ${count} visits` : 'Choose the first time above'}
        </button>
        {seriesNote && <p role="status">{seriesNote}</p>}
        {conflicts.length > 0 && (
          <ul aria-label="Visits that cannot be booked">
            {conflicts.map((c) => (
              <li key={c.index}>
                Visit {c.index}, {formatDateTime(c.startsAt, props.timeZone)}: taken. Free instead:{' '}
                {c.alternatives.map((a) => formatDateTime(a.startsAt, props.timeZone)).join('; ') || 'none that day'}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="panel" aria-labelledby="waitlist-heading">
        <h2 id="waitlist-heading">No time that suits? Join the waitlist</h2>
        <div className="field">
          <label htmlFor="wait-from">From date</label>
          <input id="wait-from" type="date" value={fromDate} onChange={(e) => setFromDate(e.target.value)} />
          <label htmlFor="wait-to">To date</label>
          <input id="wait-to" type="date" value={toDate} onChange={(e) => setToDate(e.target.value)} />
          <label htmlFor="wait-time-from">Earliest time</label>
          <input id="wait-time-from" type="time" value={timeFrom} onChange={(e) => setTimeFrom(e.target.value)} />
          <label htmlFor="wait-time-to">Latest time</label>
          <input id="wait-time-to" type="time" value={timeTo} onChange={(e) => setTimeTo(e.target.value)} />
        </div>
        <button type="button" onClick={() => void joinWaitlist()}>
          Join the waitlist
        </button>
        {waitNote && <p role="status">{waitNote}</p>}
      </section>
    </>
  );
}
