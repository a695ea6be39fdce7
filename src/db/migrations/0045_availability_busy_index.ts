/**
 * The busy-interval query of availability (src/availability/service.ts): active appointments of the
 * offered staff that end after the window starts. With years of history most rows end in the past;
 * this partial index goes straight to the ones that can matter, staff by staff.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX IF NOT EXISTS appointments_active_busy_idx
    ON appointments (staff_id, blocked_until) INCLUDE (blocked_from)
    WHERE status IN ('scheduled', 'in_progress')`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS appointments_active_busy_idx`.execute(db);
}
