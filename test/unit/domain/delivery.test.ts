import { deliveryOpensAt, deliveryRefusal, type DeliveryCheck } from '../../../src/domain/delivery';
import type { Mark } from '../../../src/domain/marks';
import { HOUR_MS } from '../../../src/domain/time';

// A fixed anchor: Tue 10 Mar 2026, 15:00 in New York (19:00 UTC).
const startsAt = Date.UTC(2026, 2, 10, 19, 0);
const check = (over: Partial<DeliveryCheck>): DeliveryCheck => ({
  now: startsAt,
  startsAt,
  timeZone: 'America/New_York',
  status: 'scheduled',
  policy: {},
  pendingMarks: [],
  ...over,
});
const mark = (kind: Mark['kind'], at: number): Mark => ({ kind, at, stage: null, actions: [] });

describe('delivery follows the appointment', () => {
  it('opens the policy window before the start (1 h by default)', () => {
    expect(deliveryOpensAt(startsAt, {})).toBe(startsAt - HOUR_MS);
    expect(deliveryOpensAt(startsAt, { deliverOpensHoursBefore: 0.5 })).toBe(startsAt - HOUR_MS / 2);
  });

  it('allows completing once the service has started, whenever that is', () => {
    expect(deliveryRefusal(check({ status: 'in_progress', now: startsAt - 5 * HOUR_MS }))).toBeNull();
  });

  it('allows completing within the window and after the start', () => {
    expect(deliveryRefusal(check({ now: startsAt - HOUR_MS }))).toBeNull();
    expect(deliveryRefusal(check({ now: startsAt + 3 * HOUR_MS }))).toBeNull();
    // The close-out still to come does not hold it back.
    expect(deliveryRefusal(check({ pendingMarks: [mark('closeOut', startsAt + 3 * HOUR_MS)] }))).toBeNull();
  });

  it('refuses before the window, naming the rule and the instants in the zone', () => {
    expect(deliveryRefusal(check({ now: startsAt - HOUR_MS - 1 }))).toBe(
      'The service can be marked delivered once it has started, or from 1 h before its start ' +
        '(Tue 10 Mar 2026, 14:00 EDT); it starts Tue 10 Mar 2026, 15:00 EDT.',
    );
  });

  it('refuses while a reminder is still to go, so completing never skips it', () => {
    const policy = { deliverOpensHoursBefore: 24 };
    const today = mark('today', startsAt - 12 * HOUR_MS);
    expect(deliveryRefusal(check({ now: startsAt - 20 * HOUR_MS, policy, pendingMarks: [today] }))).toMatch(
      /from 24 h before its start, after its reminders: the today reminder is still to go at Tue 10 Mar 2026, 03:00 EDT\.$/,
    );
    expect(deliveryRefusal(check({ now: startsAt - 11 * HOUR_MS, policy }))).toBeNull();
  });
});
