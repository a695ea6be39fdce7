/**
 * The calendar's Day view: an hourly time grid with one column per staff member. Appointments are
 * placed by start and end (height ∝ duration), overlapping ones in a column side by side; hours outside
 * a staff member's working hours and their time off are shaded; today's grid has a "now" line. The
 * layout arithmetic is the pure src/calendar/day-layout.ts. For screen readers each column is a region
 * named by the staff member, with their hours in words and the appointments as a list of links in time
 * order (each link's text: time, customer, service, staff, stage).
 *
 * Front desk shortcuts (issue 15): a click on an empty time of a column opens New booking at that time
 * with that staff member (15-minute steps); dragging a scheduled appointment to another time or column
 * opens its reschedule form there (preview, editable message, confirm). The server decides whether the
 * time is free; a refusal is shown in words on those forms.
 */
import { type DragEvent, type MouseEvent, useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import {
  assignLanes,
  hourMarks,
  placement,
  type Span,
  uncovered,
  visibleRange,
} from '../../../src/calendar/day-layout';
import { formatTime, STAGE_CLASS } from '../format';
import type { ListedAppointment, StaffSchedule } from './types';

const span = (s: { startsAt: string; endsAt: string }): Span => ({
  start: Date.parse(s.startsAt),
  end: Date.parse(s.endsAt),
});

/** Shorter appointments put the time and the customer on one line, so the service still shows. */
const SHORT_MS = 50 * 60_000;

interface Column {
  staffId: string;
  staffName: string;
  schedule: StaffSchedule | null;
  appointments: ListedAppointment[];
}

const STEP_MS = 15 * 60_000;
const DRAG_TYPE = 'application/x-appointflow-appointment';

/** The instant at `clientY` in a column body showing `range` (before snapping). */
function instantAt(clientY: number, body: HTMLElement, range: Span): number {
  const rect = body.getBoundingClientRect();
  const fraction = Math.min(1, Math.max(0, (clientY - rect.top) / rect.height));
  return range.start + fraction * (range.end - range.start);
}

/** Re-renders every minute, for the "now" line. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 60_000);
    return () => window.clearInterval(timer);
  }, []);
  return now;
}

export function DayGrid(props: {
  /** The displayed day: [its start, the next day's start) in the display zone. */
  day: Span;
  label: string;
  timeZone: string;
  appointments: ListedAppointment[];
  schedules: StaffSchedule[];
  /** Click an empty time to book there, drag an appointment to move it (the office). */
  interactive?: boolean;
}) {
  const { day, timeZone } = props;
  const now = useNow();
  const navigate = useNavigate();
  const inDay = props.appointments.filter((a) => Date.parse(a.startsAt) < day.end && Date.parse(a.endsAt) > day.start);
  // A column per staff member the server listed (everyone active, or the one filtered to), plus anyone
  // else with an appointment that day (e.g. someone no longer active).
  const columns: Column[] = props.schedules.map((s) => ({
    staffId: s.staffId,
    staffName: s.staffName,
    schedule: s,
    appointments: [],
  }));
  for (const a of inDay) {
    let column = columns.find((c) => c.staffId === a.staffId);
    if (!column) {
      column = { staffId: a.staffId, staffName: a.staffName, schedule: null, appointments: [] };
      columns.push(column);
    }
    column.appointments.push(a);
  }
  const range = visibleRange({
    day,
    working: columns.flatMap((c) => (c.schedule?.working ?? []).map(span)),
    appointments: inDay.map(span),
  });
  const hours = hourMarks(range);
  const nowAt = placement({ start: now, end: now + 1 }, range);
  const time = (at: number) => formatTime(new Date(at).toISOString(), timeZone);
  const between = (s: Span) => `${time(s.start)} – ${time(s.end)}`;

  const bookAt = (column: Column) => (event: MouseEvent<HTMLDivElement>) => {
    if (!props.interactive || (event.target as HTMLElement).closest('a')) return;
    const at = Math.floor(instantAt(event.clientY, event.currentTarget, range) / STEP_MS) * STEP_MS;
    const q = new URLSearchParams({
      startsAt: new Date(at).toISOString(),
      staffId: column.staffId,
      staffName: column.staffName,
    });
    void navigate(`/admin/book?${q}`);
  };
  const startDrag = (a: ListedAppointment) => (event: DragEvent<HTMLAnchorElement>) => {
    const rect = event.currentTarget.getBoundingClientRect();
    // Where in the appointment it was grabbed, as time: the drop keeps that point under the pointer.
    const grabMs = ((event.clientY - rect.top) / rect.height) * (Date.parse(a.endsAt) - Date.parse(a.startsAt));
    event.dataTransfer.setData(DRAG_TYPE, JSON.stringify({ id: a.id, grabMs: Number.isFinite(grabMs) ? grabMs : 0 }));
    event.dataTransfer.effectAllowed = 'move';
  };
  const dragOver = (event: DragEvent<HTMLDivElement>) => {
    if (props.interactive && event.dataTransfer.types.includes(DRAG_TYPE)) {
      event.preventDefault();
      event.dataTransfer.dropEffect = 'move';
    }
  };
  const dropOn = (column: Column) => (event: DragEvent<HTMLDivElement>) => {
    const raw = event.dataTransfer.getData(DRAG_TYPE);
    if (!props.interactive || !raw) return;
    event.preventDefault();
    const { id, grabMs } = JSON.parse(raw) as { id: string; grabMs: number };
    const at = Math.round((instantAt(event.clientY, event.currentTarget, range) - grabMs) / STEP_MS) * STEP_MS;
    const q = new URLSearchParams({
      moveTo: new Date(at).toISOString(),
      staffId: column.staffId,
      staffName: column.staffName,
    });
    void navigate(`/admin/appointments/${id}?${q}`);
  };

  if (columns.length === 0) return <p>No staff to show.</p>;
  return (
    <div
      className="day-grid"
      role="region"
      aria-label={`Day schedule, ${props.label}`}
      tabIndex={0}
      style={{ ['--hours' as string]: String(hours.length) }}
    >
      <div className="day-gutter" aria-hidden="true">
        <div className="day-col-head" />
        <div className="day-col-body">
          {hours.map((at) => (
            <span
              key={at}
              className="day-hour"
              style={{ top: `${placement({ start: at, end: at + 1 }, range)!.top}%` }}
            >
              {time(at)}
            </span>
          ))}
        </div>
      </div>
      {columns.map((column) => {
        const working = (column.schedule?.working ?? []).map(span);
        const timeOff = column.schedule?.timeOff ?? [];
        const headingId = `day-col-${column.staffId}`;
        const lanes = assignLanes(column.appointments.map((a) => ({ ...span(a), appointment: a })));
        return (
          <section key={column.staffId} className="day-col" aria-labelledby={headingId} data-staff-id={column.staffId}>
            <div className="day-col-head">
              <h3 id={headingId}>{column.staffName}</h3>
            </div>
            <p className="visually-hidden">
              {column.schedule === null
                ? 'Working hours not known.'
                : working.length === 0
                  ? 'Not working this day.'
                  : `Working ${working.map(between).join(', ')}.`}
              {timeOff
                .map((t) => {
                  const s = span(t);
                  const when =
                    s.start <= day.start && s.end >= day.end
                      ? 'all day'
                      : between({ start: Math.max(s.start, day.start), end: Math.min(s.end, day.end) });
                  return ` Time off ${when}${t.reason ? ` (${t.reason})` : ''}.`;
                })
                .join('')}
              {column.appointments.length === 0 ? ' No appointments.' : ''}
            </p>
            <div
              className={`day-col-body${props.interactive ? ' bookable' : ''}`}
              onClick={bookAt(column)}
              onDragOver={dragOver}
              onDrop={dropOn(column)}
              data-testid={`day-col-body-${column.staffId}`}
            >
              {column.schedule !== null &&
                uncovered(range, working).map((gap) => {
                  const at = placement(gap, range)!;
                  return (
                    <div
                      key={`off-${gap.start}`}
                      className="off-hours"
                      aria-hidden="true"
                      style={{ top: `${at.top}%`, height: `${at.height}%` }}
                    />
                  );
                })}
              {timeOff.map((t) => {
                const at = placement(span(t), range);
                if (!at) return null;
                return (
                  <div
                    key={`timeoff-${t.startsAt}`}
                    className="time-off"
                    aria-hidden="true"
                    style={{ top: `${at.top}%`, height: `${at.height}%` }}
                  >
                    <span>Time off{t.reason ? `: ${t.reason}` : ''}</span>
                  </div>
                );
              })}
              {lanes.length > 0 && (
                <ol className="day-appts" aria-label={`Appointments with ${column.staffName}`}>
                  {lanes.map(({ item, lane, lanes: of }) => {
                    const a = item.appointment;
                    const at = placement(item, range);
                    if (!at) return null; // an empty (zero-length) appointment has no place to go
                    return (
                      <li
                        key={a.id}
                        style={{
                          top: `${at.top}%`,
                          height: `${at.height}%`,
                          left: `${(lane / of) * 100}%`,
                          width: `${100 / of}%`,
                        }}
                      >
                        <Link
                          to={`/admin/appointments/${a.id}`}
                          className={`appt ${STAGE_CLASS[a.stage] ?? ''}${item.end - item.start < SHORT_MS ? ' appt-short' : ''}`}
                          title={a.stage}
                          data-appointment-id={a.id}
                          draggable={Boolean(props.interactive) && a.status === 'scheduled'}
                          onDragStart={startDrag(a)}
                        >
                          <span className="appt-time">{between(item)}</span> <strong>{a.contactName}</strong>{' '}
                          <span className="appt-service">{a.serviceName}</span>
                          <span className="visually-hidden"> with {a.staffName},</span>{' '}
                          <small className="appt-stage">{a.stage}</small>
                        </Link>
                      </li>
                    );
                  })}
                </ol>
              )}
            </div>
          </section>
        );
      })}
      {nowAt && (
        <div
          className="now-line"
          aria-hidden="true"
          style={{ top: `calc(var(--head) + var(--hour) * var(--hours) * ${nowAt.top / 100})` }}
        >
          <span>{time(now)}</span>
        </div>
      )}
    </div>
  );
}
