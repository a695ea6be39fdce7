/**
 * Staff schedules for the admin calendar's day grid: each active staff member's working hours (their
 * weekly rules laid over the range in their own zone) and time off overlapping the range, as instants.
 * Read by GET /api/admin/calendar?include=schedules.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { workingIntervals } from '../domain/working-hours';

export interface StaffScheduleView {
  staffId: string;
  staffName: string;
  timeZone: string;
  /** Working hours within the range, sorted and merged (ISO instants). */
  working: Array<{ startsAt: string; endsAt: string }>;
  /** Time off overlapping the range (not clipped), sorted by start. */
  timeOff: Array<{ startsAt: string; endsAt: string; reason: string }>;
}

/** Schedules of the active staff (or just `staffId`, active or not), by name, for [from, to). */
export async function staffSchedules(
  db: Kysely<Database>,
  range: { from: number; to: number },
  staffId?: string,
): Promise<StaffScheduleView[]> {
  let staffQuery = db.selectFrom('staff').select(['id', 'name', 'time_zone']).orderBy('name').orderBy('id');
  staffQuery = staffId ? staffQuery.where('id', '=', staffId) : staffQuery.where('active', '=', true);
  const staff = await staffQuery.execute();
  if (staff.length === 0) return [];
  const ids = staff.map((s) => s.id);
  const [rules, timeOff] = await Promise.all([
    db
      .selectFrom('availability_rules')
      .select(['staff_id', 'weekday', 'start_time', 'end_time'])
      .where('staff_id', 'in', ids)
      .execute(),
    db
      .selectFrom('time_off')
      .select(['staff_id', 'starts_at', 'ends_at', 'reason'])
      .where('staff_id', 'in', ids)
      .where('starts_at', '<', new Date(range.to))
      .where('ends_at', '>', new Date(range.from))
      .orderBy('starts_at')
      .execute(),
  ]);
  return staff.map((member) => ({
    staffId: member.id,
    staffName: member.name,
    timeZone: member.time_zone,
    working: workingIntervals(
      rules
        .filter((r) => r.staff_id === member.id)
        .map((r) => ({ weekday: r.weekday, start: r.start_time, end: r.end_time })),
      member.time_zone,
      range.from,
      range.to,
    ).map((i) => ({ startsAt: new Date(i.start).toISOString(), endsAt: new Date(i.end).toISOString() })),
    timeOff: timeOff
      .filter((t) => t.staff_id === member.id)
      .map((t) => ({ startsAt: t.starts_at.toISOString(), endsAt: t.ends_at.toISOString(), reason: t.reason })),
  }));
}
