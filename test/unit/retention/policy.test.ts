import {
  RETENTION_KINDS,
  addCounts,
  describeCounts,
  emptyCounts,
  retentionCutoffs,
} from '../../../src/retention/policy';
import { DAY_MS } from '../../../src/domain/time';

const now = Date.parse('2026-11-21T03:15:00Z');

it('keeps delivery logs for the retention period, expired records and idempotency keys for a day', () => {
  expect(retentionCutoffs(now, 90)).toEqual({
    logsBefore: now - 90 * DAY_MS,
    expiredBefore: now - DAY_MS,
    loginWindowsBefore: now - 30 * DAY_MS,
    keysBefore: now - DAY_MS,
    now,
  });
  expect(retentionCutoffs(now, 7).logsBefore).toBe(Date.parse('2026-11-14T03:15:00Z'));
});

it('refuses a retention shorter than a week, fractional days or a missing instant', () => {
  expect(() => retentionCutoffs(now, 6)).toThrow('≥ 7');
  expect(() => retentionCutoffs(now, 0)).toThrow('≥ 7');
  expect(() => retentionCutoffs(now, 30.5)).toThrow('whole number');
  expect(() => retentionCutoffs(Number.NaN, 30)).toThrow('instant');
});

it('adds counts kind by kind and describes what a run removed', () => {
  const a = { ...emptyCounts(), events: 1200, deliveries: 3 };
  const b = { ...emptyCounts(), events: 4, staffSessions: 1 };
  const sum = addCounts(a, b);
  expect(sum).toMatchObject({ events: 1204, deliveries: 3, staffSessions: 1, conversations: 0 });
  expect(Object.keys(sum).sort()).toEqual([...RETENTION_KINDS].sort());
  expect(describeCounts(sum)).toBe('Removed 3 outbound deliveries, 1,204 dispatched events, 1 expired staff sessions');
  expect(describeCounts(emptyCounts())).toBe('Nothing to remove');
});
