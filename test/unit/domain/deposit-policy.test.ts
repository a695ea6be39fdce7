import { depositAmount, depositOnCancel, depositProblem } from '../../../src/domain/deposit-policy';

describe('deposit policy', () => {
  it('a fixed amount, at most the price; a percent half-up on whole minor units; none without a policy', () => {
    expect(depositAmount({ kind: 'fixed', amountMinor: 2000 }, 11000)).toBe(2000);
    expect(depositAmount({ kind: 'fixed', amountMinor: 20000 }, 11000)).toBe(11000);
    expect(depositAmount({ kind: 'percent', percent: 25 }, 6000)).toBe(1500);
    expect(depositAmount({ kind: 'percent', percent: 33 }, 1005)).toBe(332); // 331.65 → 332
    expect(depositAmount({ kind: 'percent', percent: 50 }, 1001)).toBe(501); // 500.5 → 501
    expect(depositAmount({ kind: 'percent', percent: 100 }, 6000)).toBe(6000);
    expect(depositAmount({ kind: 'none' }, 6000)).toBe(0);
    expect(depositAmount(null, 6000)).toBe(0);
    expect(depositAmount({ kind: 'fixed', amountMinor: 2000 }, 0)).toBe(0); // a free visit (membership)
  });

  it('names what a price cannot carry', () => {
    expect(depositProblem({ kind: 'fixed', amountMinor: 6001 }, 6000)).toBe(
      'must be at most the price (6000 minor units)',
    );
    expect(depositProblem({ kind: 'fixed', amountMinor: 6000 }, 6000)).toBeNull();
    expect(depositProblem({ kind: 'percent', percent: 10 }, 0)).toBe('a free service takes no deposit');
    expect(depositProblem({ kind: 'none' }, 0)).toBeNull();
  });

  it('on a cancel: refunded in full without a fee, kept up to the fee, never more than was paid', () => {
    expect(depositOnCancel(3000, 0)).toEqual({ refundMinor: 3000, keptMinor: 0 });
    expect(depositOnCancel(1000, 2500)).toEqual({ refundMinor: 0, keptMinor: 1000 });
    expect(depositOnCancel(6000, 4000)).toEqual({ refundMinor: 2000, keptMinor: 4000 });
  });
});
