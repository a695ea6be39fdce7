/**
 * The calendar's Week view as a grid (issue 15): a column per day, rows for the hours, each appointment
 * placed by its local start and end (height ∝ duration; overlapping ones side by side), coloured by
 * stage and linking to its card; each day's heading opens that day's grid (click to book, drag to move).
 * Hours shown: 8:00–18:00 widened to fit every appointment. Layout arithmetic: src/calendar/day-layout.ts.
 */
import { Link } from 'react-router-dom';
import { assignLanes, placement, type Span, startOfLocalDay } from '../../../src/calendar/day-layout';
import { formatTime, STAGE_CLASS } from '../format';
import type { ListedAppointment } from './types';

const HOUR = 3_600_000;

/** The visible hours of the day, from the appointments' local times. */
function hourRange(days: string[], timeZone: string, appointments: ListedAppointment[]): { from: number; to: number } {
  let from = 8;
  let to = 18;
  for (const a of appointments) {
    const day = days.find((d) => {
      const start = startOfLocalDay(d, timeZone);
      return Date.parse(a.startsAt) >= start && Date.parse(a.startsAt) < start + 25 * HOUR;
    });
    if (!day) continue;
    const start = startOfLocalDay(day, timeZone);
    from = Math.min(from, Math.floor((Date.parse(a.startsAt) - start) / HOUR));
    to = Math.max(to, Math.min(24, Math.ceil((Date.parse(a.endsAt) - start) / HOUR)));
  }
  return { from: Math.max(0, from), to };
}

export function WeekGrid(props: {
  days: string[];
  timeZone: string;
  appointments: ListedAppointment[];
  dayLink: (day: string) => string;
}) {
  const { days, timeZone } = props;
  const hours = hourRange(days, timeZone, props.appointments);
  const marks = Array.from({ length: hours.to - hours.from }, (_, i) => hours.from + i);
  const label = (h: number) => formatTime(new Date(Date.UTC(2000, 0, 1, h)).toISOString(), 'UTC');
  return (
    <div
      className="day-grid week-grid"
      role="region"
      aria-label="Week schedule"
      tabIndex={0}
      style={{ ['--hours' as string]: String(marks.length), ['--hour' as string]: '3rem' }}
    >
      <div className="day-gutter" aria-hidden="true">
        <div className="day-col-head" />
        <div className="day-col-body">
          {marks.map((h, i) => (
            <span key={h} className="day-hour" style={{ top: `${(i / marks.length) * 100}%` }}>
              {label(h)}
            </span>
          ))}
        </div>
      </div>
      {days.map((day) => {
        const start = startOfLocalDay(day, timeZone);
        const range: Span = { start: start + hours.from * HOUR, end: start + hours.to * HOUR };
        const items = props.appointments
          .filter((a) => Date.parse(a.startsAt) < range.end && Date.parse(a.endsAt) > range.start)
          .map((a) => ({ start: Date.parse(a.startsAt), end: Date.parse(a.endsAt), appointment: a }));
        const headingId = `week-${day}`;
        const title = new Intl.DateTimeFormat('en-US', {
          weekday: 'short',
          month: 'short',
          day: 'numeric',
          timeZone: 'UTC',
        }).format(new Date(`${day}T12:00:00Z`));
        return (
          <section key={day} className="day-col" aria-labelledby={headingId}>
            <div className="day-col-head">
              <h3 id={headingId}>
                <Link to={props.dayLink(day)}>{title}</Link>
              </h3>
            </div>
            <div className="day-col-body">
              {items.length === 0 && <p className="visually-hidden">No appointments.</p>}
              {items.length > 0 && (
                <ol className="day-appts" aria-label={`Appointments on ${title}`}>
                  {assignLanes(items).map(({ item, lane, lanes }) => {
                    const a = item.appointment;
                    const at = placement(item, range);
                    if (!at) return null;
                    return (
                      <li
                        key={a.id}
                        style={{
                          top: `${at.top}%`,
                          height: `${at.height}%`,
                          left: `${(lane / lanes) * 100}%`,
                          width: `${100 / lanes}%`,
                        }}
                      >
                        <Link
                          to={`/admin/appointments/${a.id}`}
                          className={`appt appt-short ${STAGE_CLASS[a.stage] ?? ''}`}
                          title={a.stage}
                        >
                          <span className="appt-time">{formatTime(a.startsAt, timeZone)}</span>{' '}
                          <strong>{a.contactName}</strong> <span className="appt-service">{a.serviceName}</span>
                          <span className="visually-hidden">
                            {' '}
                            with {a.staffName}, {a.stage}
                          </span>
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
    </div>
  );
}
