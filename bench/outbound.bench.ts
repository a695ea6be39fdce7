/**
 * Outbound events and webhooks: the cost of signing and verifying a typical event body, and what
 * recording an event adds to a lifecycle timeline write (embedded PGlite, in memory): a timeline entry
 * that is not an event versus one that is (appointment read + `events` insert, same transaction).
 */
import { performance } from 'node:perf_hooks';
import { appendTimeline } from '../src/appointments/repository';
import { openDatabase } from '../src/db/database';
import { migrateToLatest } from '../src/db/migrate';
import { seedDemoData } from '../src/db/seed';
import { signatureHeader, verifyAppointflowSignature } from '../src/outbound/signature';
import type { BenchResult } from './run';

export async function run(): Promise<BenchResult> {
  const body = JSON.stringify({
    id: '6f1c0a52-7a0e-4d0e-9c43-3f1b2a9d8e77',
    type: 'appointment.rescheduled',
    createdAt: new Date().toISOString(),
    data: { appointment: { id: 'x'.repeat(36), notes: 'y'.repeat(900) }, change: { from: 'a', to: 'b' } },
  });
  const secret = 'whsec_bench_secret_0123456789abcdef';
  const n = 20_000;
  let started = performance.now();
  let header = '';
  for (let i = 0; i < n; i += 1) header = signatureHeader(secret, body);
  const signUs = ((performance.now() - started) / n) * 1000;
  started = performance.now();
  for (let i = 0; i < n; i += 1) verifyAppointflowSignature({ header, rawBody: body, secret });
  const verifyUs = ((performance.now() - started) / n) * 1000;

  const database = await openDatabase({ kind: 'pglite-memory' });
  try {
    const { db } = database;
    await migrateToLatest(db);
    await seedDemoData(db);
    const staff = await db.selectFrom('staff').select('id').executeTakeFirstOrThrow();
    const service = await db.selectFrom('services').select('id').executeTakeFirstOrThrow();
    const contact = await db.selectFrom('contacts').select('id').executeTakeFirstOrThrow();
    const startsAt = new Date(Date.now() + 86_400_000);
    const { id } = await db
      .insertInto('appointments')
      .values({
        contact_id: contact.id,
        staff_id: staff.id,
        service_id: service.id,
        starts_at: startsAt,
        ends_at: new Date(startsAt.getTime() + 3_600_000),
        blocked_from: startsAt,
        blocked_until: new Date(startsAt.getTime() + 3_600_000),
        time_zone: 'America/New_York',
        price_minor: 6000,
        currency: 'USD',
        source: 'bench',
        workflow_id: 'appointment:bench',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const writes = 300;
    const perWrite = async (kind: string, tag: string) => {
      for (let i = 0; i < 20; i += 1) {
        await db.transaction().execute((trx) =>
          appendTimeline(trx, {
            appointmentId: id,
            kind,
            actor: 'bench',
            channel: 'system',
            summary: 's',
            idempotencyKey: `${tag}:warm:${i}`,
          }),
        );
      }
      const t0 = performance.now();
      for (let i = 0; i < writes; i += 1) {
        await db.transaction().execute((trx) =>
          appendTimeline(trx, {
            appointmentId: id,
            kind,
            actor: 'bench',
            channel: 'system',
            summary: 's',
            data: { from: 'Appointment Scheduled', to: 'Appointment Tomorrow' },
            idempotencyKey: `${tag}:${i}`,
          }),
        );
      }
      return (performance.now() - t0) / writes;
    };
    const plain = await perWrite('message:sent', 'plain');
    const withEvent = await perWrite('stage', 'event');
    return {
      name: 'outbound (signing, event recording)',
      figures: {
        'sign, µs/event (1.1 kB body)': Number(signUs.toFixed(1)),
        'verify, µs/event': Number(verifyUs.toFixed(1)),
        'timeline write without event, ms (PGlite)': Number(plain.toFixed(2)),
        'timeline write with event, ms (PGlite)': Number(withEvent.toFixed(2)),
      },
    };
  } finally {
    await database.close();
  }
}
