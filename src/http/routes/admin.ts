/**
 * Read models for the admin web app (session or API key): calendar range, pipeline board, staff,
 * outbox, contacts with history, settings, memberships (found by certificate number, name or email),
 * and the extras of an appointment card (tasks, invoices, payment attempts, the membership's card). Read-only: every change goes through the appointment and task endpoints, which
 * are workflow updates. A technician sees only their own appointments and tasks.
 */
import { MEMBERSHIP_STAGES, PIPELINE_STAGES } from '../../domain/stages';
import { Router } from 'express';
import { z } from 'zod';
import { requireApiKey, requireOfficeRole, sessionStaff } from '../auth';
import { normalizeCertificate } from '../../memberships/certificate';
import { membershipCard } from '../../memberships/service';
import { feedbackForStaff } from '../../feedback/service';
import { HttpError } from '../errors';
import type { AppDeps } from '../app';
import { instant, uuid } from '../schemas';
import { text } from '../text';
import { parseInput } from '../validate';
import { staffSchedules } from '../../calendar/schedules';
import { smsUsesLocalOutbox } from '../../messaging/from-config';
import { listedAppointments } from '../../appointments/read-model';
import { recentContacts, searchContacts } from '../../contacts/search';
import { LOG_STATUSES, messageLog } from '../../messaging/message-log';
import { appointmentForCard, appointmentLedger } from '../../appointments/repository';
import { boardMemberships, listMemberships } from '../../memberships/repository';
import { allContacts, contactTimeline, contactWithReachability } from '../../contacts/repository';
import { staffRows } from '../../staff/management';
import { settingsOverview } from '../../business/repository';
import { openPendingDetails } from '../../identity/pending-details';
import { requestedFiles } from '../../conversations/thread';
import { attachmentLinkKey } from './conversations';

export const calendarQuery = z
  .object({
    from: instant,
    to: instant,
    staffId: uuid.optional(),
    /** `schedules`: also each staff member's working hours and time off in the range (the day grid). */
    include: z.enum(['schedules'], { error: "expected 'schedules'" }).optional(),
  })
  .refine((q) => Date.parse(q.from) < Date.parse(q.to), { message: 'must be after from', path: ['to'] })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 62 * 86400_000, {
    message: 'at most 62 days after from',
    path: ['to'],
  });

/** The Messages screen's filters: channel, status (`received` for replies), part of the customer's name, email or phone. */
export const messagesQuery = z.object({
  channel: z.enum(['email', 'sms', 'whatsapp'], { error: 'expected email, sms or whatsapp' }).optional(),
  status: z.enum(LOG_STATUSES, { error: `expected one of ${LOG_STATUSES.join(', ')}` }).optional(),
  customer: text(200).optional(),
});

/** `includeInactive=true`: deactivated staff too (staff management). */
export const staffListQuery = z.object({
  includeInactive: z.enum(['true', 'false'], { error: 'expected true or false' }).optional(),
});

/**
 * Contacts: `q` finds any part of a name or email, or the digits of a phone number (indexed, migration
 * 0031); `recent=true` the customers booked most recently; neither: everyone by name.
 */
export const contactsQuery = z.object({
  q: text(200).optional(),
  recent: z.enum(['true', 'false'], { error: 'expected true or false' }).optional(),
  limit: z.coerce
    .number({ error: 'expected a number' })
    .int('expected a whole number')
    .min(1, 'at least 1')
    .max(100, 'at most 100')
    .optional(),
});

const idParams = z.object({ id: uuid });

/** The board's columns, in the domain's order (src/domain/stages.ts owns the stages). */
const APPOINTMENT_STAGES = PIPELINE_STAGES;

/** Memberships list: `q` is a certificate number (any spelling the phone gives) or part of a name / email. */
export const membershipsQuery = z.object({
  q: text(200).optional(),
  stage: z.enum(MEMBERSHIP_STAGES, { error: 'expected a membership stage' }).optional(),
});

export function adminRouter(deps: AppDeps): Router {
  const router = Router();
  const { db } = deps.database;
  const linkKey = attachmentLinkKey(deps);
  router.use('/api/admin', requireApiKey(db));

  const listing = () => listedAppointments(db);

  router.get('/api/admin/calendar', async (req, res) => {
    const query = parseInput(calendarQuery, req.query, 'query');
    const me = sessionStaff(res);
    const staffId = me?.role === 'technician' ? me.staffId! : query.staffId;
    let q = listing().where('a.starts_at', '<', new Date(query.to)).where('a.ends_at', '>', new Date(query.from));
    if (staffId) q = q.where('a.staff_id', '=', staffId);
    const appointments = await q.orderBy('a.starts_at').limit(1000).execute();
    if (query.include !== 'schedules') {
      res.json({ appointments });
      return;
    }
    const range = { from: Date.parse(query.from), to: Date.parse(query.to) };
    res.json({ appointments, schedules: await staffSchedules(db, range, staffId) });
  });

  router.get('/api/admin/board', requireOfficeRole, async (_req, res) => {
    // Open deals, and closed ones from the last 30 days (older ones are history, not pipeline).
    const since = new Date(Date.now() - 30 * 86400_000);
    const appointments = await listing()
      .where((eb) =>
        eb.or([eb('a.stage', 'not in', ['Paid Won', 'Closed Lost', 'Missed']), eb('a.updated_at', '>=', since)]),
      )
      .orderBy('a.starts_at')
      .limit(1000)
      .execute();
    const memberships = await boardMemberships(db);
    res.json({
      appointments: APPOINTMENT_STAGES.map((stage) => ({
        stage,
        items: appointments.filter((a) => a.stage === stage),
      })),
      memberships: MEMBERSHIP_STAGES.map((stage) => ({ stage, items: memberships.filter((m) => m.stage === stage) })),
    });
  });

  router.get('/api/admin/staff', async (req, res) => {
    const query = parseInput(staffListQuery, req.query, 'query');
    res.json({ staff: await staffRows(db, query.includeInactive === 'true') });
  });

  router.get('/api/admin/appointments/:id/extras', async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'params');
    const appointment = await appointmentForCard(db, id);
    if (!appointment) throw new HttpError(404, 'not_found', `Appointment ${id} does not exist.`);
    const me = sessionStaff(res);
    if (me?.role === 'technician' && appointment.staff_id !== me.staffId) {
      throw new HttpError(403, 'forbidden', 'Technicians can see their own appointments only.');
    }
    const [{ tasks, invoices, payments }, membership, feedback, files] = await Promise.all([
      appointmentLedger(db, id),
      appointment.membership_id ? membershipCard(db, deps.config, appointment.membership_id, 'staff') : undefined,
      feedbackForStaff(db, id),
      requestedFiles(db, linkKey, { id, filesRequest: appointment.files_request }),
    ]);
    res.json({
      billableMinutes: appointment.billable_minutes,
      tasks,
      invoices,
      payments,
      // Visits left as the membership counts them (used, forfeited and booked visits taken off).
      membership: membership
        ? {
            id: membership.id,
            certificateNumber: membership.certificateNumber,
            planName: membership.plan.name,
            stage: membership.stage,
            visitsTotal: membership.visits.total,
            visitsUsed: membership.visits.used,
            visitsLeft: membership.visits.left,
            visitsBooked: membership.visits.booked,
            validUntil: membership.validUntil,
          }
        : null,
      // The customer's feedback after the visit (null until they answer).
      feedback,
      // What the service asks the customer to send before the visit, and the files they sent about it.
      files,
    });
  });

  router.get('/api/admin/memberships', requireOfficeRole, async (req, res) => {
    const query = parseInput(membershipsQuery, req.query, 'query');
    const certificate = query.q ? normalizeCertificate(query.q) : null;
    const memberships = await listMemberships(db, { stage: query.stage, text: query.q, certificate });
    // `certificateNumber`: the query read as a certificate number (normalised), or null when it is not one.
    res.json({ certificateNumber: certificate, memberships });
  });

  router.get('/api/admin/messages', requireOfficeRole, async (req, res) => {
    const query = parseInput(messagesQuery, req.query, 'query');
    const entries = await messageLog(db, query);
    // `messages`: the sent ones as before (with their text), for older clients; `entries`: sent and received.
    const messages = entries
      .filter((e) => e.direction === 'out')
      .map((e) => ({
        id: e.id,
        appointmentId: e.appointmentId,
        channel: e.channel,
        template: e.template,
        recipient: e.address,
        subject: e.subject,
        body: e.text,
        status: e.status,
        contactName: e.contactName,
        createdAt: e.at,
      }));
    // Without Twilio, staff can try a customer's SMS reply (POST /api/local/sms-replies).
    res.json({ entries, messages, localSmsReplies: smsUsesLocalOutbox(deps.config) });
  });

  router.get('/api/admin/contacts', requireOfficeRole, async (req, res) => {
    const query = parseInput(contactsQuery, req.query, 'query');
    if (query.recent === 'true') {
      res.json({ contacts: await recentContacts(db) });
      return;
    }
    if (query.q) {
      res.json({ contacts: await searchContacts(db, query.q, query.limit ?? 20) });
      return;
    }
    res.json({ contacts: await allContacts(db) });
  });

  router.get('/api/admin/contacts/:id', requireOfficeRole, async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'params');
    const [contact, appointments, timeline, pendingDetails] = await Promise.all([
      contactWithReachability(db, id),
      listing().where('a.contact_id', '=', id).orderBy('a.starts_at', 'desc').limit(200).execute(),
      contactTimeline(db, id),
      openPendingDetails(db, id),
    ]);
    if (!contact) throw new HttpError(404, 'not_found', `Contact ${id} does not exist.`);
    // `pendingDetails`: what a public booking under this email asked to change, waiting for the customer.
    res.json({ contact, appointments, timeline, pendingDetails });
  });

  router.get('/api/admin/settings', requireOfficeRole, async (_req, res) => {
    res.json(await settingsOverview(db));
  });

  return router;
}
