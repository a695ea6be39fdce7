/** Day or week (both time grids), one staff member or everyone; appointments coloured by stage, click to open. */
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api, errorText } from '../api';
import { addDays, detectedTimeZone, localDate } from '../format';
import { useStaff } from './session';
import { startOfLocalDay } from '../../../src/calendar/day-layout';
import { DayGrid } from './DayGrid';
import { WeekGrid } from './WeekGrid';
import type { ListedAppointment, StaffMember, StaffSchedule } from './types';

/** The instant a local date starts in a zone (DST-change days included). */
function startOfDay(date: string, timeZone: string): Date {
  return new Date(startOfLocalDay(date, timeZone));
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
  const [schedules, setSchedules] = useState<StaffSchedule[]>([]);
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
    // The day grid also shades each staff member's hours outside work and their time off.
    if (view === 'day') q.set('include', 'schedules');
    setAppointments(null);
    setError(null);
    let current = true;
    api<{ appointments: ListedAppointment[]; schedules?: StaffSchedule[] }>('GET', `/api/admin/calendar?${q}`)
      .then((r) => {
        if (!current) return;
        setSchedules(r.schedules ?? []);
        setAppointments(r.appointments);
      })
      .catch((e: unknown) => {
        if (current) setError(errorText(e));
      });
    return () => {
      current = false;
    };
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
      <p className="hint">
        Times in {timeZone.replace(/_/g, ' ')}. Colours show the pipeline stage.
        {me.role !== 'technician' &&
          view === 'day' &&
          ' Click an empty time to book there; drag an appointment to move it.'}
      </p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {!appointments && !error && <p>Loading…</p>}
      {view === 'day' ? (
        <div className="calendar calendar-day-view">
          {appointments && (
            <>
              <h2 className="day-title">{dayLabel(date)}</h2>
              <DayGrid
                day={{
                  start: startOfDay(date, timeZone).getTime(),
                  end: startOfDay(addDays(date, 1), timeZone).getTime(),
                }}
                label={dayLabel(date)}
                timeZone={timeZone}
                appointments={appointments}
                schedules={schedules}
                interactive={me.role !== 'technician'}
              />
            </>
          )}
        </div>
      ) : (
        <div className="calendar calendar-week-view">
          {appointments && (
            <WeekGrid
              days={days}
              timeZone={timeZone}
              appointments={appointments}
              dayLink={(day) =>
                `/admin?${new URLSearchParams({ ...Object.fromEntries(params), view: 'day', date: day })}`
              }
            />
          )}
        </div>
      )}
    </>
  );
}

function dayLabel(day: string): string {
  return new Intl.DateTimeFormat('en-US', {
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${day}T12:00:00Z`));
}
