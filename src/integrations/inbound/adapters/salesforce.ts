/**
 * Salesforce outbound messages: a SOAP envelope `notifications` with `OrganizationId`, `ActionId` and
 * up to 100 `Notification { Id, sObject }`, acknowledged with `notificationsResponse` / `Ack` true.
 * Salesforce signs nothing: the organization id must equal the configured one (constant time), plus
 * TLS. The sObject is an Event (or a custom appointment object): `sf:Id` is the external id, a status
 * field (option `statusField`, default `Status__c`) and `sf:StartDateTime` give the change. Dedupe on
 * `Notification.Id`.
 */
import { safeEqual } from '../crypto';
import type { HttpAnswer, InboundAdapter, InboundItem } from '../types';
import { statusToType } from './custom';

const tag = (xml: string, name: string): string | undefined =>
  new RegExp(`<(?:[\\w-]+:)?${name}(?:\\s[^>]*)?>([\\s\\S]*?)</(?:[\\w-]+:)?${name}>`).exec(xml)?.[1]?.trim();

const unescape = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

export function salesforceNotifications(xml: string) {
  const organizationId = tag(xml, 'OrganizationId');
  const blocks = [...xml.matchAll(/<(?:[\w-]+:)?Notification>([\s\S]*?)<\/(?:[\w-]+:)?Notification>/g)].map(
    (m) => m[1] ?? '',
  );
  return {
    organizationId,
    notifications: blocks.map((block) => {
      const sObject = tag(block, 'sObject') ?? '';
      const fields: Record<string, string> = {};
      for (const m of sObject.matchAll(/<(?:sf:)?([A-Za-z_][\w]*)>([^<]*)<\/(?:sf:)?\1>/g)) {
        if (m[1] && m[2] !== undefined) fields[m[1]] = unescape(m[2]);
      }
      return { id: tag(block, 'Id') ?? '', fields };
    }),
  };
}

const ACK = `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>true</Ack></notificationsResponse></soapenv:Body></soapenv:Envelope>`;

export const salesforce: InboundAdapter = {
  platform: 'salesforce',
  requiredSecrets: ['organizationId'],
  verify(req, settings) {
    const org = salesforceNotifications(req.rawBody.toString('utf8')).organizationId;
    if (!org) return { ok: false, reason: 'missing OrganizationId' };
    return safeEqual(org, settings.secrets.organizationId ?? '')
      ? { ok: true }
      : { ok: false, reason: 'organization not allowed', status: 403 };
  },
  parse(req, settings) {
    const parsed = salesforceNotifications(req.rawBody.toString('utf8'));
    if (parsed.notifications.length === 0) throw new Error('no Notification in the outbound message');
    const statusField = String(settings.options.statusField ?? 'Status__c');
    return parsed.notifications.map((n): InboundItem => {
      const externalId = n.fields.Id ?? '';
      const status = n.fields[statusField] ?? '';
      const start = n.fields.StartDateTime ? Date.parse(n.fields.StartDateTime) : undefined;
      const type = status
        ? statusToType(status, settings, start !== undefined)
        : start !== undefined
          ? 'rescheduled'
          : 'ignored';
      return {
        event: {
          type,
          vendorEventId: n.id,
          externalId,
          status,
          ...(start !== undefined ? { startsAt: start } : {}),
          reason: `Salesforce: ${status || 'changed'}`,
          description: `Salesforce record ${externalId}: ${statusField} = "${status}"`,
        },
      };
    });
  },
  acknowledge(): HttpAnswer {
    return { status: 200, contentType: 'text/xml', body: ACK };
  },
};
