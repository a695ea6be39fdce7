/**
 * End to end through HTTP against the dev server and the database: guest booking, the stored
 * confirmation, reschedule and cancel by manage link, the dead link afterwards, input validation,
 * 50 concurrent bookings of one slot, and the row-and-workflow guarantee when the process dies between
 * the two.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { sql } from 'kysely';
import { DateTime } from 'luxon';
import { book, startAppointmentWorkflow, startPendingWorkflows } from '../../src/booking/service';
import { AppointmentStage, StaffId } from '../../temporal/search-attributes';
import { api, eventually, startSystem, type System } from '../support/system';

jest.setTimeout(120_000);

let system: System;
beforeAll(async () => {
  system = await startSystem();
});
afterAll(async () => {
  await system?.stop();
});

interface SlotView {
  startsAt: string;
  staffId: string;
  staffName: string;
  label: string;
}
interface Availability {
  days: Array<{ date: string; slots: SlotView[] }>;
}
interface Booked {
  appointment: {
    id: string;
    workflowId: string;
    status: string;
    stage: string;
    startsAt: string;
    staff: { id: string; name: string };
    temporalUrl: string;
  };
  manageUrl: string;
}

async function serviceId(slug: string): Promise<string> {
  const { body } = await api<{ services: Array<{ id: string; slug: string }> }>(system, 'GET', '/api/services');
  return body.services.find((s) => s.slug === slug)!.id;
}

async function freeSlots(
  service: string,
  timeZone = 'America/Chicago',
  path = `/api/services/${service}/availability`,
): Promise<SlotView[]> {
  const from = DateTime.now().setZone(timeZone).toISODate()!;
  const to = DateTime.now().setZone(timeZone).plus({ days: 14 }).toISODate()!;
  const { status, body } = await api<Availability>(
    system,
    'GET',
    `${path}?from=${from}&to=${to}&timeZone=${encodeURIComponent(timeZone)}`,
  );
  expect(status).toBe(200);
  return body.days.flatMap((d) => d.slots);
}

const guest = (n: number | string, extra: Record<string, unknown> = {}) => ({
  name: `Guest ${n}`,
  email: `guest.${n}@example.com`,
  phone: '+13125550100',
  smsOptIn: true,
  note: 'Please use the side door.',
  ...extra,
});

const tokenOf = (manageUrl: string) => manageUrl.split('/manage/')[1]!;

async function messagesFor(appointmentId: string) {
  return system.database.db
    .selectFrom('messages')
    .selectAll()
    .where('appointment_id', '=', appointmentId)
    .orderBy('created_at')
    .execute();
}

it('guest booking → confirmation stored → reschedule by manage link → cancel → the link is dead', async () => {
  const consultation = await serviceId('consultation');
  const slots = await freeSlots(consultation);
  expect(slots.length).toBeGreaterThan(10);
  const first = slots[0]!;

  const booked = await api<Booked>(system, 'POST', '/api/bookings', {
    serviceId: consultation,
    startsAt: first.startsAt,
    timeZone: 'America/Chicago',
    customer: guest('flow'),
  });
  expect(booked.status).toBe(201);
  const { appointment, manageUrl } = booked.body;
  expect(appointment).toMatchObject({
    status: 'scheduled',
    startsAt: first.startsAt,
    workflowId: `appointment:${appointment.id}`,
  });
  expect(appointment.temporalUrl).toContain(encodeURIComponent(appointment.workflowId));

  // The confirmation: email with .ics and the manage link, SMS to the opted-in phone, in the outbox.
  const confirmation = await eventually(async () => {
    const messages = (await messagesFor(appointment.id)).filter(
      (m) => m.template === 'confirmation' && m.status === 'sent',
    );
    return messages.length === 2 && messages;
  });
  const email = confirmation.find((m) => m.channel === 'email')!;
  expect(email).toMatchObject({ recipient: 'guest.flow@example.com', provider: 'outbox' });
  // Each message carries its own manage token; the email's link opens the same appointment.
  const emailToken = new RegExp(`${system.baseUrl}/manage/([A-Za-z0-9_-]{43})`).exec(email.body)?.[1];
  expect(emailToken).toBeDefined();
  expect(emailToken).not.toBe(tokenOf(manageUrl));
  expect(
    (await api<{ appointment: { id: string } }>(system, 'GET', `/api/manage/${emailToken}`)).body.appointment.id,
  ).toBe(appointment.id);
  expect(email.html).toContain(`${system.baseUrl}/manage/${emailToken}`);
  expect(email.attachments[0]).toMatchObject({ filename: 'appointment.ics' });
  expect(Buffer.from(email.attachments[0]!.content, 'base64').toString()).toContain(
    `UID:${appointment.id}@appointflow`,
  );
  expect(confirmation.find((m) => m.channel === 'sms')!.body).toContain('Reply C to cancel');
  // Times in the customer's zone (Chicago), with the zone named.
  expect(email.body).toMatch(/\d{1,2}:\d{2} (AM|PM) C[SD]T/);

  // The workflow is findable in the Temporal Web UI by its search attributes.
  const description = await system.env.client.workflow.getHandle(appointment.workflowId).describe();
  expect(description.typedSearchAttributes.get(StaffId)).toBe(appointment.staff.id);
  const stored = await system.database.db
    .selectFrom('appointments')
    .select('stage')
    .where('id', '=', appointment.id)
    .executeTakeFirstOrThrow();
  expect(description.typedSearchAttributes.get(AppointmentStage)).toBe(stored.stage);
  expect(await description.staticSummary()).toBe('Consultation — Guest flow with ' + appointment.staff.name);

  const token = tokenOf(manageUrl);
  const view = await api<{ appointment: { id: string; contact: Record<string, unknown> } }>(
    system,
    'GET',
    `/api/manage/${token}`,
  );
  expect(view.status).toBe(200);
  expect(view.body.appointment.id).toBe(appointment.id);
  expect(view.body.appointment.contact).toEqual({ name: 'Guest flow' });

  const later = (await freeSlots(consultation, 'America/Chicago', `/api/manage/${token}/availability`)).find(
    (s) => Date.parse(s.startsAt) > Date.parse(first.startsAt) + 24 * 3600_000,
  )!;
  const moved = await api<{ appointment: { startsAt: string; revision: number } }>(
    system,
    'POST',
    `/api/manage/${token}/reschedule`,
    {
      startsAt: later.startsAt,
    },
  );
  expect(moved.status).toBe(200);
  expect(moved.body.appointment).toMatchObject({ startsAt: later.startsAt, revision: 2 });
  await eventually(async () =>
    (await messagesFor(appointment.id)).some((m) => m.template === 'rescheduled' && m.status === 'sent'),
  );

  const cancelled = await api<{ appointment: { status: string; stage: string } }>(
    system,
    'POST',
    `/api/manage/${token}/cancel`,
    {
      reason: 'Travelling that week',
    },
  );
  expect(cancelled.status).toBe(200);
  expect(cancelled.body.appointment).toMatchObject({ status: 'cancelled', stage: 'Closed Lost' });
  await eventually(async () =>
    (await messagesFor(appointment.id)).some((m) => m.template === 'cancelled' && m.status === 'sent'),
  );

  const dead = await api<{ error: { code: string; reason: string; message: string } }>(
    system,
    'GET',
    `/api/manage/${token}`,
  );
  expect(dead.status).toBe(410);
  expect(dead.body.error).toMatchObject({ code: 'link_dead', reason: 'cancelled' });
  const deadReschedule = await api(system, 'POST', `/api/manage/${token}/reschedule`, { startsAt: later.startsAt });
  expect(deadReschedule.status).toBe(410);
  expect((await api(system, 'GET', `/api/manage/${emailToken}`)).status).toBe(410);

  // Every change is on the timeline with its channel.
  const timeline = await system.database.db
    .selectFrom('timeline_events')
    .select(['kind', 'channel'])
    .where('appointment_id', '=', appointment.id)
    .orderBy('id')
    .execute();
  expect(
    timeline.filter((t) => !t.kind.startsWith('message') && t.kind !== 'stage').map((t) => `${t.kind}@${t.channel}`),
  ).toEqual([
    'booked@web',
    'sms_opt_in@web',
    'task:created@system',
    'rescheduled@manage_link',
    'status:cancelled@manage_link',
  ]);
  // The deliver-service task opened at booking, followed the reschedule, and was cancelled with the appointment.
  const tasks = await system.database.db
    .selectFrom('tasks')
    .select(['kind', 'status', 'due_at'])
    .where('appointment_id', '=', appointment.id)
    .execute();
  expect(tasks).toEqual([{ kind: 'deliver_service', status: 'cancelled', due_at: new Date(later.startsAt) }]);
});

it('rejects bad input with 400 naming each field, and writes nothing', async () => {
  const consultation = await serviceId('consultation');
  const before = await system.database.db
    .selectFrom('appointments')
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow();
  const response = await api<{ error: { code: string; fields: Array<{ field: string }> } }>(
    system,
    'POST',
    '/api/bookings',
    {
      serviceId: consultation,
      startsAt: 'tomorrow at noon',
      timeZone: 'Mars/Olympus',
      customer: { name: '', email: 'not-an-email', phone: '555-0100', smsOptIn: true },
    },
  );
  expect(response.status).toBe(400);
  expect(response.body.error.code).toBe('validation_failed');
  expect(response.body.error.fields.map((f) => f.field).sort()).toEqual([
    'customer.email',
    'customer.name',
    'customer.phone',
    'startsAt',
    'timeZone',
  ]);
  const unknownService = await api(system, 'POST', '/api/bookings', {
    serviceId: '00000000-0000-4000-8000-000000000000',
    startsAt: new Date(Date.now() + 5 * 86400_000).toISOString(),
    timeZone: 'America/Chicago',
    customer: guest('ghost'),
  });
  expect(unknownService.status).toBe(422);
  const malformed = await fetch(`${system.baseUrl}/api/bookings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"serviceId":',
  });
  expect(malformed.status).toBe(400);
  const after = await system.database.db
    .selectFrom('appointments')
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow();
  expect(after.n).toBe(before.n);
  const openapi = await api<{ paths: Record<string, unknown> }>(system, 'GET', '/api/openapi.json');
  expect(Object.keys(openapi.body.paths)).toEqual(
    expect.arrayContaining(['/api/bookings', '/api/manage/{token}/reschedule', '/api/appointments/{id}/cancel']),
  );
});

it('50 concurrent bookings of one slot: exactly one 201, the rest 409 with the next free slots', async () => {
  const massage = await serviceId('deep-tissue-massage');
  const slot = (await freeSlots(massage))[3]!;
  const responses = await Promise.all(
    Array.from({ length: 50 }, (_, i) =>
      api<{ error?: { code: string; nextSlots: SlotView[] } }>(system, 'POST', '/api/bookings', {
        serviceId: massage,
        staffId: slot.staffId,
        startsAt: slot.startsAt,
        timeZone: 'America/New_York',
        customer: guest(`race-${i}`, { smsOptIn: false }),
      }),
    ),
  );
  const statuses = responses.map((r) => r.status);
  expect(statuses.filter((s) => s === 201)).toHaveLength(1);
  expect(statuses.filter((s) => s === 409)).toHaveLength(49);
  for (const refused of responses.filter((r) => r.status === 409)) {
    expect(refused.body.error?.code).toBe('slot_unavailable');
    expect(refused.body.error?.nextSlots.length).toBe(3);
    expect(refused.body.error?.nextSlots.map((s) => s.startsAt)).not.toContain(slot.startsAt);
  }
  const rows = await system.database.db
    .selectFrom('appointments')
    .select(['id', 'workflow_started_at'])
    .where('staff_id', '=', slot.staffId)
    .where('starts_at', '=', new Date(slot.startsAt))
    .execute();
  expect(rows).toHaveLength(1);
  expect(rows[0]!.workflow_started_at).not.toBeNull();
});

it('a row whose workflow start was interrupted gets exactly one workflow from the reconciler', async () => {
  const consultation = await serviceId('consultation');
  const slot = (await freeSlots(consultation))[5]!;
  const failingTemporal = {
    workflow: {
      start: () => Promise.reject(new Error('process died before the workflow was started')),
    },
  } as unknown as Client;
  const deps = { db: system.database.db, temporal: failingTemporal, config: system.config };
  const result = await book(deps, {
    serviceId: consultation,
    startsAt: Date.parse(slot.startsAt),
    timeZone: 'America/New_York',
    customer: guest('crash', { smsOptIn: false }),
    actor: { kind: 'staff', name: 'Avery Chen' },
    channel: 'phone',
  });
  expect(result.workflowStarted).toBe(false);
  await expect(system.env.client.workflow.getHandle(result.workflowId).describe()).rejects.toBeInstanceOf(
    WorkflowNotFoundError,
  );

  const realDeps = { db: system.database.db, temporal: system.env.client, config: system.config };
  expect(await startPendingWorkflows(realDeps, 0)).toEqual([result.appointmentId]);
  expect(await startPendingWorkflows(realDeps, 0)).toEqual([]);
  // A late retry of the original request finds the same workflow instead of starting a second one.
  await startAppointmentWorkflow(realDeps, result.appointmentId, {
    actor: { kind: 'staff', name: 'Avery Chen' },
    channel: 'phone',
  });
  const runs: string[] = [];
  for await (const wf of system.env.client.workflow.list({ query: `WorkflowId = '${result.workflowId}'` }))
    runs.push(wf.runId);
  const description = await system.env.client.workflow.getHandle(result.workflowId).describe();
  expect(description.status.name).toBe('RUNNING');
  expect(runs.length).toBeLessThanOrEqual(1);
  await eventually(async () =>
    (await messagesFor(result.appointmentId)).some((m) => m.template === 'confirmation' && m.status === 'sent'),
  );
});
