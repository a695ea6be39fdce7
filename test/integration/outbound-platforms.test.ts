/**
 * Outbound platform sync against local servers that answer like each vendor and check the wire format:
 * method, path, auth header and body for Google Calendar (insert with a deterministic id, update,
 * move between calendars, delete), Microsoft Graph (create with transactionId, PATCH, cancel),
 * ServiceTitan (reschedule, cancel job; nothing without a linked record), Zoho CRM (update Status),
 * HubSpot (upsert by appointflow id) and Mailchimp (customer-journey trigger); retryable and final errors.
 */
import type { AppointmentEventView } from '../../src/outbound/events';
import { fetchHttp, OutboundError } from '../../src/outbound/http';
import { type IntegrationConfig, PLATFORM_SYNC, type SyncInput } from '../../src/outbound/platforms';
import { type RecordingServer, startRecordingServer } from '../support/recording-server';

let server: RecordingServer;
beforeAll(async () => {
  server = await startRecordingServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.requests.length = 0;
  server.handler = () => ({ status: 200, body: {} });
});

const appointmentId = '3f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b';
const googleId = 'af3f1e2d3c4b5a49788a6b5c4d3e2f1a0b';
const scheduled: AppointmentEventView = {
  id: appointmentId,
  status: 'scheduled',
  stage: 'Appointment Scheduled',
  startsAt: '2026-03-10T15:00:00.000Z',
  endsAt: '2026-03-10T16:00:00.000Z',
  timeZone: 'America/New_York',
  service: { id: 'svc', name: 'Deep Tissue Massage' },
  staff: { id: 'staff-1', name: 'Avery Chen', email: 'avery@maple.example' },
  contact: { id: 'c1', name: 'Sam Rivera', email: 'sam@example.com', phone: '+12125550100' },
  cancelReason: null,
};
const cancelled: AppointmentEventView = {
  ...scheduled,
  status: 'cancelled',
  stage: 'Closed Lost',
  cancelReason: 'sick',
};

function input(
  platform: IntegrationConfig['platform'],
  over: Partial<SyncInput> & { path?: string; settings?: Record<string, unknown> } = {},
): SyncInput {
  return {
    eventType: 'appointment.booked',
    appointment: scheduled,
    change: {},
    link: undefined,
    http: fetchHttp(),
    ...over,
    config: {
      platform,
      baseUrl: `${server.url}${over.path ?? ''}`,
      accessToken: 'tok_123',
      settings: over.settings ?? {},
    },
  };
}

describe('Google Calendar', () => {
  it('inserts the event on the staff calendar with a deterministic id, then updates and deletes it', async () => {
    const created = await PLATFORM_SYNC.google_calendar(input('google_calendar', { path: '/calendar/v3' }));
    expect(created.link).toEqual({ externalId: googleId, data: { calendarId: 'avery@maple.example' } });
    const [insert] = server.requests;
    expect(insert).toMatchObject({
      method: 'POST',
      path: '/calendar/v3/calendars/avery%40maple.example/events?sendUpdates=none',
    });
    expect(insert!.headers.authorization).toBe('Bearer tok_123');
    expect(insert!.json).toMatchObject({
      id: googleId,
      summary: 'Deep Tissue Massage — Sam Rivera',
      start: { dateTime: '2026-03-10T15:00:00.000Z', timeZone: 'America/New_York' },
      end: { dateTime: '2026-03-10T16:00:00.000Z', timeZone: 'America/New_York' },
      status: 'confirmed',
    });

    const moved = { ...scheduled, startsAt: '2026-03-11T15:00:00.000Z', endsAt: '2026-03-11T16:00:00.000Z' };
    await PLATFORM_SYNC.google_calendar(
      input('google_calendar', { path: '/calendar/v3', appointment: moved, link: created.link! }),
    );
    expect(server.requests[1]).toMatchObject({
      method: 'PUT',
      path: `/calendar/v3/calendars/avery%40maple.example/events/${googleId}?sendUpdates=none`,
      json: { start: { dateTime: '2026-03-11T15:00:00.000Z' } },
    });

    server.handler = () => ({ status: 410, body: { error: { code: 410, message: 'Resource has been deleted' } } });
    const gone = await PLATFORM_SYNC.google_calendar(
      input('google_calendar', { path: '/calendar/v3', appointment: cancelled, link: created.link! }),
    );
    expect(gone.link).toBeNull();
    expect(server.requests[2]).toMatchObject({
      method: 'DELETE',
      path: `/calendar/v3/calendars/avery%40maple.example/events/${googleId}?sendUpdates=none`,
    });
    expect(server.requests).toHaveLength(3);
  });

  it('updates an event an earlier attempt already created (409 on insert) and follows a move to another staff calendar', async () => {
    server.handler = (r) =>
      r.method === 'POST' ? { status: 409, body: { error: { code: 409 } } } : { status: 200, body: {} };
    const result = await PLATFORM_SYNC.google_calendar(
      input('google_calendar', { settings: { calendars: { 'staff-1': 'primary-avery' }, sendUpdates: 'all' } }),
    );
    expect(result.outcome).toContain('already existed');
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /calendars/primary-avery/events?sendUpdates=all',
      `PUT /calendars/primary-avery/events/${googleId}?sendUpdates=all`,
    ]);

    server.requests.length = 0;
    server.handler = () => ({ status: 200, body: {} });
    const otherStaff = { ...scheduled, staff: { id: 'staff-2', name: 'Jordan Patel', email: 'jordan@maple.example' } };
    const moved = await PLATFORM_SYNC.google_calendar(
      input('google_calendar', {
        appointment: otherStaff,
        link: { externalId: googleId, data: { calendarId: 'primary-avery' } },
      }),
    );
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `DELETE /calendars/primary-avery/events/${googleId}?sendUpdates=none`,
      'POST /calendars/jordan%40maple.example/events?sendUpdates=none',
    ]);
    expect(moved.link).toEqual({ externalId: googleId, data: { calendarId: 'jordan@maple.example' } });
  });
});

describe('Microsoft Graph', () => {
  it('creates with a transactionId, patches the linked event, and cancels it', async () => {
    server.handler = () => ({ status: 201, body: { id: 'AAMkAGI2T', subject: 'x' } });
    const created = await PLATFORM_SYNC.microsoft_graph(input('microsoft_graph', { path: '/v1.0' }));
    expect(created.link).toEqual({ externalId: 'AAMkAGI2T', data: { userId: 'avery@maple.example' } });
    expect(server.requests[0]).toMatchObject({
      method: 'POST',
      path: '/v1.0/users/avery%40maple.example/events',
      json: {
        subject: 'Deep Tissue Massage — Sam Rivera',
        start: { dateTime: '2026-03-10T15:00:00.000', timeZone: 'UTC' },
        end: { dateTime: '2026-03-10T16:00:00.000', timeZone: 'UTC' },
        transactionId: appointmentId,
      },
    });
    expect(server.requests[0]!.headers.authorization).toBe('Bearer tok_123');

    server.handler = () => ({ status: 200, body: { id: 'AAMkAGI2T' } });
    await PLATFORM_SYNC.microsoft_graph(input('microsoft_graph', { path: '/v1.0', link: created.link! }));
    expect(server.requests[1]).toMatchObject({
      method: 'PATCH',
      path: '/v1.0/users/avery%40maple.example/events/AAMkAGI2T',
    });

    server.handler = () => ({ status: 202 });
    const gone = await PLATFORM_SYNC.microsoft_graph(
      input('microsoft_graph', { path: '/v1.0', appointment: cancelled, link: created.link! }),
    );
    expect(gone.link).toBeNull();
    expect(server.requests[2]).toMatchObject({
      method: 'POST',
      path: '/v1.0/users/avery%40maple.example/events/AAMkAGI2T/cancel',
      json: { comment: 'Cancelled: sick' },
    });
  });
});

describe('ServiceTitan', () => {
  const settings = { tenantId: '1234', appKey: 'ak1.app-key', cancelReasonId: 7 };
  it('does nothing without a linked appointment; reschedules and cancels the linked job', async () => {
    expect((await PLATFORM_SYNC.servicetitan(input('servicetitan', { settings }))).outcome).toBe(
      'no linked ServiceTitan appointment',
    );
    expect(server.requests).toHaveLength(0);
    const link = { externalId: '456', data: { jobId: 789 } };
    await PLATFORM_SYNC.servicetitan(input('servicetitan', { settings, link, eventType: 'appointment.rescheduled' }));
    expect(server.requests[0]).toMatchObject({
      method: 'PATCH',
      path: '/jpm/v2/tenant/1234/appointments/456/reschedule',
      json: {
        start: scheduled.startsAt,
        end: scheduled.endsAt,
        arrivalWindowStart: scheduled.startsAt,
        arrivalWindowEnd: scheduled.endsAt,
      },
    });
    expect(server.requests[0]!.headers).toMatchObject({ authorization: 'Bearer tok_123', 'st-app-key': 'ak1.app-key' });
    await PLATFORM_SYNC.servicetitan(input('servicetitan', { settings, link, appointment: cancelled }));
    expect(server.requests[1]).toMatchObject({
      method: 'PUT',
      path: '/jpm/v2/tenant/1234/jobs/789/cancel',
      json: { reasonId: 7, memo: 'Cancelled in appointflow: sick' },
    });
  });
});

describe('Zoho CRM', () => {
  it('updates the linked record status with the Zoho-oauthtoken header; a refused record is final', async () => {
    server.handler = () => ({ status: 200, body: { data: [{ code: 'SUCCESS', details: { id: '5843' } }] } });
    const link = { externalId: '5843', data: {} };
    await PLATFORM_SYNC.zoho_crm(
      input('zoho_crm', { link, appointment: cancelled, change: { channel: 'manage_link' } }),
    );
    expect(server.requests[0]).toMatchObject({
      method: 'PUT',
      path: '/crm/v6/Appointments__s',
      json: {
        data: [
          {
            id: '5843',
            Status: 'Cancelled',
            Appointment_Start_Time: '2026-03-10T15:00:00+00:00',
            Cancellation_Reason: 'By Customer',
          },
        ],
      },
    });
    expect(server.requests[0]!.headers.authorization).toBe('Zoho-oauthtoken tok_123');

    server.handler = () => ({ status: 200, body: { data: [{ code: 'INVALID_DATA', message: 'invalid id' }] } });
    const failure = await PLATFORM_SYNC.zoho_crm(input('zoho_crm', { link })).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(OutboundError);
    expect((failure as OutboundError).retryable).toBe(false);
  });
});

describe('HubSpot', () => {
  it('upserts the appointment record by appointflow id', async () => {
    server.handler = () => ({ status: 200, body: { status: 'COMPLETE', results: [{ id: '9001', properties: {} }] } });
    const result = await PLATFORM_SYNC.hubspot(input('hubspot', { appointment: cancelled }));
    expect(result.link).toEqual({ externalId: '9001', data: { objectType: 'appointments' } });
    expect(server.requests[0]).toMatchObject({
      method: 'POST',
      path: '/crm/v3/objects/appointments/batch/upsert',
      json: {
        inputs: [
          {
            id: appointmentId,
            idProperty: 'appointflow_id',
            properties: {
              hs_appointment_name: 'Deep Tissue Massage — Sam Rivera',
              hs_appointment_start: scheduled.startsAt,
              hs_appointment_end: scheduled.endsAt,
              hs_appointment_status: 'CANCELLED',
            },
          },
        ],
      },
    });
    expect(server.requests[0]!.headers.authorization).toBe('Bearer tok_123');
  });
});

describe('Mailchimp', () => {
  it('triggers the customer-journey step for a cancelled appointment, with the API key as Basic auth', async () => {
    server.handler = () => ({ status: 204 });
    const settings = { journeyId: '81', stepId: '1017' };
    await PLATFORM_SYNC.mailchimp(input('mailchimp', { path: '/3.0', settings, appointment: cancelled }));
    expect(server.requests[0]).toMatchObject({
      method: 'POST',
      path: '/3.0/customer-journeys/journeys/81/steps/1017/actions/trigger',
      json: { email_address: 'sam@example.com' },
    });
    expect(server.requests[0]!.headers.authorization).toBe(
      `Basic ${Buffer.from('appointflow:tok_123').toString('base64')}`,
    );
    // Rebooked in the meantime: no journey.
    await PLATFORM_SYNC.mailchimp(input('mailchimp', { path: '/3.0', settings }));
    expect(server.requests).toHaveLength(1);
  });
});

it('classifies failures: 5xx and 429 are retried, other 4xx are final, a refused connection is retried', async () => {
  const attempt = async () =>
    PLATFORM_SYNC.hubspot(input('hubspot')).then(
      () => undefined,
      (e: unknown) => e as OutboundError,
    );
  for (const [status, retryable] of [
    [500, true],
    [503, true],
    [429, true],
    [401, false],
    [400, false],
  ] as const) {
    server.handler = () => ({ status, body: { message: 'nope' } });
    const failure = await attempt();
    expect(failure).toMatchObject({ statusCode: status, retryable });
  }
  const unreachable = await PLATFORM_SYNC.hubspot({
    ...input('hubspot'),
    config: { platform: 'hubspot', baseUrl: 'http://127.0.0.1:1', accessToken: 't', settings: {} },
  }).catch((e: unknown) => e as OutboundError);
  expect(unreachable).toMatchObject({ statusCode: null, retryable: true });
});
