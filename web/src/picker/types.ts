/** What the availability endpoints answer, and a time offered by one or more staff members. */
export interface SlotView {
  startsAt: string;
  endsAt: string;
  staffId: string;
  staffName: string;
}

export interface DayView {
  date: string;
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
