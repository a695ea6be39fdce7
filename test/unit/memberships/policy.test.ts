import { HOUR_MS, DAY_MS } from '../../../src/domain/time';
import {
  DEFAULT_VISIT_POLICY,
  countVisits,
  expiryReminderAt,
  membershipStage,
  nextVisit,
  visitOutcome,
  visitPolicyOf,
} from '../../../src/memberships/policy';

const startsAt = Date.UTC(2026, 2, 10, 14);

describe('visit outcomes', () => {
  it('a booked visit is booked; a visit that took place is used', () => {
    expect(visitOutcome({ status: 'scheduled', startsAt, cancelledAt: null }, DEFAULT_VISIT_POLICY)).toBe('booked');
    expect(visitOutcome({ status: 'in_progress', startsAt, cancelledAt: null }, DEFAULT_VISIT_POLICY)).toBe('booked');
    expect(visitOutcome({ status: 'done', startsAt, cancelledAt: null }, DEFAULT_VISIT_POLICY)).toBe('used');
  });

  it('an in-policy cancel returns the visit; a late cancel forfeits it unless the plan says otherwise', () => {
    const early = { status: 'cancelled' as const, startsAt, cancelledAt: startsAt - 25 * HOUR_MS };
    const late = { status: 'cancelled' as const, startsAt, cancelledAt: startsAt - 23 * HOUR_MS };
    expect(visitOutcome(early, DEFAULT_VISIT_POLICY)).toBe('returned');
    expect(visitOutcome(late, DEFAULT_VISIT_POLICY)).toBe('forfeited');
    expect(visitOutcome(late, { ...DEFAULT_VISIT_POLICY, lateCancelForfeits: false })).toBe('returned');
    expect(visitOutcome(late, { ...DEFAULT_VISIT_POLICY, lateCancelHours: 12 })).toBe('returned');
  });

  it('a no-show forfeits the visit unless the plan says otherwise', () => {
    const noShow = { status: 'no_show' as const, startsAt, cancelledAt: null };
    expect(visitOutcome(noShow, DEFAULT_VISIT_POLICY)).toBe('forfeited');
    expect(visitOutcome(noShow, { ...DEFAULT_VISIT_POLICY, noShowForfeits: false })).toBe('returned');
  });
});

describe('counting visits', () => {
  it('left = total − used − forfeited; bookable also takes the booked ones off', () => {
    const counts = countVisits(5, ['used', 'forfeited', 'returned', 'booked']);
    expect(counts).toEqual({ used: 1, forfeited: 1, returned: 1, booked: 1, left: 3, bookable: 2 });
    expect(countVisits(2, ['used', 'used']).left).toBe(0);
  });

  it('an unlimited plan has no count left', () => {
    expect(countVisits(null, ['used', 'used']).left).toBeNull();
    expect(countVisits(null, []).bookable).toBeNull();
  });
});

describe('stage', () => {
  it('mirrors the next visit, Unscheduled without one, Expired at the end', () => {
    const a = { status: 'scheduled' as const, startsAt: startsAt + DAY_MS, stage: 'Appointment Scheduled' as const };
    const b = { status: 'scheduled' as const, startsAt, stage: 'Appointment Tomorrow' as const };
    const gone = { status: 'cancelled' as const, startsAt: startsAt - DAY_MS, stage: 'Closed Lost' as const };
    expect(nextVisit([a, b, gone])).toBe(b);
    expect(membershipStage(false, nextVisit([a, b]))).toBe('Appointment Tomorrow');
    expect(membershipStage(false, { stage: 'Appointment Today' })).toBe('Appointment Today');
    expect(membershipStage(false, nextVisit([gone]))).toBe('Appointment Unscheduled');
    expect(membershipStage(true, b)).toBe('Membership Expired');
  });
});

describe('policy', () => {
  it('reads plan columns with defaults; the reminder is due the configured days before the end', () => {
    expect(visitPolicyOf({})).toEqual(DEFAULT_VISIT_POLICY);
    expect(visitPolicyOf({ no_show_forfeits: false, expiry_reminder_days: 3 })).toMatchObject({
      noShowForfeits: false,
      expiryReminderDays: 3,
    });
    expect(expiryReminderAt(startsAt, DEFAULT_VISIT_POLICY)).toBe(startsAt - 7 * DAY_MS);
    expect(expiryReminderAt(startsAt, { ...DEFAULT_VISIT_POLICY, expiryReminderDays: 0 })).toBeNull();
  });
});
