/**
 * Staff and external-system API (API key): book for a caller naming the channel, read an appointment
 * with its timeline, messages and workflow state, and the lifecycle actions — each one an update to
 * the appointment's workflow, recorded with actor and channel.
 */
import { Router, type Response } from 'express';
import { z } from 'zod';
import {
  type Actor,
  type AppointmentState,
  cancelUpdate,
  markNoShowUpdate,
  rescheduleUpdate,
  startServiceUpdate,
  stateQuery,
} from '../../../workflows/appointment/messages';
import { callerActor, requireApiKey, technicianOwnAppointments, type Caller } from '../auth';
import { HttpError } from '../errors';
import type { AppDeps } from '../app';
import { cancelBody, noShowBody, rescheduleBody, staffBookingSchema, startBody, uuid } from '../schemas';
import { reschedulePreviewBody } from '../schemas';
import { editedSmsSeptets, fitsTwoSegments } from '../../messaging/edited-message';
import { previewRescheduleMessage } from '../../messaging/reschedule-preview';
import { OPT_OUT_PROMPT } from '../../messaging/template-registry';
import { SMS_MAX_SEPTETS } from '../../messaging/sms';
import { canReschedule } from '../../domain/stages';
import { parseInput } from '../validate';
import { idempotencyOf } from '../idempotency';
import { appointmentView } from '../views';
import { feedbackForStaff } from '../../feedback/service';
import { updateWorkflow } from '../workflow-updates';
import { bookForResponse, requireOfferedSlot, requireVisitMoveAllowed } from './booking-helpers';
import { cardState, zoneOf } from '../../appointments/card';

const idParams = z.object({ id: uuid });

function actorOf(
  res: Response,
  given: { kind: Actor['kind']; name: string; id?: string | undefined } | undefined,
): Actor {
  if (given && (res.locals.caller as Caller).kind === 'api_key') {
    return { kind: given.kind, name: given.name, ...(given.id ? { id: given.id } : {}) };
  }
  return callerActor(res);
}

/**
 * The staff-edited reschedule message must be sendable as it stands: an SMS within two GSM-7 segments
 * (counted with the real manage link), and never a carrier opt-out prompt. 422 naming the field.
 */
function checkEditedMessage(
  message: { email?: { subject: string; body: string }; sms?: string } | undefined,
  publicBaseUrl: string,
): void {
  if (!message) return;
  const problems: Array<{ field: string; message: string }> = [];
  if (message.sms !== undefined) {
    const septets = editedSmsSeptets(message.sms, publicBaseUrl);
    if (!fitsTwoSegments(septets)) {
      problems.push({
        field: 'message.sms',
        message: `the SMS is ${septets} GSM-7 characters with the manage link filled in; two segments hold ${SMS_MAX_SEPTETS}`,
      });
    }
    if (OPT_OUT_PROMPT.test(message.sms)) {
      problems.push({
        field: 'message.sms',
        message: 'never ask customers to reply CANCEL or STOP; say "reply C to cancel"',
      });
    }
  }
  if (message.email && OPT_OUT_PROMPT.test(message.email.body)) {
    problems.push({
      field: 'message.email.body',
      message: 'never ask customers to reply CANCEL or STOP; say "reply C to cancel"',
    });
  }
  if (problems.length > 0) {
    throw new HttpError(
      422,
      'invalid_message',
      `Invalid message: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`,
      {},
      problems,
    );
  }
}

export function appointmentsRouter(deps: AppDeps): Router {
  const router = Router();
  const { db } = deps.database;
  router.use('/api/appointments', requireApiKey(db));
  router.use('/api/appointments/:id', technicianOwnAppointments(db));

  async function load(id: string) {
    const row = await db.selectFrom('appointments').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new HttpError(404, 'not_found', `Appointment ${id} does not exist.`);
    return row;
  }

  router.post('/api/appointments', async (req, res) => {
    const body = parseInput(staffBookingSchema, req.body, 'body');
    const booked = await bookForResponse(deps, {
      serviceId: body.serviceId,
      staffId: body.staffId,
      startsAt: Date.parse(body.startsAt),
      timeZone: body.timeZone,
      customer: body.customer,
      actor: actorOf(res, body.actor),
      channel: body.channel,
      membershipId: body.membershipId,
      certificateNumber: body.certificateNumber,
      requestKey: idempotencyOf(res)?.requestKey,
    });
    res.status(201).json(booked);
  });

  router.get('/api/appointments/:id', async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'params');
    const row = await load(id);
    const [view, timeline, messages, feedback] = await Promise.all([
      appointmentView(db, deps.config, id),
      db
        .selectFrom('timeline_events')
        .select(['occurred_at', 'kind', 'actor', 'channel', 'summary'])
        .where('appointment_id', '=', id)
        .orderBy('id')
        .execute(),
      db
        .selectFrom('messages')
        .select(['id', 'channel', 'template', 'recipient', 'subject', 'status', 'provider', 'created_at', 'sent_at'])
        .where('appointment_id', '=', id)
        .orderBy('created_at')
        .execute(),
      feedbackForStaff(db, id),
    ]);
    let workflow: AppointmentState | null = null;
    try {
      workflow = await deps.temporal.workflow.getHandle(row.workflow_id).query(stateQuery);
    } catch {
      workflow = null; // not started yet (the reconciler will) or the cluster is unreachable
    }
    const card = await cardState(db, row, workflow, view!, zoneOf(req.query.timeZone, row.time_zone));
    res.json({ appointment: view, timeline, messages, workflow, feedback, ...card });
  });

  router.get('/api/appointments/:id/messages', async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'params');
    await load(id);
    const messages = await db
      .selectFrom('messages')
      .selectAll()
      .where('appointment_id', '=', id)
      .orderBy('created_at')
      .execute();
    res.json({ messages });
  });

  router.post('/api/appointments/:id/reschedule', async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'params');
    const body = parseInput(rescheduleBody, req.body, 'body');
    checkEditedMessage(body.message, deps.config.http.publicBaseUrl);
    const row = await load(id);
    const startsAt = Date.parse(body.startsAt);
    await requireVisitMoveAllowed(db, row, { startsAt, serviceId: body.serviceId });
    const slot = await requireOfferedSlot(db, {
      serviceId: body.serviceId ?? row.service_id,
      staffId: body.staffId,
      preferStaffId: row.staff_id,
      startsAt,
      excludeAppointmentId: row.id,
      now: Date.now(),
    });
    await updateWorkflow(deps.temporal, res, {
      workflowId: row.workflow_id,
      update: rescheduleUpdate,
      args: [
        {
          startsAt,
          staffId: slot.staffId,
          ...(body.serviceId ? { serviceId: body.serviceId } : {}),
          // The staff note is the public note (issue 6): on the timeline and in the customer's email.
          ...(body.note ? { note: body.note, publicNote: body.note } : {}),
          ...(body.message ? { message: body.message } : {}),
          ...(body.reminders !== undefined ? { reminders: body.reminders } : {}),
          actor: actorOf(res, body.actor),
          channel: body.channel,
        },
      ],
    });
    res.json({ appointment: await appointmentView(db, deps.config, id) });
  });

  /** What the customer would get for a move to `startsAt`: the reschedule email and SMS, for staff to edit. */
  router.post('/api/appointments/:id/reschedule/preview', async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'params');
    const body = parseInput(reschedulePreviewBody, req.body, 'body');
    const row = await load(id);
    if (!canReschedule(row.status)) {
      throw new HttpError(
        409,
        'invalid_transition',
        `This appointment is ${row.status} and can no longer be rescheduled.`,
      );
    }
    const startsAt = Date.parse(body.startsAt);
    const slot = await requireOfferedSlot(db, {
      serviceId: body.serviceId ?? row.service_id,
      staffId: body.staffId,
      preferStaffId: row.staff_id,
      startsAt,
      excludeAppointmentId: row.id,
      now: Date.now(),
    });
    const preview = await previewRescheduleMessage(db, deps.config.http.publicBaseUrl, {
      appointmentId: id,
      startsAt,
      staffId: slot.staffId,
      ...(body.serviceId ? { serviceId: body.serviceId } : {}),
      ...(body.note ? { note: body.note } : {}),
    });
    res.json({ startsAt: new Date(startsAt).toISOString(), staffId: slot.staffId, ...preview });
  });

  router.post('/api/appointments/:id/cancel', async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'params');
    const body = parseInput(cancelBody, req.body, 'body');
    const row = await load(id);
    await updateWorkflow(deps.temporal, res, {
      workflowId: row.workflow_id,
      update: cancelUpdate,
      args: [
        {
          reason: body.reason,
          ...(body.cancellationFee ? { cancellationFee: body.cancellationFee } : {}),
          actor: actorOf(res, body.actor),
          channel: body.channel,
        },
      ],
      field: 'reason',
    });
    res.json({ appointment: await appointmentView(db, deps.config, id) });
  });

  router.post('/api/appointments/:id/no-show', async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'params');
    const body = parseInput(noShowBody, req.body, 'body');
    const row = await load(id);
    await updateWorkflow(deps.temporal, res, {
      workflowId: row.workflow_id,
      update: markNoShowUpdate,
      args: [
        {
          ...(body.note ? { note: body.note } : {}),
          ...(body.cancellationFee ? { cancellationFee: body.cancellationFee } : {}),
          actor: actorOf(res, body.actor),
          channel: body.channel,
        },
      ],
      field: 'id',
    });
    res.json({ appointment: await appointmentView(db, deps.config, id) });
  });

  router.post('/api/appointments/:id/start', async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'params');
    const body = parseInput(startBody, req.body, 'body');
    const row = await load(id);
    await updateWorkflow(deps.temporal, res, {
      workflowId: row.workflow_id,
      update: startServiceUpdate,
      args: [{ actor: actorOf(res, body.actor), channel: body.channel }],
      field: 'id',
    });
    res.json({ appointment: await appointmentView(db, deps.config, id) });
  });

  return router;
}
