/** Free slots for a week, grouped by day, in the given zone; the server computes them. */
import { useEffect, useState } from 'react';
import { errorText } from './api';
import { addDays, localDate } from './format';

import type { slotsResponse } from '../../src/http/routes/booking-helpers';
import type { Wire } from './wire';

/** A day of free slots as GET /api/availability answers it: the server's own type (src/http/routes/booking-helpers.ts). */
export type DayView = Wire<Awaited<ReturnType<typeof slotsResponse>>[number]>;
export type SlotView = DayView['slots'][number];

export function SlotPicker(props: {
  timeZone: string;
  load: (from: string, to: string) => Promise<DayView[]>;
  onPick: (slot: SlotView) => void;
  selected?: SlotView | undefined;
  /** Changes when the inputs of `load` change, to reload. */
  reloadKey: string;
  showStaff?: boolean;
}) {
  const [from, setFrom] = useState(() => localDate(new Date(), props.timeZone));
  const [days, setDays] = useState<DayView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const to = addDays(from, 6);

  useEffect(() => {
    let live = true;
    setDays(null);
    setError(null);
    props
      .load(from, to)
      .then((d) => live && setDays(d))
      .catch((e: unknown) => live && setError(errorText(e)));
    return () => {
      live = false;
    };
  }, [from, to, props.reloadKey, props.timeZone]);

  const today = localDate(new Date(), props.timeZone);
  return (
    <section className="slot-picker" aria-label="Free times">
      <div className="row">
        <button type="button" disabled={from <= today} onClick={() => setFrom(addDays(from, -7))}>
          ← Earlier
        </button>
        <span aria-live="polite">
          {from} – {to}
        </span>
        <button type="button" onClick={() => setFrom(addDays(from, 7))}>
          Later →
        </button>
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {!days && !error && <p>Loading free times…</p>}
      {days && days.every((d) => d.slots.length === 0) && <p>No free times this week. Try later dates.</p>}
      {days?.map((day) =>
        day.slots.length === 0 ? null : (
          <fieldset key={day.date} className="slot-day">
            <legend>
              {new Intl.DateTimeFormat('en-US', {
                weekday: 'long',
                month: 'long',
                day: 'numeric',
                timeZone: 'UTC',
              }).format(new Date(`${day.date}T12:00:00Z`))}
            </legend>
            <div className="slots">
              {day.slots.map((slot) => {
                const isSelected =
                  props.selected?.startsAt === slot.startsAt && props.selected.staffId === slot.staffId;
                return (
                  <button
                    type="button"
                    key={`${slot.staffId}-${slot.startsAt}`}
                    className={isSelected ? 'slot selected' : 'slot'}
                    aria-pressed={isSelected}
                    data-starts-at={slot.startsAt}
                    onClick={() => props.onPick(slot)}
                  >
                    {slot.localTime}
                    {props.showStaff && <span className="slot-staff">{slot.staffName}</span>}
                  </button>
                );
              })}
            </div>
          </fieldset>
        ),
      )}
    </section>
  );
}
