/** The customer's appointments on a month calendar; clicking one opens it. */
import { useState } from 'react';
import { addDays, formatTime, localDate } from '../../format';
import type { PortalAppointment } from './types';

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

function firstOfMonth(date: string): string {
  return `${date.slice(0, 7)}-01`;
}

function shiftMonth(first: string, months: number): string {
  const d = new Date(`${first}T12:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

export function MonthGrid(props: {
  appointments: PortalAppointment[];
  timeZone: string;
  onOpen: (appointment: PortalAppointment) => void;
}) {
  const { timeZone } = props;
  const next = props.appointments.find((a) => a.status !== 'cancelled' && Date.parse(a.endsAt) > Date.now());
  const [month, setMonth] = useState(() =>
    firstOfMonth(localDate(next ? new Date(next.startsAt) : new Date(), timeZone)),
  );
  const weekday = (new Date(`${month}T12:00:00Z`).getUTCDay() + 6) % 7;
  const start = addDays(month, -weekday);
  const days = Array.from({ length: 42 }, (_, i) => addDays(start, i));
  const byDay = new Map<string, PortalAppointment[]>();
  for (const a of props.appointments) {
    const day = localDate(new Date(a.startsAt), timeZone);
    byDay.set(day, [...(byDay.get(day) ?? []), a]);
  }
  const title = new Intl.DateTimeFormat('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${month}T12:00:00Z`),
  );
  return (
    <section aria-label="Calendar">
      <div className="row">
        <button type="button" onClick={() => setMonth(shiftMonth(month, -1))} aria-label="Previous month">
          ←
        </button>
        <h2 aria-live="polite">{title}</h2>
        <button type="button" onClick={() => setMonth(shiftMonth(month, 1))} aria-label="Next month">
          →
        </button>
      </div>
      <div className="month-grid">
        {WEEKDAYS.map((d) => (
          <div key={d} className="weekday" aria-hidden="true">
            {d}
          </div>
        ))}
        {days.map((day) => (
          <div key={day} className={day.slice(0, 7) === month.slice(0, 7) ? 'day' : 'day outside'}>
            <span>{Number(day.slice(8))}</span>
            {(byDay.get(day) ?? []).map((a) => (
              <button
                type="button"
                key={a.id}
                onClick={() => props.onOpen(a)}
                aria-label={`${a.service.name} ${day} at ${formatTime(a.startsAt, timeZone)}${a.status === 'cancelled' ? ' (cancelled)' : ''}`}
              >
                {formatTime(a.startsAt, timeZone)} {a.service.name}
              </button>
            ))}
          </div>
        ))}
      </div>
    </section>
  );
}
