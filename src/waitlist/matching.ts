/**
 * Whether a freed slot suits a waitlist entry: the entry's staff member (or anyone), a start on a date
 * in its range, on one of its weekdays (none listed: any), and within its times of day — all read in
 * the entry's own zone. Pure.
 */
import { DateTime } from 'luxon';

export interface WaitlistWish {
  staffId: string | null;
  fromDate: string;
  toDate: string;
  weekdays: readonly number[];
  /** 'HH:MM[:SS]' */
  timeFrom: string;
  timeTo: string;
  timeZone: string;
}

export interface FreedSlot {
  staffId: string;
  startsAt: number;
  endsAt: number;
}

const minutesOf = (clock: string) => {
  const [h, m] = clock.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

export function slotSuits(wish: WaitlistWish, slot: FreedSlot): boolean {
  if (wish.staffId !== null && wish.staffId !== slot.staffId) return false;
  const start = DateTime.fromMillis(slot.startsAt, { zone: wish.timeZone });
  const end = DateTime.fromMillis(slot.endsAt, { zone: wish.timeZone });
  const date = start.toISODate() ?? '';
  if (date < wish.fromDate || date > wish.toDate) return false;
  if (wish.weekdays.length > 0 && !wish.weekdays.includes(start.weekday)) return false;
  const startMinutes = start.hour * 60 + start.minute;
  const endMinutes = end.toISODate() === date ? end.hour * 60 + end.minute : 24 * 60;
  return startMinutes >= minutesOf(wish.timeFrom) && endMinutes <= minutesOf(wish.timeTo);
}
