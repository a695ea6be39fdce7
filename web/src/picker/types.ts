import type { slotsResponse } from '../../../src/http/routes/booking-helpers';
import type { Wire } from '../wire';

/** A day of GET /api/availability as the server builds it (src/http/routes/booking-helpers.ts). */
type ServerDay = Wire<Awaited<ReturnType<typeof slotsResponse>>[number]>;

/** What the availability endpoints answer (the fields the pickers read), and a time offered by one or more staff members. */
export type SlotView = Pick<ServerDay['slots'][number], 'startsAt' | 'endsAt' | 'staffId' | 'staffName'>;

export interface DayView {
  date: ServerDay['date'];
  slots: SlotView[];
}

/** One start time; with "anyone available" several staff members may offer it. */
export interface TimeChoice {
  startsAt: string;
  endsAt: string;
  staff: Array<{ id: string; name: string }>;
}

/** Equal start times across staff become one choice (the server picks who, by its stated rule). */
export function mergeTimes(slots: readonly SlotView[]): TimeChoice[] {
  const byStart = new Map<string, TimeChoice>();
  for (const slot of slots) {
    const choice = byStart.get(slot.startsAt) ?? { startsAt: slot.startsAt, endsAt: slot.endsAt, staff: [] };
    if (!choice.staff.some((s) => s.id === slot.staffId)) choice.staff.push({ id: slot.staffId, name: slot.staffName });
    byStart.set(slot.startsAt, choice);
  }
  return [...byStart.values()].sort((a, b) => a.startsAt.localeCompare(b.startsAt));
}
