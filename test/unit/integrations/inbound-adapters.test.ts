/**
 * Inbound adapters, pure: each verifies a delivery signed with the vendor's published algorithm and
 * rejects a forged, tampered or (where the vendor signs a time) stale one; each parses the vendor's
 * documented payload (fixtures) into the expected normalised events.
 */
import { ZodError } from 'zod';
import { adapterFor, INBOUND_PLATFORMS } from '../../../src/integrations/inbound/registry';
import type { InboundRequest, NormalisedEvent, PlatformSettings } from '../../../src/integrations/inbound/types';
import {
  basic,
  fixture,
  signAcuity,
  signCalendly,
  signHubSpot,
  signJobber,
  signQuickBooks,
  signServiceTitan,
  signSheets,
  signSquare,
  signZendesk,
} from '../../support/inbound-signing';

const NOW = Date.parse('2026-11-21T08:00:00Z');
const URL_BASE = 'https://book.example.com';

function request(
  platform: string,
  body: string,
  headers: Record<string, string> = {},
  extra: { query?: Record<string, string>; method?: string; path?: string } = {},
): InboundRequest {
  const path = extra.path ?? `/webhooks/integrations/${platform}`;
  const qs = extra.query ? `?${new URLSearchParams(extra.query).toString()}` : '';
  return {
    method: extra.method ?? 'POST',
    rawBody: Buffer.from(body),
    headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
    originalUrl: path + qs,
    url: URL_BASE + path + qs,
    query: extra.query ?? {},
  };
}

function settings(
  platform: string,
  secrets: Record<string, string>,
  options: Record<string, unknown> = {},
): PlatformSettings {
  return { platform, secrets, apiBase: null, options, state: {} };
}

const adapter = (platform: string) => {
  const found = adapterFor(platform);
  if (!found) throw new Error(`no adapter ${platform}`);
  return found;
};

const events = (platform: string, req: InboundRequest, s: PlatformSettings): NormalisedEvent[] =>
  adapter(platform)
    .parse(req, s)
    .map((item) => {
      if (!('event' in item)) throw new Error('expected an event');
      return item.event;
    });

test('the registry knows the platforms by their route names and nothing else', () => {
  expect(INBOUND_PLATFORMS).toEqual(
    expect.arrayContaining(['calendly', 'acuity', 'square', 'google_calendar', 'microsoft_graph', 'hubspot']),
  );
  expect(adapterFor('toString')).toBeUndefined();
  expect(adapterFor('stripe')).toBeUndefined();
});

describe('Calendly', () => {
  const s = settings('calendly', { signingKey: 'calendly-signing-key' });
  const body = fixture('calendly', 'invitee.canceled.json');

  test('valid signature verifies; tampered, forged and stale ones do not', () => {
    const a = adapter('calendly');
    expect(a.verify(request('calendly', body, signCalendly('calendly-signing-key', body, NOW)), s, NOW)).toEqual({
      ok: true,
    });
    expect(
      a.verify(
        request(
          'calendly',
          body.replace('Something came up', 'Nothing'),
          signCalendly('calendly-signing-key', body, NOW),
        ),
        s,
        NOW,
      ).ok,
    ).toBe(false);
    expect(a.verify(request('calendly', body, signCalendly('other-key', body, NOW)), s, NOW).ok).toBe(false);
    const stale = a.verify(
      request('calendly', body, signCalendly('calendly-signing-key', body, NOW - 10 * 60_000)),
      s,
      NOW,
    );
    expect(stale).toEqual({ ok: false, reason: 'stale timestamp' });
    expect(a.verify(request('calendly', body), s, NOW).ok).toBe(false);
  });

  test('parses booked, cancelled, the two halves of a reschedule and a no-show', () => {
    const [booked] = events('calendly', request('calendly', fixture('calendly', 'invitee.created.json')), s);
    expect(booked).toMatchObject({
      type: 'booked',
      externalId: 'https://api.calendly.com/scheduled_events/GBGBDCAADAEDCRZ2/invitees/AAAAAAAAAAAAAAAA',
      startsAt: Date.parse('2026-12-01T15:00:00Z'),
      customer: { name: 'Riley Calendly', email: 'riley.calendly@example.com', timeZone: 'America/New_York' },
    });
    const [cancelled] = events('calendly', request('calendly', body), s);
    expect(cancelled).toMatchObject({ type: 'cancelled', reason: 'Something came up' });
    expect(cancelled?.replacedBy).toBeUndefined();
    const [firstHalf] = events(
      'calendly',
      request('calendly', fixture('calendly', 'invitee.canceled.rescheduled.json')),
      s,
    );
    expect(firstHalf).toMatchObject({
      type: 'cancelled',
      replacedBy: 'https://api.calendly.com/scheduled_events/HCHCECBBEBFEDSA3/invitees/BBBBBBBBBBBBBBBB',
    });
    const [secondHalf] = events(
      'calendly',
      request('calendly', fixture('calendly', 'invitee.created.rescheduled.json')),
      s,
    );
    expect(secondHalf).toMatchObject({
      type: 'rescheduled',
      replaces: 'https://api.calendly.com/scheduled_events/GBGBDCAADAEDCRZ2/invitees/AAAAAAAAAAAAAAAA',
      startsAt: Date.parse('2026-12-02T16:00:00Z'),
    });
    const [noShow] = events('calendly', request('calendly', fixture('calendly', 'invitee_no_show.created.json')), s);
    expect(noShow).toMatchObject({
      type: 'no_show',
      externalId: 'https://api.calendly.com/scheduled_events/GBGBDCAADAEDCRZ2/invitees/AAAAAAAAAAAAAAAA',
    });
  });

  test('a payload that is not Calendly’s is a ZodError naming the field', () => {
    expect(() =>
      events('calendly', request('calendly', '{"event":"invitee.created","created_at":"x","payload":{}}'), s),
    ).toThrow(ZodError);
  });
});

describe('Acuity', () => {
  const s = settings('acuity', { apiKey: 'acuity-api-key', userId: '11145481' });
  const body = fixture('acuity', 'rescheduled.form');

  test('verifies base64 HMAC of the raw body; rejects tampered and forged', () => {
    const a = adapter('acuity');
    expect(a.verify(request('acuity', body, signAcuity('acuity-api-key', body)), s, NOW)).toEqual({ ok: true });
    expect(
      a.verify(request('acuity', body.replace('1001', '1002'), signAcuity('acuity-api-key', body)), s, NOW).ok,
    ).toBe(false);
    expect(a.verify(request('acuity', body, signAcuity('wrong', body)), s, NOW).ok).toBe(false);
  });

  test('ids only: parse yields a fetch reference; fetchDetails calls GET /api/v1/appointments/{id} with Basic auth', async () => {
    const items = adapter('acuity').parse(request('acuity', body), s);
    expect(items).toEqual([
      { fetch: { vendorEventId: 'rescheduled:1001', externalId: '1001', hint: 'rescheduled', dedupeAfterFetch: true } },
    ]);
    const calls: Array<{ url: string; auth: string | undefined }> = [];
    const result = await adapter('acuity').fetchDetails!(
      items.map((i) => ('fetch' in i ? i.fetch : null)!),
      { ...s, apiBase: 'http://acuity.test' },
      async (url, init) => {
        calls.push({ url, auth: init.headers.authorization });
        return new Response(fixture('acuity', 'appointment.json'), { status: 200 });
      },
    );
    expect(calls).toEqual([
      {
        url: 'http://acuity.test/api/v1/appointments/1001',
        auth: `Basic ${Buffer.from('11145481:acuity-api-key').toString('base64')}`,
      },
    ]);
    expect(result.events).toEqual([
      expect.objectContaining({
        type: 'rescheduled',
        externalId: '1001',
        startsAt: Date.parse('2026-12-03T15:00:00Z'),
      }),
    ]);
  });
});

describe('Square', () => {
  const s = settings('square', { signatureKey: 'square-signature-key' });
  const body = fixture('square', 'booking.updated.json');
  const url = `${URL_BASE}/webhooks/integrations/square`;

  test('verifies base64 HMAC over notification URL + body; a different URL or body fails', () => {
    const a = adapter('square');
    expect(a.verify(request('square', body, signSquare('square-signature-key', url, body)), s, NOW)).toEqual({
      ok: true,
    });
    expect(
      a.verify(request('square', body, signSquare('square-signature-key', 'https://evil.example/x', body)), s, NOW).ok,
    ).toBe(false);
    expect(a.verify(request('square', `${body} `, signSquare('square-signature-key', url, body)), s, NOW).ok).toBe(
      false,
    );
  });

  test('CANCELLED_BY_CUSTOMER is a cancel, NO_SHOW a no-show, a moved start_at a reschedule', () => {
    const [cancel] = events('square', request('square', body), s);
    expect(cancel).toMatchObject({
      type: 'cancelled',
      vendorEventId: 'b5b2a3d0-5e44-4a43-8d7d-1f4b1c2a9e01',
      externalId: '9uv6i3p5x5ao1p',
    });
    const noShow = body.replace('CANCELLED_BY_CUSTOMER', 'NO_SHOW');
    expect(events('square', request('square', noShow), s)[0]?.type).toBe('no_show');
    const moved = body.replace('CANCELLED_BY_CUSTOMER', 'ACCEPTED');
    expect(events('square', request('square', moved), s)[0]).toMatchObject({
      type: 'rescheduled',
      startsAt: Date.parse('2026-12-04T15:00:00Z'),
    });
  });
});

describe('Google Calendar push', () => {
  const s = settings('google_calendar', { channelId: 'chan-1', channelToken: 'tok-1', accessToken: 'ya29.x' });
  const headers = (state: string, token = 'tok-1') => ({
    'x-goog-channel-id': 'chan-1',
    'x-goog-channel-token': token,
    'x-goog-resource-id': 'res-1',
    'x-goog-resource-state': state,
    'x-goog-message-number': '7',
  });

  test('channel id and token must match', () => {
    const a = adapter('google_calendar');
    expect(a.verify(request('google_calendar', '', headers('exists')), s, NOW)).toEqual({ ok: true });
    expect(a.verify(request('google_calendar', '', headers('exists', 'forged')), s, NOW).ok).toBe(false);
  });

  test('sync is ignored; exists is fetched with the sync token; cancelled / moved events come out', async () => {
    expect(events('google_calendar', request('google_calendar', '', headers('sync')), s)[0]?.type).toBe('ignored');
    const [item] = adapter('google_calendar').parse(request('google_calendar', '', headers('exists')), s);
    expect(item).toEqual({ fetch: { vendorEventId: 'chan-1:7', externalId: 'res-1', hint: 'exists' } });
    const urls: string[] = [];
    const result = await adapter('google_calendar').fetchDetails!(
      [(item as { fetch: never }).fetch],
      { ...s, apiBase: 'http://g.test', state: { syncToken: 'SYNC1' } },
      async (url) => {
        urls.push(url);
        return new Response(fixture('google_calendar', 'events.list.json'));
      },
    );
    expect(urls[0]).toContain('/calendar/v3/calendars/primary/events?');
    expect(urls[0]).toContain('syncToken=SYNC1');
    expect(result.state).toEqual({ syncToken: 'CPDAlvWDx70CEPDAlvWDx70CGAU=' });
    expect(result.events).toEqual([
      expect.objectContaining({
        type: 'rescheduled',
        externalId: '7cbh8rpc10lrc0ckih9tafss99',
        startsAt: Date.parse('2026-12-06T16:00:00Z'),
      }),
      expect.objectContaining({ type: 'cancelled', externalId: '0k2fa9n1oj3bgs1hgi5cvbbj2u' }),
    ]);
  });
});

describe('Microsoft Graph', () => {
  const s = settings('microsoft_graph', { clientState: 'secretClientValue', accessToken: 'eyJ0' });
  const body = fixture('microsoft_graph', 'notification.json');

  test('validationToken is echoed as text/plain', () => {
    const answer = adapter('microsoft_graph').handshake!(
      request('microsoft_graph', '', {}, { query: { validationToken: 'Validation: Testing client application' } }),
      s,
    );
    expect(answer).toEqual({ status: 200, contentType: 'text/plain', body: 'Validation: Testing client application' });
  });

  test('clientState must match on every notification (403 otherwise)', () => {
    const a = adapter('microsoft_graph');
    expect(a.verify(request('microsoft_graph', body), s, NOW)).toEqual({ ok: true });
    expect(a.verify(request('microsoft_graph', body.replace('secretClientValue', 'guess')), s, NOW)).toMatchObject({
      ok: false,
      status: 403,
    });
  });

  test('updated is fetched from /v1.0/{resource}; deleted is a cancel; answered 202', async () => {
    const [item] = adapter('microsoft_graph').parse(request('microsoft_graph', body), s);
    expect(item).toMatchObject({ fetch: { externalId: 'AAMkAGUwNjQ4ZjIxAAA=', hint: 'updated' } });
    const deleted = body.replace('"updated"', '"deleted"');
    expect(events('microsoft_graph', request('microsoft_graph', deleted), s)[0]?.type).toBe('cancelled');
    const result = await adapter('microsoft_graph').fetchDetails!(
      [(item as { fetch: never }).fetch],
      { ...s, apiBase: 'http://graph.test' },
      async (url, init) => {
        expect(url).toBe(
          'http://graph.test/v1.0/Users/7a9d3d2b-1c8f-4a52-b9b6-0e2b7d4c1a11/Events/AAMkAGUwNjQ4ZjIxAAA=',
        );
        expect(init.headers.authorization).toBe('Bearer eyJ0');
        return new Response(fixture('microsoft_graph', 'event.json'));
      },
    );
    expect(result.events[0]).toMatchObject({ type: 'rescheduled', startsAt: Date.parse('2026-12-05T17:00:00Z') });
    expect(adapter('microsoft_graph').acknowledge!([])).toEqual({ status: 202, body: '' });
  });
});

describe('HubSpot', () => {
  const s = settings('hubspot', { clientSecret: 'hubspot-client-secret' });
  const body = fixture('hubspot', 'property-change.json');
  const uri = `${URL_BASE}/webhooks/integrations/hubspot`;

  test('v3 signature over method + URI + body + timestamp; stale (> 5 min) rejected', () => {
    const a = adapter('hubspot');
    expect(
      a.verify(request('hubspot', body, signHubSpot('hubspot-client-secret', 'POST', uri, body, NOW)), s, NOW),
    ).toEqual({ ok: true });
    expect(
      a.verify(
        request('hubspot', body, signHubSpot('hubspot-client-secret', 'POST', uri, body, NOW - 6 * 60_000)),
        s,
        NOW,
      ),
    ).toEqual({
      ok: false,
      reason: 'stale timestamp',
    });
    expect(
      a.verify(
        request(
          'hubspot',
          body.replace('NO_SHOW', 'CANCELED'),
          signHubSpot('hubspot-client-secret', 'POST', uri, body, NOW),
        ),
        s,
        NOW,
      ).ok,
    ).toBe(false);
  });

  test('outcome NO_SHOW is a no-show; a new start time a reschedule', () => {
    expect(events('hubspot', request('hubspot', body), s)).toEqual([
      expect.objectContaining({ type: 'no_show', vendorEventId: '1713281402', externalId: '81234560001' }),
      expect.objectContaining({
        type: 'rescheduled',
        vendorEventId: '1713281403',
        externalId: '81234560002',
        startsAt: 1765213200000,
      }),
    ]);
  });
});

describe('the rest', () => {
  test('Pipedrive: Basic auth; a moved activity is a reschedule', () => {
    const s = settings('pipedrive', { basicUser: 'pd', basicPassword: 'pd-pass' });
    const body = fixture('pipedrive', 'activity.change.json');
    const a = adapter('pipedrive');
    expect(a.verify(request('pipedrive', body, basic('pd', 'pd-pass')), s, NOW)).toEqual({ ok: true });
    expect(a.verify(request('pipedrive', body, basic('pd', 'nope')), s, NOW).ok).toBe(false);
    expect(events('pipedrive', request('pipedrive', body), s)[0]).toMatchObject({
      type: 'rescheduled',
      externalId: '5501',
      startsAt: Date.parse('2026-12-08T14:00:00Z'),
    });
  });

  test('Zendesk: timestamp + body HMAC, stale rejected; cancelled status', () => {
    const s = settings('zendesk', { signingSecret: 'zd-secret' });
    const body = fixture('zendesk', 'trigger.json');
    const a = adapter('zendesk');
    expect(a.verify(request('zendesk', body, signZendesk('zd-secret', body, NOW)), s, NOW)).toEqual({ ok: true });
    expect(a.verify(request('zendesk', body, signZendesk('zd-secret', body, NOW - 10 * 60_000)), s, NOW).ok).toBe(
      false,
    );
    expect(events('zendesk', request('zendesk', body), s)[0]?.type).toBe('cancelled');
  });

  test('Freshdesk: shared-secret header; wrapped body', () => {
    const s = settings('freshdesk', { sharedSecret: 'fd-secret' });
    const body = fixture('freshdesk', 'automation.json');
    const a = adapter('freshdesk');
    expect(a.verify(request('freshdesk', body, { 'x-appointflow-secret': 'fd-secret' }), s, NOW)).toEqual({ ok: true });
    expect(a.verify(request('freshdesk', body, { 'x-appointflow-secret': 'fd-secreT' }), s, NOW).ok).toBe(false);
    expect(events('freshdesk', request('freshdesk', body), s)[0]).toMatchObject({
      type: 'cancelled',
      vendorEventId: 'fd-9931-1',
    });
  });

  test('Zoho CRM: secret parameter; form body', () => {
    const s = settings('zoho_crm', { sharedSecret: 'zoho-secret' });
    const body = fixture('zoho_crm', 'workflow.form');
    const a = adapter('zoho_crm');
    expect(a.verify(request('zoho_crm', body, {}, { query: { secret: 'zoho-secret' } }), s, NOW)).toEqual({ ok: true });
    expect(a.verify(request('zoho_crm', body, {}, { query: { secret: 'x' } }), s, NOW).ok).toBe(false);
    expect(events('zoho_crm', request('zoho_crm', body), s)[0]).toMatchObject({
      type: 'cancelled',
      externalId: '4410000000123',
    });
  });

  test('Salesforce: organization id allow-list; Missed is a no-show; Ack envelope', () => {
    const s = settings('salesforce', { organizationId: '00D5e000000ABCDEAA' });
    const body = fixture('salesforce', 'outbound-message.xml');
    const a = adapter('salesforce');
    expect(a.verify(request('salesforce', body), s, NOW)).toEqual({ ok: true });
    expect(a.verify(request('salesforce', body.replace('00D5e000000ABCDEAA', '00D000000000EVIL')), s, NOW).ok).toBe(
      false,
    );
    expect(events('salesforce', request('salesforce', body), s)[0]).toMatchObject({
      type: 'no_show',
      vendorEventId: '04l5e000003AbCdAAK',
      externalId: '00U5e00000AbCdEEA1',
    });
    expect(a.acknowledge!([]).body).toContain('<Ack>true</Ack>');
  });

  test('QuickBooks: intuit-signature; a voided invoice is a status change', () => {
    const s = settings('quickbooks', { verifierToken: 'qbo-verifier' });
    const body = fixture('quickbooks', 'invoice.void.json');
    const a = adapter('quickbooks');
    expect(a.verify(request('quickbooks', body, signQuickBooks('qbo-verifier', body)), s, NOW)).toEqual({ ok: true });
    expect(a.verify(request('quickbooks', body, signQuickBooks('nope', body)), s, NOW).ok).toBe(false);
    expect(events('quickbooks', request('quickbooks', body), s)[0]).toMatchObject({
      type: 'status_changed',
      status: 'invoice_void',
      externalId: '145',
    });
  });

  test('ActiveCampaign: secret in the URL; deal moved to Missed is a no-show', () => {
    const s = settings('activecampaign', { sharedSecret: 'ac-secret' });
    const body = fixture('activecampaign', 'deal_update.form');
    const a = adapter('activecampaign');
    expect(a.verify(request('activecampaign', body, {}, { query: { secret: 'ac-secret' } }), s, NOW)).toEqual({
      ok: true,
    });
    expect(a.verify(request('activecampaign', body), s, NOW).ok).toBe(false);
    expect(events('activecampaign', request('activecampaign', body), s)[0]).toMatchObject({
      type: 'no_show',
      externalId: '318',
    });
  });

  test('Google Sheets: the script’s HMAC; stale rejected', () => {
    const s = settings('google_sheets', { sharedSecret: 'sheet-secret' });
    const body = fixture('google_sheets', 'row-change.json');
    const a = adapter('google_sheets');
    expect(a.verify(request('google_sheets', body, signSheets('sheet-secret', body, NOW)), s, NOW)).toEqual({
      ok: true,
    });
    expect(
      a.verify(request('google_sheets', body, signSheets('sheet-secret', body, NOW - 10 * 60_000)), s, NOW).ok,
    ).toBe(false);
    expect(a.verify(request('google_sheets', body, signSheets('x', body, NOW)), s, NOW).ok).toBe(false);
    expect(events('google_sheets', request('google_sheets', body), s)[0]?.type).toBe('cancelled');
  });

  test('Jobber: base64 HMAC of the body with the client secret; a deleted visit is a cancel, an update a status change', () => {
    const s = settings('jobber', { clientSecret: 'jobber-client-secret' });
    const body = fixture('jobber', 'visit_destroy.json');
    const a = adapter('jobber');
    expect(a.verify(request('jobber', body, signJobber('jobber-client-secret', body)), s, NOW)).toEqual({ ok: true });
    expect(a.verify(request('jobber', body, signJobber('other', body)), s, NOW).ok).toBe(false);
    expect(
      a.verify(
        request('jobber', body.replace('VISIT_DESTROY', 'VISIT_UPDATE'), signJobber('jobber-client-secret', body)),
        s,
        NOW,
      ).ok,
    ).toBe(false);
    expect(events('jobber', request('jobber', body), s)[0]).toMatchObject({
      type: 'cancelled',
      externalId: 'Z2lkOi8vSm9iYmVyL1Zpc2l0LzY3ODkw',
    });
    expect(events('jobber', request('jobber', body.replace('VISIT_DESTROY', 'VISIT_UPDATE')), s)[0]).toMatchObject({
      type: 'status_changed',
      status: 'update',
    });
  });
});

describe('Jobber visits fetched through the GraphQL API', () => {
  const secrets = { clientSecret: 'jobber-client-secret', accessToken: 'jobber-access-token' };

  test('the fixtures have the documented webHookEvent shape (itemId, occurredAt); pre-Dec-2023 occuredAt is accepted', () => {
    const body = fixture('jobber', 'visit_update.json');
    const parsed = JSON.parse(body) as { data: { webHookEvent: Record<string, string> } };
    expect(Object.keys(parsed.data.webHookEvent).sort()).toEqual(
      ['accountId', 'appId', 'itemId', 'occurredAt', 'topic'].sort(),
    );
    const s = settings('jobber', secrets);
    const old = body.replace('"occurredAt"', '"occuredAt"');
    expect(adapter('jobber').parse(request('jobber', old), s)).toEqual([
      {
        fetch: {
          vendorEventId: 'VISIT_UPDATE:Z2lkOi8vSm9iYmVyL1Zpc2l0LzY3ODkx:2026-11-21T04:15:00-05:00',
          externalId: 'Z2lkOi8vSm9iYmVyL1Zpc2l0LzY3ODkx',
          hint: 'VISIT_UPDATE',
        },
      },
    ]);
    expect(() => adapter('jobber').parse(request('jobber', body.replace('"occurredAt"', '"when"')), s)).toThrow(
      ZodError,
    );
  });

  test('with an access token, a visit update is fetched (POST /api/graphql, bearer, version header, visit query) and its start becomes a reschedule', async () => {
    const s = { ...settings('jobber', secrets, { graphqlVersion: '2025-01-20' }), apiBase: 'http://jobber.test/' };
    const calls: Array<{ url: string; init: { method: string; headers: Record<string, string>; body?: string } }> = [];
    const answer = fixture('jobber', 'visit.graphql.json');
    const result = await adapter('jobber').fetchDetails!(
      [{ vendorEventId: 'VISIT_UPDATE:V1:t', externalId: 'V1', hint: 'VISIT_UPDATE' }],
      s,
      async (url, init) => {
        calls.push({ url, init });
        return new Response(answer, { status: 200, headers: { 'content-type': 'application/json' } });
      },
    );
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe('http://jobber.test/api/graphql');
    expect(calls[0]!.init.method).toBe('POST');
    expect(calls[0]!.init.headers).toMatchObject({
      authorization: 'Bearer jobber-access-token',
      'content-type': 'application/json',
      'x-jobber-graphql-version': '2025-01-20',
    });
    const sent = JSON.parse(calls[0]!.init.body ?? '{}') as { query: string; variables: { id: string } };
    expect(sent.variables).toEqual({ id: 'V1' });
    expect(sent.query).toMatch(/visit\(id: \$id\) \{[^}]*startAt[^}]*endAt/);
    expect(result.events).toEqual([
      expect.objectContaining({
        type: 'rescheduled',
        vendorEventId: 'VISIT_UPDATE:V1:t',
        externalId: 'V1',
        startsAt: Date.parse('2026-12-03T15:00:00Z'),
        endsAt: Date.parse('2026-12-03T16:00:00Z'),
      }),
    ]);
  });

  test('a completed, unscheduled or vanished visit is a status change; a GraphQL error or HTTP failure throws (retried)', async () => {
    const s = settings('jobber', secrets);
    const run = (body: unknown, status = 200, hint = 'VISIT_UPDATE') =>
      adapter('jobber').fetchDetails!(
        [{ vendorEventId: 'e', externalId: 'V1', hint }],
        s,
        async () => new Response(JSON.stringify(body), { status }),
      );
    const visit = {
      id: 'V1',
      startAt: '2026-12-03T15:00:00Z',
      endAt: null,
      visitStatus: 'COMPLETED',
      isComplete: true,
    };
    expect((await run({ data: { visit } })).events[0]).toMatchObject({ type: 'status_changed', status: 'completed' });
    expect(
      (await run({ data: { visit: { ...visit, isComplete: false } } }, 200, 'VISIT_COMPLETE')).events[0],
    ).toMatchObject({ type: 'status_changed', status: 'completed' });
    expect((await run({ data: { visit: { ...visit, startAt: null, isComplete: false } } })).events[0]).toMatchObject({
      type: 'status_changed',
      status: 'unscheduled',
    });
    expect((await run({ data: { visit: null } })).events[0]).toMatchObject({
      type: 'status_changed',
      status: 'not_found',
    });
    await expect(run({ errors: [{ message: 'Throttled' }] })).rejects.toThrow(/Throttled/);
    await expect(run({}, 401)).rejects.toThrow(/401/);
  });

  test('without an access token a visit update stays a staff-task status change; the default version header is sent', async () => {
    const body = fixture('jobber', 'visit_update.json');
    expect(events('jobber', request('jobber', body), settings('jobber', { clientSecret: 'x' }))[0]).toMatchObject({
      type: 'status_changed',
      status: 'update',
    });
    let version = '';
    await adapter('jobber').fetchDetails!(
      [{ vendorEventId: 'e', externalId: 'V1', hint: 'VISIT_UPDATE' }],
      settings('jobber', secrets),
      async (url, init) => {
        expect(url).toBe('https://api.getjobber.com/api/graphql');
        version = init.headers['x-jobber-graphql-version'] ?? '';
        return new Response(fixture('jobber', 'visit.graphql.json'));
      },
    );
    expect(version).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});

describe('ServiceTitan (V2 webhooks)', () => {
  const key = 'st-hmac-key-0123456789abcdef0123456789abcdef';
  const s = settings('servicetitan', { hmacKey: key }, { tenantId: '987654321' });
  const body = fixture('servicetitan', 'appointment_rescheduled.json');
  const a = () => adapter('servicetitan');

  test('an HMAC-SHA256 of the raw body with the HMAC key verifies (base64 or hex); tampered, forged and unsigned do not', () => {
    expect(a().verify(request('servicetitan', body, signServiceTitan(key, body)), s, NOW)).toEqual({ ok: true });
    expect(a().verify(request('servicetitan', body, signServiceTitan(key, body, { encoding: 'hex' })), s, NOW)).toEqual(
      { ok: true },
    );
    const prefixed = {
      'x-servicetitan-signature': `sha256=${signServiceTitan(key, body, { encoding: 'hex' })['x-servicetitan-signature']}`,
    };
    expect(a().verify(request('servicetitan', body, prefixed), s, NOW).ok).toBe(true);
    const tampered = body.replace('2026-12-04T17:00:00Z', '2026-12-04T09:00:00Z');
    expect(a().verify(request('servicetitan', tampered, signServiceTitan(key, body)), s, NOW)).toEqual({
      ok: false,
      reason: 'signature mismatch',
    });
    expect(
      a().verify(request('servicetitan', body, signServiceTitan('forged-key-0123456789abcdef0123456789', body)), s, NOW)
        .ok,
    ).toBe(false);
    expect(a().verify(request('servicetitan', body), s, NOW)).toEqual({
      ok: false,
      reason: 'missing x-servicetitan-signature',
    });
  });

  test('settings: the HMAC key must be 32–64 characters (as ServiceTitan generates or accepts it); options are checked', () => {
    const check = (secrets: Record<string, string>, options: Record<string, unknown> = {}) =>
      a().checkSettings!({ secrets, options }).map((p) => p.field);
    expect(check({ hmacKey: key })).toEqual([]);
    expect(check({ hmacKey: 'k'.repeat(31) })).toEqual(['secrets.hmacKey']);
    expect(check({ hmacKey: 'k'.repeat(65) })).toEqual(['secrets.hmacKey']);
    expect(
      check({ hmacKey: 'k'.repeat(64) }, { signatureEncoding: 'hex', signatureHeader: 'X-ST-Sig', tenantId: '12' }),
    ).toEqual([]);
    expect(check({ hmacKey: key }, { signatureEncoding: 'b64', signatureHeader: 'a b', tenantId: 12 })).toEqual([
      'options.signatureEncoding',
      'options.signatureHeader',
      'options.tenantId',
    ]);
  });

  test('the header name and encoding are configurable (the vendor text does not name them)', () => {
    const custom = settings(
      'servicetitan',
      { hmacKey: key },
      { signatureHeader: 'X-ST-Signature', signatureEncoding: 'hex' },
    );
    const hexSigned = signServiceTitan(key, body, { encoding: 'hex', header: 'x-st-signature' });
    expect(a().verify(request('servicetitan', body, hexSigned), custom, NOW).ok).toBe(true);
    // The default header is not read when another is configured; base64 is refused when hex is configured.
    expect(
      a().verify(request('servicetitan', body, signServiceTitan(key, body, { encoding: 'hex' })), custom, NOW).ok,
    ).toBe(false);
    expect(
      a().verify(request('servicetitan', body, signServiceTitan(key, body, { header: 'x-st-signature' })), custom, NOW)
        .ok,
    ).toBe(false);
  });

  test('rescheduled with a new start, cancelled, dismissed (status) and ids-only events; non-appointment events ignored', () => {
    expect(events('servicetitan', request('servicetitan', body), s)).toEqual([
      {
        type: 'rescheduled',
        vendorEventId: '7f0c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f',
        externalId: '55501',
        startsAt: Date.parse('2026-12-04T17:00:00Z'),
        endsAt: Date.parse('2026-12-04T18:00:00Z'),
      },
    ]);
    expect(
      events('servicetitan', request('servicetitan', fixture('servicetitan', 'appointment_canceled.json')), s)[0],
    ).toMatchObject({
      type: 'cancelled',
      externalId: '55503',
      vendorEventId: '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b',
    });
    const statusBody = fixture('servicetitan', 'appointment_status_changed.json');
    expect(events('servicetitan', request('servicetitan', statusBody), s)[0]).toMatchObject({
      type: 'no_show',
      externalId: '55504',
    });
    expect(
      events('servicetitan', request('servicetitan', statusBody.replace('"Dismissed"', '"Hold"')), s)[0],
    ).toMatchObject({ type: 'status_changed', status: 'Hold' });
    expect(
      events(
        'servicetitan',
        request('servicetitan', body.replace('Appointment.Rescheduled', 'appointment_no_show')),
        s,
      )[0],
    ).toMatchObject({ type: 'no_show' });
    expect(
      a().parse(request('servicetitan', fixture('servicetitan', 'appointment_rescheduled_ids_only.json')), s),
    ).toEqual([
      {
        fetch: {
          vendorEventId: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
          externalId: '55502',
          hint: 'rescheduled',
          resource: '987654321',
        },
      },
    ]);
    expect(
      events('servicetitan', request('servicetitan', body.replace('Appointment.Rescheduled', 'Job.Completed')), s)[0]
        ?.type,
    ).toBe('ignored');
    expect(() => a().parse(request('servicetitan', body.replace('"eventId"', '"event"')), s)).toThrow(ZodError);
  });

  test('ids only: an OAuth2 client-credentials token, then GET /jpm/v2/tenant/{tenant}/appointments/{id} with the bearer and ST-App-Key', async () => {
    const full = {
      ...s,
      secrets: { hmacKey: key, clientId: 'cid.abc', clientSecret: 'cs.def', appKey: 'ak1.ghi' },
      apiBase: 'http://st-api.test',
      options: { tenantId: '111', authBase: 'http://st-auth.test/' },
    };
    const calls: Array<{ url: string; method: string; headers: Record<string, string>; body?: string }> = [];
    const result = await a().fetchDetails!(
      [{ vendorEventId: 'ev-1', externalId: '55502', hint: 'rescheduled', resource: '987654321' }],
      full,
      async (url, init) => {
        calls.push({ url, ...init });
        if (url.endsWith('/connect/token')) return new Response('{"access_token":"st-token","expires_in":900}');
        return new Response(fixture('servicetitan', 'jpm_appointment.json'));
      },
    );
    expect(calls[0]).toMatchObject({
      url: 'http://st-auth.test/connect/token',
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(Object.fromEntries(new URLSearchParams(calls[0]!.body ?? ''))).toEqual({
      grant_type: 'client_credentials',
      client_id: 'cid.abc',
      client_secret: 'cs.def',
    });
    expect(calls[1]).toMatchObject({
      url: 'http://st-api.test/jpm/v2/tenant/987654321/appointments/55502',
      method: 'GET',
      headers: { authorization: 'Bearer st-token', 'st-app-key': 'ak1.ghi' },
    });
    expect(result.events).toEqual([
      {
        type: 'rescheduled',
        vendorEventId: 'ev-1',
        externalId: '55502',
        startsAt: Date.parse('2026-12-06T17:00:00Z'),
        endsAt: Date.parse('2026-12-06T18:00:00Z'),
      },
    ]);
    const canceled = await a().fetchDetails!(
      [{ vendorEventId: 'ev-2', externalId: '55502', hint: 'status' }],
      full,
      async (url) =>
        url.endsWith('/connect/token')
          ? new Response('{"access_token":"t"}')
          : new Response(
              JSON.stringify({ ...JSON.parse(fixture('servicetitan', 'jpm_appointment.json')), status: 'Canceled' }),
            ),
    );
    expect(canceled.events[0]).toMatchObject({ type: 'cancelled', externalId: '55502' });
    await expect(
      a().fetchDetails!(
        [{ vendorEventId: 'x', externalId: '1', hint: 'rescheduled' }],
        full,
        async () => new Response('{}', { status: 401 }),
      ),
    ).rejects.toThrow(/401/);
  });
});
