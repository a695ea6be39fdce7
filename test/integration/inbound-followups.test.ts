/**
 * Inbound integrations, the cases that used to make noise or hang (dev server, database, worker, HTTP,
 * deliveries signed as the vendors sign them):
 *  - a Calendly cancel with `rescheduled: true` whose new booking never arrives: after the bounded wait
 *    (INBOUND_RESCHEDULE_WAIT_MS, short here) the appointment keeps its time, the timeline says so and
 *    staff get one reach-out task; when the new booking does arrive in time there is no task;
 *  - a status change that needs nobody (HubSpot COMPLETED) is a timeline note only, while one that does
 *    (an outcome appointflow cannot act on) still opens a task.
 */
import { DateTime } from 'luxon';
import { createApiKey } from '../../src/auth/api-keys';
import { rescheduleWaitWorkflowId } from '../../workflows/integration-inbound/messages';
import { fixtureJson, signCalendly, signHubSpot } from '../support/inbound-signing';
import { api, bookByPhone, startSystem, type System } from '../support/system';

jest.setTimeout(180_000);

const WAIT_MS = 1500;
const CALENDLY_KEY = 'calendly-followups-key';
const HUBSPOT_SECRET = 'hubspot-followups-secret';
let system: System;
let auth: Record<string, string>;
let service: string;
const free: Array<{ startsAt: string; staffId: string }> = [];

beforeAll(async () => {
  system = await startSystem({ INBOUND_RESCHEDULE_WAIT_MS: String(WAIT_MS) });
  auth = { authorization: `Bearer ${(await createApiKey(system.database.db, 'Follow-ups')).key}` };
  for (const [platform, secrets] of [
    ['calendly', { signingKey: CALENDLY_KEY }],
    ['hubspot', { clientSecret: HUBSPOT_SECRET }],
  ] as const) {
    expect((await api(system, 'PUT', `/api/integrations/${platform}/inbound`, { secrets }, auth)).status).toBe(200);
  }
  const { body } = await api<{ services: Array<{ id: string; slug: string }> }>(system, 'GET', '/api/services');
  service = body.services.find((s) => s.slug === 'consultation')!.id;
  const zone = 'America/New_York';
  const availability = await api<{ days: Array<{ slots: Array<{ startsAt: string; staffId: string }> }> }>(
    system,
    'GET',
    `/api/services/${service}/availability?from=${DateTime.now().setZone(zone).plus({ days: 4 }).toISODate()}&to=${DateTime.now()
      .setZone(zone)
      .plus({ days: 12 })
      .toISODate()}&timeZone=${zone}`,
  );
  // Slots at least two hours apart, so every booking and every move has its own.
  for (const slot of availability.body.days.flatMap((d) => d.slots)) {
    const last = free[free.length - 1];
    if (!last || Date.parse(slot.startsAt) - Date.parse(last.startsAt) >= 2 * 3600_000) free.push(slot);
  }
});
afterAll(async () => {
  await system?.stop();
});

async function bookLinked(platform: string, externalId: string) {
  const slot = free.shift()!;
  const { id } = await bookByPhone(system, auth, {
    serviceId: service,
    slot,
    customer: { name: 'Riley Calendly', email: `riley.${free.length}@example.com` },
  });
  const linked = await api(
    system,
    'POST',
    '/api/integrations/links',
    { platform, externalId, appointmentId: id },
    auth,
  );
  expect(linked.status).toBe(201);
  return { id, startsAt: Date.parse(slot.startsAt) };
}

async function deliver(platform: string, body: string, headers: Record<string, string>) {
  const response = await fetch(`${system.baseUrl}/webhooks/integrations/${platform}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: response.status, json: (await response.json()) as { results: Array<{ outcome: string }> } };
}

const row = (id: string) =>
  system.database.db.selectFrom('appointments').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const timeline = (id: string) =>
  system.database.db
    .selectFrom('timeline_events')
    .select(['kind', 'channel', 'summary'])
    .where('appointment_id', '=', id)
    .orderBy('id')
    .execute();
const reachOut = (id: string) =>
  system.database.db
    .selectFrom('tasks')
    .select(['title', 'idempotency_key'])
    .where('appointment_id', '=', id)
    .where('kind', '=', 'reach_out')
    .execute();

function calendlyCancel(oldUri: string, newUri: string) {
  const cancel = fixtureJson<{ payload: Record<string, unknown> }>('calendly', 'invitee.canceled.rescheduled.json');
  cancel.payload.uri = oldUri;
  cancel.payload.new_invitee = newUri;
  return JSON.stringify(cancel);
}

describe('Calendly reschedule whose new booking never arrives', () => {
  it('keeps the appointment, notes it and opens one staff task after the wait', async () => {
    const oldUri = 'https://api.calendly.com/scheduled_events/WAIT1/invitees/OLDWAIT1';
    const newUri = 'https://api.calendly.com/scheduled_events/WAIT2/invitees/NEWWAIT1';
    const { id, startsAt } = await bookLinked('calendly', oldUri);
    const body = calendlyCancel(oldUri, newUri);
    const res = await deliver('calendly', body, signCalendly(CALENDLY_KEY, body));
    expect(res.status).toBe(200);
    expect(res.json.results[0]!.outcome).toBe('part of a reschedule (awaiting the new booking)');
    expect(await reachOut(id)).toEqual([]);

    const handle = system.env.client.workflow.getHandle(rescheduleWaitWorkflowId('calendly', id, newUri));
    expect(await handle.result()).toBe('new booking missing: staff task opened');
    const tasks = await reachOut(id);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]!.title).toContain('Find the new time in Calendly');
    const note = (await timeline(id)).filter((e) => e.kind === 'integration:reschedule_missing');
    expect(note).toHaveLength(1);
    expect(note[0]!.channel).toBe('integration:calendly');
    const after = await row(id);
    expect(after.status).toBe('scheduled');
    expect(after.starts_at.getTime()).toBe(startsAt);
    // A redelivered cancel is a duplicate: no second wait, no second task.
    const again = await deliver('calendly', body, signCalendly(CALENDLY_KEY, body));
    expect(again.json.results[0]!.outcome).toBe('duplicate');
    expect(await reachOut(id)).toHaveLength(1);
  });

  it('opens no task when the new booking arrives within the wait', async () => {
    const oldUri = 'https://api.calendly.com/scheduled_events/WAIT3/invitees/OLDWAIT3';
    const newUri = 'https://api.calendly.com/scheduled_events/WAIT4/invitees/NEWWAIT3';
    const { id } = await bookLinked('calendly', oldUri);
    const target = free.shift()!;
    const newStart = Date.parse(target.startsAt);
    const cancel = calendlyCancel(oldUri, newUri);
    expect((await deliver('calendly', cancel, signCalendly(CALENDLY_KEY, cancel))).status).toBe(200);
    const created = fixtureJson<{ payload: Record<string, unknown> & { scheduled_event: Record<string, unknown> } }>(
      'calendly',
      'invitee.created.rescheduled.json',
    );
    created.payload.uri = newUri;
    created.payload.old_invitee = oldUri;
    created.payload.scheduled_event.start_time = new Date(newStart).toISOString();
    created.payload.scheduled_event.end_time = new Date(newStart + 30 * 60_000).toISOString();
    const n = JSON.stringify(created);
    expect((await deliver('calendly', n, signCalendly(CALENDLY_KEY, n))).status).toBe(200);
    expect((await row(id)).starts_at.getTime()).toBe(newStart);

    const handle = system.env.client.workflow.getHandle(rescheduleWaitWorkflowId('calendly', id, newUri));
    expect(await handle.result()).toBe('new booking arrived');
    expect(await reachOut(id)).toEqual([]);
    expect((await timeline(id)).map((e) => e.kind)).not.toContain('integration:reschedule_missing');
  });
});

describe('status changes', () => {
  it('a HubSpot COMPLETED outcome is a timeline note only; an outcome that needs staff still opens a task', async () => {
    const done = await bookLinked('hubspot', '81234569001');
    const odd = await bookLinked('hubspot', '81234569002');
    const batch = fixtureJson<Array<Record<string, unknown>>>('hubspot', 'property-change.json');
    batch[0] = { ...batch[0]!, eventId: 1713289001, objectId: 81234569001, propertyValue: 'COMPLETED' };
    batch[1] = {
      ...batch[1]!,
      eventId: 1713289002,
      objectId: 81234569002,
      propertyName: 'hs_meeting_outcome',
      propertyValue: 'RESCHEDULED',
    };
    const body = JSON.stringify(batch);
    const uri = `${system.baseUrl}/webhooks/integrations/hubspot`;
    const res = await deliver('hubspot', body, signHubSpot(HUBSPOT_SECRET, 'POST', uri, body));
    expect(res.status).toBe(200);
    expect(res.json.results.map((r) => r.outcome)).toEqual(['status recorded', 'status recorded; staff task opened']);

    const note = (await timeline(done.id)).filter((e) => e.kind === 'integration:status_changed');
    expect(note).toHaveLength(1);
    expect(note[0]!.summary).toContain('COMPLETED');
    expect(await reachOut(done.id)).toEqual([]);
    expect((await row(done.id)).status).toBe('scheduled');

    expect((await timeline(odd.id)).filter((e) => e.kind === 'integration:status_changed')).toHaveLength(1);
    expect(await reachOut(odd.id)).toHaveLength(1);
  });
});
