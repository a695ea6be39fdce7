/**
 * A completed appointment keeps its time (issue 18): the deliver task may be completed shortly before
 * or during the service, and that must not free the rest of the slot for another booking. So the
 * double-booking exclusion constraint now also covers `done` appointments (availability counts them
 * busy too, src/availability/service.ts).
 *
 * Done rows that already overlap another booking of the same staff member (completed early before this
 * rule, and the time booked again) cannot join the constraint; they are exempt by their end: only done
 * rows ending after the latest such row's end (or after the migration, when there is none) take part.
 * Past intervals cannot be booked anyway, so the exemption matters only until that instant.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  const { rows } = await sql<{ cutoff: Date | string | null }>`
    SELECT greatest(now(), max(d.ends_at)) AS cutoff
    FROM appointments d
    LEFT JOIN appointments o
      ON o.staff_id = d.staff_id AND o.id <> d.id AND o.during && d.during
      AND o.status IN ('scheduled', 'in_progress', 'done')
    WHERE d.status = 'done' AND o.id IS NOT NULL`.execute(db);
  const cutoff = new Date(rows[0]?.cutoff ?? Date.now()).toISOString();
  await sql`ALTER TABLE appointments DROP CONSTRAINT appointments_no_double_booking`.execute(db);
  await sql`ALTER TABLE appointments ADD CONSTRAINT appointments_no_double_booking
    EXCLUDE USING gist (staff_id WITH =, during WITH &&)
    WHERE (status IN ('scheduled', 'in_progress') OR (status = 'done' AND ends_at > ${sql.lit(cutoff)}::timestamptz))`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE appointments DROP CONSTRAINT appointments_no_double_booking`.execute(db);
  await sql`ALTER TABLE appointments ADD CONSTRAINT appointments_no_double_booking
    EXCLUDE USING gist (staff_id WITH =, during WITH &&) WHERE (status IN ('scheduled', 'in_progress'))`.execute(db);
}
