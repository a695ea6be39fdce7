/**
 * Inbound integrations: the cost of verifying and parsing a delivery on the request path (constant-time
 * HMAC check on the raw body, zod parse into normalised events) — a single Calendly event, a HubSpot
 * batch of 100 property changes, a Salesforce outbound message with 100 notifications.
 */
import { createHmac } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { adapterFor } from '../src/integrations/inbound/registry';
import type { InboundRequest, PlatformSettings } from '../src/integrations/inbound/types';
import type { BenchResult } from './run';

function request(body: string, headers: Record<string, string>, url = 'https://book.example.com/hook'): InboundRequest {
  return { method: 'POST', rawBody: Buffer.from(body), headers, originalUrl: '/hook', url, query: {} };
}

function measure(label: string, iterations: number, fn: () => number): Record<string, string | number> {
  let events = 0;
  for (let i = 0; i < 50; i += 1) fn();
  const started = performance.now();
  for (let i = 0; i < iterations; i += 1) events = fn();
  const perCall = ((performance.now() - started) / iterations) * 1000;
  return { [`${label}: µs per delivery`]: perCall.toFixed(1), [`${label}: events`]: events };
}

export async function run(): Promise<BenchResult> {
  const now = Date.now();
  const settings = (platform: string, secrets: Record<string, string>): PlatformSettings => ({
    platform,
    secrets,
    apiBase: null,
    options: {},
    state: {},
  });

  const calendlyBody = JSON.stringify({
    event: 'invitee.canceled',
    created_at: new Date(now).toISOString(),
    payload: {
      uri: 'https://api.calendly.com/scheduled_events/A/invitees/B',
      email: 'a@example.com',
      name: 'A',
      rescheduled: false,
      scheduled_event: { uri: 'x', start_time: '2026-12-01T15:00:00Z', end_time: '2026-12-01T15:30:00Z' },
      cancellation: { reason: 'r', canceler_type: 'invitee' },
    },
  });
  const t = Math.floor(now / 1000);
  const calendlyReq = request(calendlyBody, {
    'calendly-webhook-signature': `t=${t},v1=${createHmac('sha256', 'k').update(`${t}.${calendlyBody}`).digest('hex')}`,
  });
  const calendly = adapterFor('calendly')!;
  const calendlySettings = settings('calendly', { signingKey: 'k' });

  const hubspotBody = JSON.stringify(
    Array.from({ length: 100 }, (_, i) => ({
      eventId: 1000 + i,
      subscriptionType: 'object.propertyChange',
      objectId: 500 + i,
      propertyName: 'hs_meeting_outcome',
      propertyValue: i % 2 ? 'NO_SHOW' : 'CANCELED',
      occurredAt: now,
    })),
  );
  const hubspotReq = request(hubspotBody, {
    'x-hubspot-request-timestamp': String(now),
    'x-hubspot-signature-v3': createHmac('sha256', 's')
      .update(`POSThttps://book.example.com/hook${hubspotBody}${now}`)
      .digest('base64'),
  });
  const hubspot = adapterFor('hubspot')!;
  const hubspotSettings = settings('hubspot', { clientSecret: 's' });

  const notifications = Array.from(
    { length: 100 },
    (_, i) =>
      `<Notification><Id>04l${i}</Id><sObject xsi:type="sf:Event" xmlns:sf="urn:sobject.enterprise.soap.sforce.com"><sf:Id>00U${i}</sf:Id><sf:Status__c>Cancelled</sf:Status__c></sObject></Notification>`,
  ).join('');
  const salesforceBody = `<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><notifications xmlns="http://soap.sforce.com/2005/09/outbound"><OrganizationId>00D1</OrganizationId><ActionId>04k1</ActionId>${notifications}</notifications></soapenv:Body></soapenv:Envelope>`;
  const salesforce = adapterFor('salesforce')!;
  const salesforceSettings = settings('salesforce', { organizationId: '00D1' });

  return {
    name: 'inbound integrations (verify + parse)',
    figures: {
      ...measure('Calendly, 1 event', 5000, () => {
        if (!calendly.verify(calendlyReq, calendlySettings, now).ok) throw new Error('calendly not verified');
        return calendly.parse(calendlyReq, calendlySettings).length;
      }),
      ...measure('HubSpot, batch of 100', 500, () => {
        if (!hubspot.verify(hubspotReq, hubspotSettings, now).ok) throw new Error('hubspot not verified');
        return hubspot.parse(hubspotReq, hubspotSettings).length;
      }),
      ...measure('Salesforce, 100 notifications', 500, () => {
        if (!salesforce.verify(request(salesforceBody, {}), salesforceSettings, now).ok)
          throw new Error('salesforce not verified');
        return salesforce.parse(request(salesforceBody, {}), salesforceSettings).length;
      }),
    },
  };
}
