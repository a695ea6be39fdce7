/**
 * Event mapping and fan-out rules: which timeline entries are which events, subscription filters,
 * which targets an event goes to (a platform not configured, disabled, not interested or not linked
 * gets nothing), and the vendor-facing ids and status values.
 */
import { EVENT_TYPES, eventMatches, eventTypeForTimeline, isValidEventFilter } from '../../../src/outbound/events';
import { deliveryTargets, googleEventId, hubspotStatus, zohoStatus } from '../../../src/outbound/platforms';

it('maps each lifecycle timeline kind to its event, and nothing else', () => {
  expect(
    Object.fromEntries(
      [
        'booked',
        'rescheduled',
        'status:cancelled',
        'status:no_show',
        'status:done',
        'stage',
        'payment:succeeded',
        'payment:declined',
        'payment:requires_action',
      ].map((k) => [k, eventTypeForTimeline(k)]),
    ),
  ).toEqual({
    booked: 'appointment.booked',
    rescheduled: 'appointment.rescheduled',
    'status:cancelled': 'appointment.cancelled',
    'status:no_show': 'appointment.no_show',
    'status:done': 'appointment.completed',
    stage: 'appointment.stage_changed',
    'payment:succeeded': 'payment.succeeded',
    'payment:declined': 'payment.failed',
    'payment:requires_action': 'payment.failed',
  });
  // Completing the deliver task (billable minutes) completes the service; completing a charge task does not.
  expect(eventTypeForTimeline('task:completed', { taskId: 't', minutes: 30, totalMinor: 6480 })).toBe(
    'appointment.completed',
  );
  expect(eventTypeForTimeline('task:completed', { taskId: 't', invoiceId: 'i', amountMinor: 6480 })).toBeUndefined();
  for (const kind of [
    'status:in_progress',
    'message:sent',
    'task:created',
    'task:completed',
    'sms_opt_in',
    'card:updated',
    'delivery:failed',
  ]) {
    expect(eventTypeForTimeline(kind)).toBeUndefined();
  }
});

it('validates and matches subscription filters', () => {
  for (const ok of ['*', 'appointment.*', 'payment.*', 'membership.*', 'membership.renewed', ...EVENT_TYPES]) {
    expect(isValidEventFilter(ok)).toBe(true);
  }
  for (const bad of ['appointment', 'appointment.moved', 'invoice.*', '', 'payment.refunded']) {
    expect(isValidEventFilter(bad)).toBe(false);
  }
  expect(eventMatches(['*'], 'payment.failed')).toBe(true);
  expect(eventMatches(['appointment.*'], 'appointment.no_show')).toBe(true);
  expect(eventMatches(['appointment.*'], 'payment.failed')).toBe(false);
  expect(eventMatches(['appointment.cancelled', 'payment.failed'], 'payment.failed')).toBe(true);
  expect(eventMatches(['appointment.cancelled'], 'appointment.booked')).toBe(false);
  expect(eventMatches(['membership.*'], 'membership.renewed')).toBe(true);
});

it('fans an event out to matching subscriptions and to the configured platforms that act on it', () => {
  const base = {
    subjectType: 'appointment',
    subscriptions: [
      { id: 's-all', eventTypes: ['*'] },
      { id: 's-cancel', eventTypes: ['appointment.cancelled'] },
      { id: 's-pay', eventTypes: ['payment.*'] },
    ],
    platforms: [
      { platform: 'google_calendar' as const, enabled: true },
      { platform: 'microsoft_graph' as const, enabled: false },
      { platform: 'mailchimp' as const, enabled: true },
      { platform: 'servicetitan' as const, enabled: true },
      { platform: 'hubspot' as const, enabled: true },
    ],
    linkedPlatforms: new Set<string>(),
    matches: eventMatches,
  };
  expect(deliveryTargets({ ...base, eventType: 'appointment.booked' })).toEqual([
    'webhook:s-all',
    'google_calendar',
    'hubspot',
  ]);
  expect(deliveryTargets({ ...base, eventType: 'appointment.cancelled' })).toEqual([
    'webhook:s-all',
    'webhook:s-cancel',
    'google_calendar',
    'mailchimp',
    'hubspot',
  ]);
  // ServiceTitan only updates a record it holds for the appointment.
  expect(
    deliveryTargets({ ...base, eventType: 'appointment.rescheduled', linkedPlatforms: new Set(['servicetitan']) }),
  ).toEqual(['webhook:s-all', 'google_calendar', 'servicetitan', 'hubspot']);
  expect(deliveryTargets({ ...base, eventType: 'payment.failed' })).toEqual(['webhook:s-all', 'webhook:s-pay']);
  expect(deliveryTargets({ ...base, eventType: 'appointment.booked', platforms: [], subscriptions: [] })).toEqual([]);
  // Membership events reach subscribers only.
  expect(deliveryTargets({ ...base, subjectType: 'membership', eventType: 'membership.renewed' })).toEqual([
    'webhook:s-all',
  ]);
});

it('derives vendor ids and status values', () => {
  const id = googleEventId('0b9c8d7e-6f5a-4b3c-9d2e-1f0a9b8c7d6e');
  expect(id).toBe('af0b9c8d7e6f5a4b3c9d2e1f0a9b8c7d6e');
  expect(id).toMatch(/^[a-v0-9]{5,1024}$/); // Google's base32hex rule for client-chosen ids
  expect(['scheduled', 'cancelled', 'done', 'no_show'].map(zohoStatus)).toEqual([
    'Scheduled',
    'Cancelled',
    'Completed',
    'Overdue',
  ]);
  expect(['scheduled', 'in_progress', 'cancelled', 'done', 'no_show'].map(hubspotStatus)).toEqual([
    'SCHEDULED',
    'SCHEDULED',
    'CANCELLED',
    'COMPLETED',
    'NO_SHOW',
  ]);
});
