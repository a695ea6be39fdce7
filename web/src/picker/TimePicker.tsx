/**
 * Month calendar + that day's times, the way Cal.com / Calendly show them. Opens on the first day
 * with free times; says what to do when a month has none (the next month, or call us once past the
 * last bookable day). Reused by the booking page and the manage page (and later the admin app).
 */
import { useEffect, useState } from 'react';
import { ApiError } from '../api';
import { useT } from '../i18n';
import { dayOf, localDateOf, monthOf } from '../i18n/format';
import { MonthCalendar, shiftMonth } from './MonthCalendar';
import { DayTimes } from './DayTimes';
import { type DayView, mergeTimes, type TimeChoice } from './types';
import { type LoadDays, useMonthAvailability } from './useMonthAvailability';

export function TimePicker(props: {
  load: LoadDays;
  timeZone: string;
  /** The last day that may be offered (the service's booking horizon). */
  lastDay: string;
  reloadKey: string;
  selected: string | undefined;
  onPick: (choice: TimeChoice) => void;
  showStaff: boolean;
  /** A phone to call when nothing is free (tel: link). */
  phone?: string | null | undefined;
}) {
  const { t, locale } = useT();
  const today = localDateOf(new Date(), props.timeZone);
  const [month, setMonth] = useState(
    (props.selected ? localDateOf(new Date(props.selected), props.timeZone) : today).slice(0, 7),
  );
  const [day, setDay] = useState<string | undefined>(
    props.selected ? localDateOf(new Date(props.selected), props.timeZone) : undefined,
  );
  const [focusDay, setFocusDay] = useState(day ?? today);
  const { days, error } = useMonthAvailability(
    props.load,
    month,
    today,
    props.lastDay,
    `${props.reloadKey}|${props.timeZone}`,
  );
  const available = days ? new Set([...days.values()].filter((d) => d.slots.length > 0).map((d) => d.date)) : null;
  const firstOpen = available ? [...available].sort()[0] : undefined;

  // Open on the first day with free times (one tap fewer), unless the chosen day still has some; a
  // current month with nothing left opens the next one by itself.
  const [advanced, setAdvanced] = useState(false);
  useEffect(() => {
    if (!available) return;
    if (day && day.startsWith(month) && available.has(day)) return;
    if (firstOpen) {
      setDay(firstOpen);
      setFocusDay(firstOpen);
    } else {
      setDay(undefined);
      if (!advanced && month === today.slice(0, 7) && shiftMonth(month, 1) <= props.lastDay.slice(0, 7)) {
        setAdvanced(true);
        setMonth(shiftMonth(month, 1));
      }
    }
  }, [days]);

  const dayView: DayView | undefined = day ? days?.get(day) : undefined;
  const times: TimeChoice[] = dayView ? mergeTimes(dayView.slots) : [];
  const nextMonth = shiftMonth(month, 1);
  const canGoOn = nextMonth <= props.lastDay.slice(0, 7);

  return (
    <div className="time-picker">
      <MonthCalendar
        month={month}
        today={today}
        lastDay={props.lastDay}
        available={available}
        selected={day}
        focusDay={focusDay.startsWith(month) ? focusDay : (firstOpen ?? `${month}-01` < today) ? today : `${month}-01`}
        onFocusDay={setFocusDay}
        onPick={setDay}
        onMonth={(m) => {
          setMonth(m);
          setFocusDay(`${m}-01` < today ? today : `${m}-01`);
        }}
      />
      <div className="day-times" aria-live="polite" aria-busy={!days && !error}>
        {error !== null && error !== undefined && (
          <p role="alert" className="error">
            {error instanceof ApiError ? error.message : t('times.loadFailed')}
          </p>
        )}
        {!days && !error && <p className="loading">{t('times.loading')}</p>}
        {days && !firstOpen && (
          <div className="empty">
            <p>{t('times.noneInMonth', { month: monthOf(month, locale) })}</p>
            {canGoOn ? (
              <button type="button" onClick={() => setMonth(nextMonth)}>
                {t('times.tryMonth', { month: monthOf(nextMonth, locale) })}
              </button>
            ) : (
              <p>
                {t('times.pastHorizon', { day: dayOf(props.lastDay, locale, true) })}{' '}
                {props.phone && <a href={`tel:${props.phone}`}>{t('business.call', { phone: props.phone })}</a>}
              </p>
            )}
          </div>
        )}
        {day && times.length > 0 && (
          <>
            <h3 className="day-title">{dayOf(day, locale)}</h3>
            <DayTimes
              times={times}
              timeZone={props.timeZone}
              selected={props.selected}
              onPick={props.onPick}
              showStaff={props.showStaff}
              label={t('times.on', { day: dayOf(day, locale) })}
            />
          </>
        )}
      </div>
    </div>
  );
}
