/**
 * A month of days as an ARIA grid: days with free times are marked and can be picked; the others are
 * shown but say they are full. One tab stop (roving tabindex): arrow keys move a day or a week, Home /
 * End to the week's ends, Page Up / Page Down a month; Enter or Space picks. Months before today or
 * after the last bookable day cannot be reached.
 */
import { type KeyboardEvent, useEffect, useRef } from 'react';
import { useT } from '../i18n';
import { addDaysTo, dayOf, firstDayOfWeek, monthOf, weekdayNames } from '../i18n/format';

export function shiftMonth(month: string, delta: number): string {
  const d = new Date(`${month}-15T12:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + delta);
  return d.toISOString().slice(0, 7);
}

/** The same day of the month in `month`, or its last day when shorter (31 → 30). */
function sameDayIn(month: string, day: string): string {
  const last = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).getUTCDate();
  return `${month}-${String(Math.min(Number(day.slice(8)), last)).padStart(2, '0')}`;
}

function weeksOf(month: string, weekStart: number): Array<Array<string | null>> {
  const first = `${month}-01`;
  const lead = (new Date(`${first}T12:00:00Z`).getUTCDay() + 6 - weekStart) % 7; // Monday-based → locale
  const cells: Array<string | null> = Array.from({ length: lead }, () => null);
  for (let d = first; d.startsWith(month); d = addDaysTo(d, 1)) cells.push(d);
  while (cells.length % 7) cells.push(null);
  return Array.from({ length: cells.length / 7 }, (_, i) => cells.slice(i * 7, i * 7 + 7));
}

export function MonthCalendar(props: {
  month: string;
  today: string;
  lastDay: string;
  /** Days with free times (null while loading). */
  available: ReadonlySet<string> | null;
  selected: string | undefined;
  /** The day that holds the tab stop. */
  focusDay: string;
  onFocusDay: (day: string) => void;
  onPick: (day: string) => void;
  onMonth: (month: string) => void;
}) {
  const { t, locale } = useT();
  const weekStart = firstDayOfWeek(locale);
  const narrow = weekdayNames(locale, 'narrow');
  const long = weekdayNames(locale, 'long');
  const order = Array.from({ length: 7 }, (_, i) => (i + weekStart) % 7);
  const grid = useRef<HTMLTableElement>(null);
  const moved = useRef(false);
  const canBack = props.month > props.today.slice(0, 7);
  const canForward = props.month < props.lastDay.slice(0, 7);

  useEffect(() => {
    if (!moved.current) return;
    moved.current = false;
    grid.current?.querySelector<HTMLButtonElement>(`button[data-day="${props.focusDay}"]`)?.focus();
  }, [props.focusDay, props.month]);

  function move(day: string) {
    const clamped = day < props.today ? props.today : day > props.lastDay ? props.lastDay : day;
    moved.current = true;
    props.onFocusDay(clamped);
    if (clamped.slice(0, 7) !== props.month) props.onMonth(clamped.slice(0, 7));
  }

  function onKey(event: KeyboardEvent<HTMLButtonElement>, day: string) {
    const week = (new Date(`${day}T12:00:00Z`).getUTCDay() + 6 - weekStart) % 7;
    const keys: Record<string, () => string> = {
      ArrowLeft: () => addDaysTo(day, -1),
      ArrowRight: () => addDaysTo(day, 1),
      ArrowUp: () => addDaysTo(day, -7),
      ArrowDown: () => addDaysTo(day, 7),
      Home: () => addDaysTo(day, -week),
      End: () => addDaysTo(day, 6 - week),
      PageUp: () => sameDayIn(shiftMonth(day.slice(0, 7), -1), day),
      PageDown: () => sameDayIn(shiftMonth(day.slice(0, 7), 1), day),
    };
    const next = keys[event.key];
    if (!next) return;
    event.preventDefault();
    move(next());
  }

  return (
    <div className="month">
      <div className="month-head">
        <button
          type="button"
          className="icon-button"
          disabled={!canBack}
          aria-label={t('calendar.previousMonth')}
          onClick={() => props.onMonth(shiftMonth(props.month, -1))}
        >
          ‹
        </button>
        <h3 id="month-label" aria-live="polite">
          {monthOf(props.month, locale)}
        </h3>
        <button
          type="button"
          className="icon-button"
          disabled={!canForward}
          aria-label={t('calendar.nextMonth')}
          onClick={() => props.onMonth(shiftMonth(props.month, 1))}
        >
          ›
        </button>
      </div>
      <table role="grid" ref={grid} aria-labelledby="month-label" className="month-grid">
        <thead>
          <tr>
            {order.map((d) => (
              <th key={d} scope="col" abbr={long[d]}>
                <span aria-hidden="true">{narrow[d]}</span>
                <span className="sr-only">{long[d]}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weeksOf(props.month, weekStart).map((week, i) => (
            <tr key={i}>
              {week.map((day, j) => {
                if (!day) return <td key={j} />;
                const outside = day < props.today || day > props.lastDay;
                const open = !outside && (props.available?.has(day) ?? false);
                const selected = day === props.selected;
                return (
                  <td key={day} aria-selected={selected}>
                    <button
                      type="button"
                      data-day={day}
                      className={`day${open ? ' open' : ''}${selected ? ' selected' : ''}${day === props.today ? ' today' : ''}`}
                      tabIndex={day === props.focusDay ? 0 : -1}
                      aria-disabled={!open}
                      aria-label={`${dayOf(day, locale)}${open ? `, ${t('calendar.hasTimes')}` : props.available ? `, ${t('calendar.noTimes')}` : ''}`}
                      onKeyDown={(e) => onKey(e, day)}
                      onFocus={() => props.onFocusDay(day)}
                      onClick={() => open && props.onPick(day)}
                    >
                      {Number(day.slice(8))}
                    </button>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
