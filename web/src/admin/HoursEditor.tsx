/**
 * A staff member's weekly working hours (admins): each day on or off, with one or more ranges (a lunch
 * break is two: 09:00–12:00 and 13:00–17:00). Saved with PUT /api/admin/staff/{id}/hours; a refusal
 * names the day and range in words.
 */
import { type SubmitEvent, useState } from 'react';
import { ApiError, api, errorText } from '../api';

export interface Hours {
  weekday: number;
  startTime: string;
  endTime: string;
}

const WEEKDAYS = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
type Range = { startTime: string; endTime: string };

export function HoursEditor(props: { staffId: string; staffName: string; initial: Hours[]; onSaved: () => void }) {
  const [days, setDays] = useState(() =>
    WEEKDAYS.slice(1).map((_, i) => {
      const ranges = props.initial
        .filter((h) => h.weekday === i + 1)
        .map((h) => ({ startTime: h.startTime.slice(0, 5), endTime: h.endTime.slice(0, 5) }))
        .sort((a, b) => a.startTime.localeCompare(b.startTime));
      return {
        weekday: i + 1,
        on: ranges.length > 0,
        ranges: ranges.length ? ranges : [{ startTime: '09:00', endTime: '17:00' }],
      };
    }),
  );
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const setDay = (d: number, change: (day: (typeof days)[number]) => (typeof days)[number]) =>
    setDays((all) => all.map((day, i) => (i === d ? change(day) : day)));
  const setRange = (d: number, r: number, change: Partial<Range>) =>
    setDay(d, (day) => ({ ...day, ranges: day.ranges.map((x, j) => (j === r ? { ...x, ...change } : x)) }));

  async function save(event: SubmitEvent) {
    event.preventDefault();
    setError(null);
    setStatus(null);
    const hours = days.filter((d) => d.on).flatMap((d) => d.ranges.map((r) => ({ weekday: d.weekday, ...r })));
    try {
      await api('PUT', `/api/admin/staff/${props.staffId}/hours`, { hours });
      setStatus('Hours saved.');
      props.onSaved();
    } catch (e) {
      if (e instanceof ApiError && e.fields.length) {
        // `hours.<i>.<field>` → "Tuesday, range 2: …"
        setError(
          e.fields
            .map((f) => {
              const m = /^hours\.(\d+)\.(\w+)$/.exec(f.field);
              const h = m ? hours[Number(m[1])] : undefined;
              if (!h) return f.message;
              const n = hours.filter((x, j) => x.weekday === h.weekday && j <= Number(m![1])).length;
              return `${WEEKDAYS[h.weekday]}, range ${n} (${h.startTime}–${h.endTime}): ${m![2] === 'endTime' ? 'the end ' : ''}${f.message}.`;
            })
            .join(' '),
        );
      } else setError(errorText(e));
    }
  }
  const key = props.staffId.slice(0, 8);
  return (
    <form onSubmit={save} aria-label={`Working hours of ${props.staffName}`}>
      <table className="stack-on-phone">
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">Hours</th>
          </tr>
        </thead>
        <tbody>
          {days.map((day, d) => {
            const name = WEEKDAYS[day.weekday]!;
            return (
              <tr key={day.weekday}>
                <td>
                  <div className="check">
                    <input
                      type="checkbox"
                      id={`on-${key}-${day.weekday}`}
                      checked={day.on}
                      onChange={(e) => setDay(d, (x) => ({ ...x, on: e.target.checked }))}
                    />
                    <label htmlFor={`on-${key}-${day.weekday}`}>{name}</label>
                  </div>
                </td>
                <td>
                  {day.ranges.map((range, r) => {
                    const which = day.ranges.length > 1 ? ` (range ${r + 1})` : '';
                    return (
                      <div className="row" key={r}>
                        <input
                          type="time"
                          aria-label={`${name} from${which}`}
                          value={range.startTime}
                          disabled={!day.on}
                          onChange={(e) => setRange(d, r, { startTime: e.target.value })}
                          style={{ width: 'auto' }}
                        />
                        <span aria-hidden="true">–</span>
                        <input
                          type="time"
                          aria-label={`${name} to${which}`}
                          value={range.endTime}
                          disabled={!day.on}
                          onChange={(e) => setRange(d, r, { endTime: e.target.value })}
                          style={{ width: 'auto' }}
                        />
                        {r > 0 && (
                          <button
                            type="button"
                            disabled={!day.on}
                            onClick={() => setDay(d, (x) => ({ ...x, ranges: x.ranges.filter((_, j) => j !== r) }))}
                          >
                            Remove {name} range {r + 1}
                          </button>
                        )}
                      </div>
                    );
                  })}
                  {day.on && (
                    <button
                      type="button"
                      onClick={() => {
                        const last = day.ranges[day.ranges.length - 1]!;
                        setDay(d, (x) => ({
                          ...x,
                          ranges: [...x.ranges, { startTime: last.endTime, endTime: last.endTime }],
                        }));
                      }}
                    >
                      Add a range on {name}
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {status && (
        <p className="notice" role="status">
          {status}
        </p>
      )}
      <div className="actions">
        <button type="submit">Save hours of {props.staffName}</button>
      </div>
    </form>
  );
}
