/**
 * The free time of a new booking, with the customer pages' month calendar and day times
 * (web/src/picker): a staff member, or anyone who performs the service; a time offered by several
 * staff members (anyone) then asks who will do it. Nothing past the service's booking horizon. The
 * picker's words come from the customer pages' i18n, fixed to English here.
 */
import { useState } from 'react';
import { api } from '../api';
import { I18nProvider } from '../i18n';
import { addDaysTo, localDateOf } from '../i18n/format';
import { TimePicker } from '../picker/TimePicker';
import type { DayView, TimeChoice } from '../picker/types';

export interface BookingService {
  id: string;
  name: string;
  bookingHorizonDays: number;
  staff: Array<{ id: string; name: string }>;
}

/** A time and who does it. */
export interface BookingSlot {
  startsAt: string;
  staffId: string;
  staffName: string;
}

export function BookingTimePicker(props: {
  service: BookingService;
  timeZone: string;
  selected: BookingSlot | undefined;
  onPick: (slot: BookingSlot) => void;
}) {
  const { service, timeZone } = props;
  const [staffId, setStaffId] = useState('');
  const [choice, setChoice] = useState<TimeChoice | undefined>();
  const lastDay = addDaysTo(localDateOf(new Date(), timeZone), service.bookingHorizonDays);

  async function load(from: string, to: string): Promise<DayView[]> {
    const params = new URLSearchParams({ from, to, timeZone });
    if (staffId) params.set('staffId', staffId);
    return (await api<{ days: DayView[] }>('GET', `/api/services/${service.id}/availability?${params}`)).days;
  }

  function pick(c: TimeChoice) {
    setChoice(c);
    const who = c.staff[0];
    if (who) props.onPick({ startsAt: c.startsAt, staffId: who.id, staffName: who.name });
  }

  return (
    <section className="booking-time" aria-label="Free times">
      <label htmlFor="nb-staff">Staff member</label>
      <select
        id="nb-staff"
        value={staffId}
        onChange={(e) => {
          setStaffId(e.target.value);
          setChoice(undefined);
        }}
      >
        <option value="">Anyone who does {service.name}</option>
        {service.staff.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </select>
      <I18nProvider fixed="en">
        <TimePicker
          load={load}
          timeZone={timeZone}
          lastDay={lastDay}
          reloadKey={`${service.id}|${staffId}`}
          selected={props.selected?.startsAt}
          onPick={pick}
          showStaff={!staffId && service.staff.length > 1}
        />
      </I18nProvider>
      {choice && choice.staff.length > 1 && props.selected && (
        <>
          <label htmlFor="nb-with">With</label>
          <select
            id="nb-with"
            value={props.selected.staffId}
            onChange={(e) => {
              const who = choice.staff.find((s) => s.id === e.target.value);
              if (who) props.onPick({ startsAt: choice.startsAt, staffId: who.id, staffName: who.name });
            }}
          >
            {choice.staff.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </>
      )}
    </section>
  );
}
