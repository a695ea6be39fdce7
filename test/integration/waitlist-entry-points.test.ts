/**
 * Ways onto the waitlist from the rebooking messages, end to end (dev server, worker with the real
 * activities, the Twilio SDK pointed at a local server answering like Twilio):
 * - a no-show's prompt (email) links the booking page opened on "Join the waitlist" for the
 *   appointment's service and staff member, and its SMS offers the W reply;
 * - replying W joins the waitlist for that service and staff member (answered by SMS, on the
 *   timeline); WAIT again adds nothing; after a cancel W joins for the cancelled visit; a number with
 *   nothing cancelled is told so.
 */
import { randomUUID } from 'node:crypto';
import twilio from 'twilio';
import { createApiKey } from '../../src/auth/api-keys';
import { startAppointmentWorkflow } from '../../src/booking/service';
import { type CaptureServer, fakeMessageSid, startCaptureServer, twilioLike } from '../support/capture-server';
import { api, bookByPhone, eventually, freeSlots, serviceIdBySlug, startSystem, type System } from '../support/system';

jest.setTimeout(180_000);

const ACCOUNT = `AC${'e5'.repeat(16)}`;
const TOKEN = 'waitlist-entry-token';
const OUR_NUMBER = '+12125550100';

let system: System;
let twilioApi: CaptureServer;
let auth: Record<string, string>;
let consultation: string;

beforeAll(async () => {
  twilioApi = await startCaptureServer(twilioLike);
  system = await startSystem({
    TWILIO_ACCOUNT_SID: ACCOUNT,
    TWILIO_AUTH_TOKEN: TOKEN,
    TWILIO_FROM_NUMBER: OUR_NUMBER,
    TWILIO_API_BASE: twilioApi.url,
  });
  auth = { authorization: `Bearer ${(await createApiKey(system.database.db, 'Front desk')).key}` };
  consultation = await serviceIdBySlug(system, 'consultation');
});
afterAll(async () => {
  await system?.stop();
  await twilioApi?.stop();
});

async function textUs(from: string, body: string): Promise<string> {
  const params = { MessageSid: fakeMessageSid(), AccountSid: ACCOUNT, From: from, To: OUR_NUMBER, Body: body };
  const url = `${system.baseUrl}/webhooks/twilio/sms`;
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilio.getExpectedTwilioSignature(TOKEN, url, params),
    },
    body: new URLSearchParams(params).toString(),
  });
  expect(response.status).toBe(200);
  return response.text();
}

const entriesOf = (phone: string) =>
  system.database.db
    .selectFrom('waitlist_entries as w')
    .innerJoin('contacts as c', 'c.id', 'w.contact_id')
    .select(['w.service_id', 'w.staff_id', 'w.source', 'w.status', 'w.time_from', 'w.time_to'])
    .where('c.phone', '=', phone)
    .execute();

/** A consultation that began ten minutes ago (so it can be a no-show), with its running workflow. */
async function startedAppointment(phone: string) {
  const db = system.database.db;
  const staffId = (await db.selectFrom('staff').select('id').orderBy('name').executeTakeFirstOrThrow()).id;
  const contact = await db
    .insertInto('contacts')
    .values({
      name: 'Nora Missed',
      email: `nora.${randomUUID()}@example.com`,
      phone,
      sms_opt_in: true,
      sms_opt_in_at: new Date(),
      time_zone: 'America/New_York',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const id = randomUUID();
  const startsAt = Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000;
  await db
    .insertInto('appointments')
    .values({
      id,
      contact_id: contact.id,
      staff_id: staffId,
      service_id: consultation,
      starts_at: new Date(startsAt),
      ends_at: new Date(startsAt + 30 * 60_000),
      blocked_from: new Date(startsAt),
      blocked_until: new Date(startsAt + 30 * 60_000),
      time_zone: 'America/New_York',
      price_minor: 6000,
      currency: 'USD',
      source: 'admin',
      workflow_id: `appointment:${id}`,
    })
    .execute();
  await startAppointmentWorkflow({ db, temporal: system.env.client, config: system.config }, id, {
    actor: { kind: 'staff', name: 'Front desk' },
    channel: 'admin',
  });
  return { id, staffId };
}

it('a no-show prompt links the waitlist and a W reply joins it for that service and staff member', async () => {
  const phone = '+19175550431';
  const { id, staffId } = await startedAppointment(phone);
  const marked = await api(system, 'POST', `/api/appointments/${id}/no-show`, { channel: 'in_person' }, auth);
  expect(marked.status).toBe(200);

  const prompts = await eventually(async () => {
    const rows = await system.database.db
      .selectFrom('messages')
      .select(['channel', 'body'])
      .where('appointment_id', '=', id)
      .where('template', '=', 'noShowPrompt')
      .execute();
    return rows.length === 2 && rows;
  }, 60_000);
  const email = prompts.find((m) => m.channel === 'email')!.body;
  expect(email).toContain('Join the waitlist');
  expect(email).toContain(`${system.baseUrl}/book/consultation?staff=${staffId}&waitlist=1`);
  expect(prompts.find((m) => m.channel === 'sms')!.body).toContain('Reply W to join the waitlist.');

  const answer = await textUs(phone, 'w');
  expect(answer).toContain("You're on the waitlist for Consultation with ");
  expect(await entriesOf(phone)).toEqual([
    {
      service_id: consultation,
      staff_id: staffId,
      source: 'sms',
      status: 'waiting',
      time_from: '00:00:00',
      time_to: '24:00:00',
    },
  ]);
  const timeline = await system.database.db
    .selectFrom('timeline_events')
    .select(['kind', 'channel', 'summary'])
    .where('appointment_id', '=', id)
    .where('kind', '=', 'sms:waitlist')
    .execute();
  expect(timeline).toEqual([
    expect.objectContaining({ channel: 'sms', summary: expect.stringMatching(/joined the waitlist for Consultation/) }),
  ]);

  // Again: nothing new, and the answer says so.
  expect(await textUs(phone, 'WAIT')).toContain('already on the waitlist');
  expect(await entriesOf(phone)).toHaveLength(1);
});

it('after a cancel, W joins the waitlist for the cancelled visit; with nothing cancelled it says so', async () => {
  const phone = '+19175550432';
  const slot = (await freeSlots(system, consultation, 6, 12))[0]!;
  const booked = await bookByPhone(system, auth, {
    serviceId: consultation,
    slot,
    customer: { name: 'Cyd Cancel', email: 'cyd.cancel@example.com', phone, smsOptIn: true },
  });
  expect(await textUs(phone, 'W')).toContain('no cancelled appointment');
  const cancelled = await api(
    system,
    'POST',
    `/api/appointments/${booked.id}/cancel`,
    { reason: 'away', channel: 'phone' },
    auth,
  );
  expect(cancelled.status).toBe(200);
  expect(await textUs(phone, 'Wait.')).toContain('on the waitlist for Consultation');
  expect(await entriesOf(phone)).toEqual([expect.objectContaining({ staff_id: slot.staffId, source: 'sms' })]);
});
