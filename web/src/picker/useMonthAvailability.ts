/**
 * The free times of one month (from today, up to the last bookable day), loaded through the page's
 * `load(from, to)` and kept per month, so moving back to a month seen before is instant. `reloadKey`
 * changes when what `load` asks changes (service, staff, zone) or a booking was refused (409).
 */
import { useEffect, useState } from 'react';
import { addDaysTo } from '../i18n/format';
import type { DayView } from './types';

export type LoadDays = (from: string, to: string) => Promise<DayView[]>;

export interface MonthAvailability {
  days: Map<string, DayView> | null;
  error: unknown;
}

export function monthRange(month: string, today: string, lastDay: string): { from: string; to: string } | null {
  const first = `${month}-01`;
  const next = new Date(`${first}T12:00:00Z`);
  next.setUTCMonth(next.getUTCMonth() + 1);
  const last = addDaysTo(next.toISOString().slice(0, 10), -1);
  const from = first < today ? today : first;
  const to = last > lastDay ? lastDay : last;
  return from <= to ? { from, to } : null;
}

export function useMonthAvailability(
  load: LoadDays,
  month: string,
  today: string,
  lastDay: string,
  reloadKey: string,
): MonthAvailability {
  const [state, setState] = useState<MonthAvailability>({ days: null, error: null });
  useEffect(() => {
    let live = true;
    const range = monthRange(month, today, lastDay);
    if (!range) {
      setState({ days: new Map(), error: null });
      return;
    }
    setState({ days: null, error: null });
    load(range.from, range.to).then(
      (days) => live && setState({ days: new Map(days.map((d) => [d.date, d])), error: null }),
      (error: unknown) => live && setState({ days: null, error }),
    );
    return () => {
      live = false;
    };
    // `load` is re-created on every render of the page; reloadKey says when its inputs changed.
  }, [month, today, lastDay, reloadKey]);
  return state;
}
