/**
 * QuickBooks Online webhooks: `{ eventNotifications: [{ realmId, dataChangeEvent: { entities: [{ name,
 * id, operation, lastUpdated }] } }] }`. Signature: `intuit-signature` = base64 HMAC-SHA256(verifier
 * token, raw body). An invoice voided or deleted (seed 003: "on canceled service, prompt staff to
 * offer a new appointment time") becomes a status change on the linked appointment, which opens a
 * staff task; other entities and operations are stored and ignored. Dedupe: realm, entity, id,
 * operation and lastUpdated.
 */
import { z } from 'zod';
import { hmac, safeEqual } from '../crypto';
import type { InboundAdapter, InboundItem } from '../types';

export const quickbooksBody = z.object({
  eventNotifications: z.array(
    z.object({
      realmId: z.string(),
      dataChangeEvent: z.object({
        entities: z.array(
          z.object({ name: z.string(), id: z.string(), operation: z.string(), lastUpdated: z.string() }),
        ),
      }),
    }),
  ),
});

export const quickbooks: InboundAdapter = {
  platform: 'quickbooks',
  requiredSecrets: ['verifierToken'],
  verify(req, settings) {
    const signature = req.headers['intuit-signature'];
    if (!signature) return { ok: false, reason: 'missing intuit-signature' };
    const expected = hmac('sha256', settings.secrets.verifierToken ?? '', req.rawBody, 'base64');
    return safeEqual(signature, expected) ? { ok: true } : { ok: false, reason: 'signature mismatch' };
  },
  parse(req) {
    const body = quickbooksBody.parse(JSON.parse(req.rawBody.toString('utf8')));
    return body.eventNotifications.flatMap((n) =>
      n.dataChangeEvent.entities.map((e): InboundItem => {
        const base = {
          vendorEventId: `${n.realmId}:${e.name}:${e.id}:${e.operation}:${e.lastUpdated}`,
          externalId: e.id,
        };
        if (e.name === 'Invoice' && (e.operation === 'Void' || e.operation === 'Delete')) {
          return {
            event: {
              ...base,
              type: 'status_changed',
              status: `invoice_${e.operation.toLowerCase()}`,
              description: `QuickBooks invoice ${e.id} ${e.operation === 'Void' ? 'voided' : 'deleted'}: offer the customer a new appointment time`,
            },
          };
        }
        return { event: { ...base, type: 'ignored' } };
      }),
    );
  },
};
