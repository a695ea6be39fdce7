import {
  cancellationTerms,
  type CancellationPolicy,
  describeFee,
  feeFor,
  lateFrom,
} from '../../../src/domain/cancellation-policy';

const HOUR = 3_600_000;
const startsAt = Date.UTC(2030, 0, 15, 15);
const policy: CancellationPolicy = {
  lateCancelHours: 24,
  lateCancelFee: { kind: 'percent', percent: 25 },
  noShowFee: { kind: 'fixed', amountMinor: 4000 },
};

describe('cancellation policy', () => {
  it('turns the rules into the appointment amounts (percent half-up of the booked price)', () => {
    expect(cancellationTerms(policy, 9999, 'USD')).toMatchObject({ lateCancelFeeMinor: 2500, noShowFeeMinor: 4000 });
    expect(cancellationTerms(policy, 9998, 'USD')!.lateCancelFeeMinor).toBe(2500); // 2499.5 → 2500
    expect(cancellationTerms(policy, 9994, 'USD')!.lateCancelFeeMinor).toBe(2499); // 2498.5 → 2499
    expect(cancellationTerms({ lateCancelHours: 0, lateCancelFee: null, noShowFee: null }, 9999, 'USD')).toBeNull();
    expect(cancellationTerms(null, 9999, 'USD')).toBeNull();
    // A late-cancel fee without a window never applies.
    expect(cancellationTerms({ ...policy, lateCancelHours: 0 }, 9999, 'USD')).toMatchObject({
      lateCancelFeeMinor: 0,
      noShowFeeMinor: 4000,
    });
  });

  it('charges a customer cancel from the start of the window, not before; staff only when they ask', () => {
    const terms = cancellationTerms(policy, 10000, 'USD');
    expect(lateFrom(terms, startsAt)).toBe(startsAt - 24 * HOUR);
    const cancel = (at: number, actorKind: string, choice?: 'charge' | 'waive') =>
      feeFor({ terms, kind: 'late_cancel', startsAt, at, actorKind, choice });
    expect(cancel(startsAt - 24 * HOUR - 1, 'customer')).toBe(0);
    expect(cancel(startsAt - 24 * HOUR, 'customer')).toBe(2500);
    expect(cancel(startsAt + HOUR, 'customer')).toBe(2500);
    expect(cancel(startsAt - HOUR, 'staff')).toBe(0);
    expect(cancel(startsAt - HOUR, 'integration')).toBe(0);
    expect(cancel(startsAt - HOUR, 'staff', 'charge')).toBe(2500);
    expect(cancel(startsAt - 48 * HOUR, 'staff', 'charge')).toBe(0); // outside the window even when asked
    expect(cancel(startsAt - HOUR, 'customer', 'waive')).toBe(0);
  });

  it('charges a no-show unless waived', () => {
    const terms = cancellationTerms(policy, 10000, 'USD');
    const noShow = (choice?: 'charge' | 'waive') =>
      feeFor({ terms, kind: 'no_show', startsAt, at: startsAt + HOUR, actorKind: 'staff', choice });
    expect(noShow()).toBe(4000);
    expect(noShow('waive')).toBe(0);
  });

  it('describes a fee in words', () => {
    const money = (minor: number) => `$${(minor / 100).toFixed(2)}`;
    expect(describeFee(policy.lateCancelFee, 2500, money)).toBe('25% ($25.00)');
    expect(describeFee(policy.noShowFee, 4000, money)).toBe('$40.00');
    expect(describeFee(null, 0, money)).toBeNull();
  });
});
