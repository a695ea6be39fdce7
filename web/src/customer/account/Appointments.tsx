/**
 * The customer's appointments: upcoming and past as a list or on a calendar; one opens with its
 * details, reschedule (pick a new time, "Book it"), cancel after a confirmation, book again and add
 * to calendar. The same rules as the manage link apply (the server shares the code).
 */
import { useCallback, useEffect, useState } from 'react';
import { api, errorText } from '../../api';
import { detectedTimeZone, formatDateTime, formatMoney } from '../../format';
import { AppointmentPanel } from './AppointmentPanel';
import { MonthGrid } from './MonthGrid';
import { seriesText } from './series-text';
import type { PortalAppointment, PortalAppointments } from './types';
import { WaitlistPlaces } from './WaitlistPlaces';

export function Appointments() {
  const [data, setData] = useState<PortalAppointments | null>(null);
  const [view, setView] = useState<'list' | 'calendar'>('list');
  const [open, setOpen] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const timeZone = detectedTimeZone();

  const load = useCallback(() => {
    api<PortalAppointments>('GET', '/api/portal/appointments')
      .then(setData)
      .catch((e: unknown) => setError(errorText(e)));
  }, []);
  useEffect(load, [load]);

  if (error)
    return (
      <p role="alert" className="error">
        {error}
      </p>
    );
  if (!data) return <p>Loading your appointments…</p>;
  const all = [...data.upcoming, ...data.past];
  const opened = all.find((a) => a.id === open);
  if (opened)
    return <AppointmentPanel appointment={opened} timeZone={timeZone} onClose={() => setOpen(null)} onChanged={load} />;
  return (
    <>
      <h1>Your appointments</h1>
      <div className="account-choice" role="group" aria-label="Show as">
        <button type="button" aria-pressed={view === 'list'} onClick={() => setView('list')}>
          List
        </button>
        <button type="button" aria-pressed={view === 'calendar'} onClick={() => setView('calendar')}>
          Calendar
        </button>
      </div>
      {view === 'calendar' ? (
        <MonthGrid appointments={all} timeZone={timeZone} onOpen={(a) => setOpen(a.id)} />
      ) : (
        <>
          <h2>Upcoming</h2>
          {data.upcoming.length === 0 ? (
            <p>
              Nothing booked. <a href="/book">Book an appointment</a>
            </p>
          ) : (
            <AppointmentList items={data.upcoming} timeZone={timeZone} onOpen={setOpen} />
          )}
          <WaitlistPlaces />
          <h2>Past and cancelled</h2>
          {data.past.length === 0 ? (
            <p>None yet.</p>
          ) : (
            <AppointmentList items={data.past} timeZone={timeZone} onOpen={setOpen} />
          )}
        </>
      )}
    </>
  );
}

function AppointmentList(props: { items: PortalAppointment[]; timeZone: string; onOpen: (id: string) => void }) {
  return (
    <ul className="account-list">
      {props.items.map((a) => (
        <li key={a.id}>
          <h3>{a.service.name}</h3>
          <p>
            {formatDateTime(a.startsAt, props.timeZone)} with {a.staff.name}
            {a.status === 'cancelled' ? ' — cancelled' : ''}
          </p>
          {a.series && <p className="hint">{seriesText(a.series)}</p>}
          <p>{formatMoney(a.price.amountMinor, a.price.currency)}</p>
          <button
            type="button"
            onClick={() => props.onOpen(a.id)}
            aria-label={`Open ${a.service.name} ${formatDateTime(a.startsAt, props.timeZone)}`}
          >
            Open
          </button>
        </li>
      ))}
    </ul>
  );
}
