/** Day or week, one staff member or everyone; appointments coloured by stage, click to open. */
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api, errorText } from '../api';
import { addDays, detectedTimeZone, formatTime, localDate, STAGE_CLASS } from '../format';
import { useStaff } from './AdminApp';
import type { ListedAppointment, StaffMember } from './types';

/** The instant a local date starts in a zone (good to the minute, via the zone's offset at noon). */
function startOfDay(date: string, timeZone: string): Date {
  const noonUtc = new Date(`${date}T12:00:00Z`);
  const local = new Date(noonUtc.toLocaleString('en-US', { timeZone }));
  const utc = new Date(noonUtc.toLocaleString('en-US', { timeZone: 'UTC' }));
  const offset = local.getTime() - utc.getTime();
  return new Date(new Date(`${date}T00:00:00Z`).getTime() - offset);
}

export function CalendarPage() {
  const me = useStaff();
  const [params, setParams] = useSearchParams();
  const timeZone = detectedTimeZone();
  // A technician starts on their own day; the office on the week.
  const view = (params.get('view') ?? (me.role === 'technician' ? 'day' : 'week')) === 'day' ? 'day' : 'week';
  const date = params.get('date') ?? localDate(new Date(), timeZone);
  const staffId = params.get('staff') ?? '';
  const [staff, setStaff] = useState<StaffMember[]>([]);
  const [appointments, setAppointments] = useState<ListedAppointment[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const days = view === 'day' ? [date] : Array.from({ length: 7 }, (_, i) => addDays(date, i));

  useEffect(() => {
    document.title = 'Calendar — Maple Street';
    api<{ staff: StaffMember[] }>('GET', '/api/admin/staff')
      .then((r) => setStaff(r.staff))
      .catch(() => undefined);
  }, []);

  useEffect(() => {
    const from = startOfDay(days[0]!, timeZone).toISOString();
    const to = startOfDay(addDays(days[days.length - 1]!, 1), timeZone).toISOString();
    const q = new URLSearchParams({ from, to });
    if (staffId) q.set('staffId', staffId);
    setAppointments(null);
    api<{ appointments: ListedAppointment[] }>('GET', `/api/admin/calendar?${q}`)
      .then((r) => setAppointments(r.appointments))
      .catch((e: unknown) => setError(errorText(e)));
  }, [date, view, staffId, timeZone]);

  const set = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next);
  };
  const step = view === 'day' ? 1 : 7;

  return (
    <>
      <h1>Calendar</h1>
      <div className="row">
        <button type="button" onClick={() => set({ date: addDays(date, -step) })}>
          ← Previous
        </button>
        <button type="button" onClick={() => set({ date: localDate(new Date(), timeZone) })}>
          Today
        </button>
        <button type="button" onClick={() => set({ date: addDays(date, step) })}>
          Next →
        </button>
        <label htmlFor="cal-view">View</label>
        <select id="cal-view" value={view} onChange={(e) => set({ view: e.target.value })} style={{ width: 'auto' }}>
          <option value="week">Week</option>
          <option value="day">Day</option>
        </select>
        {me.role !== 'technician' && (
          <>
            <label htmlFor="cal-staff">Staff</label>
            <select
              id="cal-staff"
              value={staffId}
              onChange={(e) => set({ staff: e.target.value })}
              style={{ width: 'auto' }}
            >
              <option value="">Everyone</option>
              {staff.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </>
        )}
      </div>
      <p className="hint">Times in {timeZone.replace(/_/g, ' ')}. Colours show the pipeline stage.</p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {!appointments && !error && <p>Loading…</p>}
      <div className="calendar" style={{ gridTemplateColumns: `repeat(${days.length}, minmax(9rem, 1fr))` }}>
        {days.map((day) => {
          const items = (appointments ?? []).filter((a) => localDate(new Date(a.startsAt), timeZone) === day);
          return (
            <section key={day} className="calendar-day" aria-label={day}>
              <h3>
                {new Intl.DateTimeFormat('en-US', {
                  weekday: 'short',
                  month: 'short',
                  day: 'numeric',
                  timeZone: 'UTC',
                }).format(new Date(`${day}T12:00:00Z`))}
              </h3>
              {items.map((a) => (
                <Link
                  key={a.id}
                  to={`/admin/appointments/${a.id}`}
                  className={`appt ${STAGE_CLASS[a.stage] ?? ''}`}
                  title={a.stage}
                >
                  <strong>{formatTime(a.startsAt, timeZone)}</strong> {a.contactName}
                  <br />
                  {a.serviceName} · {a.staffName}
                  <br />
                  <small>{a.stage}</small>
                </Link>
              ))}
            </section>
          );
        })}
      </div>
    </>
  );
}
