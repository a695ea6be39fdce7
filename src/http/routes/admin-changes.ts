/**
 * The admin app's own changes that are not appointment lifecycle (so not workflow updates): contact
 * notes, staff working hours and time off. Each is validated at the edge, recorded on the timeline
 * with the signed-in actor, and needs an office role (admin or staff; hours and time off: admin).
 * Availability reads hours and time off directly, so new slots follow at once; booked appointments
 * are not moved. Time off removed and hours added free time that the waitlist is offered.
 */
import { Router } from 'express';
import { z } from 'zod';
import { appendTimeline } from '../../appointments/repository';
import { callerActor, requireAdminRole, requireApiKey, requireOfficeRole } from '../auth';
import { HttpError } from '../errors';
import type { AppDeps } from '../app';
import { instant, uuid } from '../schemas';
import { text } from '../text';
import { parseInput } from '../validate';
import { bookedDuring, requestReschedules } from '../../calendar/time-off';
import { freedByExtendedHours, freedByRemovedTimeOff, weeklyRulesOf } from '../../waitlist/freed-window';
import { recordFreedTime } from '../../waitlist/freed-time-outbox';
import { deleteTimeOff, insertTimeOff, replaceWorkingHours } from '../../calendar/repository';
import { setContactNotes } from '../../contacts/repository';
import { staffNameOf } from '../../staff/management';

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time as HH:MM');

export const contactNotesBody = z.object({ notes: text(5000) });

export const staffHoursBody = z.object({
  hours: z
    .array(
      z
        .object({
          weekday: z
            .number()
            .int()
            .min(1, 'expected 1 (Monday) … 7 (Sunday)')
            .max(7, 'expected 1 (Monday) … 7 (Sunday)'),
          startTime: clock,
          endTime: clock,
        })
        .refine((h) => h.startTime < h.endTime, { message: 'must be after the start', path: ['endTime'] }),
    )
    .max(50, 'at most 50 ranges')
    // Several ranges a day (a lunch break) are fine; overlapping ones are a mistake.
    .superRefine((hours, ctx) => {
      hours.forEach((h, i) => {
        const clash = hours.findIndex(
          (o, j) => j < i && o.weekday === h.weekday && o.startTime < h.endTime && h.startTime < o.endTime,
        );
        if (clash >= 0)
          ctx.addIssue({
            code: 'custom',
            path: [i, 'startTime'],
            message: `overlaps range ${clash + 1} on the same day`,
          });
      });
    }),
});

export const timeOffBody = z
  .object({
    staffId: uuid,
    startsAt: instant,
    endsAt: instant,
    reason: text(500).default(''),
    /** Ask each customer booked during the time off to choose a new time (reschedule request workflows). */
    rescheduleBooked: z.boolean({ error: 'expected true or false' }).optional(),
  })
  .refine((t) => Date.parse(t.startsAt) < Date.parse(t.endsAt), {
    message: 'must be after the start',
    path: ['endsAt'],
  });

/** What a time off would cover: the staff member's booked appointments in the range. */
export const timeOffConflictsQuery = z
  .object({ staffId: uuid, startsAt: instant, endsAt: instant })
  .refine((t) => Date.parse(t.startsAt) < Date.parse(t.endsAt), {
    message: 'must be after the start',
    path: ['endsAt'],
  });

const idParams = z.object({ id: uuid });

export function adminChangesRouter(deps: AppDeps): Router {
  const router = Router();
  const { db } = deps.database;
  router.use('/api/admin', requireApiKey(db));

  async function staffName(id: string): Promise<string> {
    const name = await staffNameOf(db, id);
    if (name === undefined) {
      throw new HttpError(422, 'unknown_reference', `Staff member ${id} does not exist.`, {}, [
        { field: 'staffId', message: 'unknown staff member' },
      ]);
    }
    return name;
  }

  router.patch('/api/admin/contacts/:id', requireOfficeRole, async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'params');
    const body = parseInput(contactNotesBody, req.body, 'body');
    const updated = await setContactNotes(db, id, body.notes);
    if (!updated) throw new HttpError(404, 'not_found', `Contact ${id} does not exist.`);
    await appendTimeline(db, {
      contactId: id,
      kind: 'contact:notes',
      actor: callerActor(res).name,
      channel: 'admin',
      summary: 'Contact notes updated',
    });
    res.json({ contact: updated });
  });

  router.put('/api/admin/staff/:id/hours', requireOfficeRole, requireAdminRole, async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'params');
    const body = parseInput(staffHoursBody, req.body, 'body');
    const name = await staffName(id);
    const after = body.hours.map((h) => ({ weekday: h.weekday, start: h.startTime, end: h.endTime }));
    await db.transaction().execute(async (trx) => {
      // Hours added free time: written with the change, offered to the waitlist from the outbox.
      const before = await weeklyRulesOf(trx, id);
      await recordFreedTime(trx, await freedByExtendedHours(trx, { staffId: id, before, after }));
      await replaceWorkingHours(trx, id, body.hours);
      await appendTimeline(trx, {
        kind: 'staff:hours',
        actor: callerActor(res).name,
        channel: 'admin',
        summary: `Working hours of ${name} changed`,
        data: { staffId: id, hours: body.hours },
      });
    });
    res.json({ staffId: id, hours: body.hours });
  });

  router.get('/api/admin/time-off/conflicts', requireOfficeRole, async (req, res) => {
    const query = parseInput(timeOffConflictsQuery, req.query, 'query');
    await staffName(query.staffId);
    const range = { from: new Date(query.startsAt), to: new Date(query.endsAt) };
    res.json({ booked: await bookedDuring(db, query.staffId, range) });
  });

  router.post('/api/admin/time-off', requireOfficeRole, requireAdminRole, async (req, res) => {
    const body = parseInput(timeOffBody, req.body, 'body');
    const name = await staffName(body.staffId);
    const row = await insertTimeOff(db, body);
    await appendTimeline(db, {
      kind: 'staff:time_off',
      actor: callerActor(res).name,
      channel: 'admin',
      summary: `Time off for ${name} from ${body.startsAt} to ${body.endsAt}`,
      data: { staffId: body.staffId, timeOffId: row.id },
    });
    // Booked appointments stay; listed, and when asked each customer is asked to choose a new time.
    const booked = await bookedDuring(db, body.staffId, { from: new Date(body.startsAt), to: new Date(body.endsAt) });
    const rescheduleRequests = body.rescheduleBooked
      ? await requestReschedules(deps.temporal, deps.config.temporal.taskQueue, {
          timeOffId: row.id,
          appointments: booked,
          actor: callerActor(res),
        })
      : [];
    res.status(201).json({ timeOff: row, booked, rescheduleRequests });
  });

  router.delete('/api/admin/time-off/:id', requireOfficeRole, requireAdminRole, async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'params');
    // The time off is free again: written with the deletion, offered to the waitlist from the outbox.
    const deleted = await db.transaction().execute(async (trx) => {
      const row = await deleteTimeOff(trx, id);
      if (row) await recordFreedTime(trx, freedByRemovedTimeOff(row));
      return row;
    });
    if (!deleted) throw new HttpError(404, 'not_found', `Time off ${id} does not exist.`);
    res.status(204).end();
  });

  return router;
}
