/**
 * Each change the membership workflow records becomes a membership.* event that webhook
 * subscriptions can filter on; other timeline kinds (messages, the workflow's own purchase entry) do not.
 */
import { MEMBERSHIP_EVENT_FOR_KIND, eventTypeForMembershipChange } from '../../../src/memberships/events';
import { MEMBERSHIP_EVENT_TYPES, eventMatches, isValidEventFilter } from '../../../src/outbound/events';

it('maps the workflow changes to their events', () => {
  expect(eventTypeForMembershipChange('membership:visit_booked')).toBe('membership.visit_booked');
  expect(eventTypeForMembershipChange('membership:visit_used')).toBe('membership.visit_used');
  expect(eventTypeForMembershipChange('membership:visit_returned')).toBe('membership.visit_returned');
  expect(eventTypeForMembershipChange('membership:visit_forfeited')).toBe('membership.visit_forfeited');
  expect(eventTypeForMembershipChange('membership:stage')).toBe('membership.stage_changed');
  expect(eventTypeForMembershipChange('membership:reminder')).toBe('membership.expiry_reminder_sent');
  expect(eventTypeForMembershipChange('membership:expired')).toBe('membership.expired');
  // The purchase records its own event in the purchase transaction; messages are not membership changes.
  expect(eventTypeForMembershipChange('membership:purchased')).toBeUndefined();
  expect(eventTypeForMembershipChange('message:sent')).toBeUndefined();
  expect(eventTypeForMembershipChange('toString')).toBeUndefined();
});

it('every membership event is a documented type that subscriptions accept and membership.* matches', () => {
  const emitted = new Set([...Object.values(MEMBERSHIP_EVENT_FOR_KIND), 'membership.purchased']);
  expect([...emitted].sort()).toEqual([...MEMBERSHIP_EVENT_TYPES].sort());
  for (const type of emitted) {
    expect(isValidEventFilter(type)).toBe(true);
    expect(eventMatches(['membership.*'], type)).toBe(true);
    expect(eventMatches(['appointment.*'], type)).toBe(false);
  }
});
