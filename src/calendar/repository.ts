/**
 * A staff member's working time in the database: their weekly hours (`availability_rules`) and their
 * time off. Availability reads both, so the free slots follow a change at once.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema';

type Db = Kysely<Database> | Transaction<Database>;

/** The staff member's weekly hours, replaced by `hours` (weekday 0–6, local "HH:MM" times). */
export async function replaceWorkingHours(
  db: Db,
  staffId: string,
  hours: ReadonlyArray<{ weekday: number; startTime: string; endTime: string }>,
): Promise<void> {
  await db.deleteFrom('availability_rules').where('staff_id', '=', staffId).execute();
  if (!hours.length) return;
  await db
    .insertInto('availability_rules')
    .values(hours.map((h) => ({ staff_id: staffId, weekday: h.weekday, start_time: h.startTime, end_time: h.endTime })))
    .execute();
}

export async function insertTimeOff(
  db: Db,
  timeOff: { staffId: string; startsAt: string; endsAt: string; reason: string },
) {
  return db
    .insertInto('time_off')
    .values({ staff_id: timeOff.staffId, starts_at: timeOff.startsAt, ends_at: timeOff.endsAt, reason: timeOff.reason })
    .returning(['id', 'staff_id as staffId', 'starts_at as startsAt', 'ends_at as endsAt', 'reason'])
    .executeTakeFirstOrThrow();
}

/** The deleted time off (its staff member and times), or undefined when there was none. */
export async function deleteTimeOff(db: Db, id: string) {
  return db
    .deleteFrom('time_off')
    .where('id', '=', id)
    .returning(['id', 'staff_id as staffId', 'starts_at as startsAt', 'ends_at as endsAt'])
    .executeTakeFirst();
}
