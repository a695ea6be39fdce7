/**
 * When the deliver task may be completed (issue 18): once the service has started (status
 * `in_progress`), or from `deliverOpensHoursBefore` before its start — and never while a reminder mark
 * of the appointment is still to come, so completing it never skips a reminder. Pure: the workflow's
 * validator asks it, and the refusal names the rule.
 */
import { HOUR_MS } from './durations';
import { DEFAULT_LIFECYCLE_POLICY, type LifecyclePolicy } from './lifecycle-policy-defaults';
import type { Mark } from './marks';
import type { ServiceStatus } from './stages';

export interface DeliveryCheck {
  now: number;
  startsAt: number;
  timeZone: string;
  status: ServiceStatus;
  policy: Partial<LifecyclePolicy>;
  /** Marks still to fire (their reminders must not be skipped). */
  pendingMarks: readonly Mark[];
}

/** The earliest instant the deliver task may be completed when the service has not been started. */
export function deliveryOpensAt(startsAt: number, policy: Partial<LifecyclePolicy>): number {
  const hours = policy.deliverOpensHoursBefore ?? DEFAULT_LIFECYCLE_POLICY.deliverOpensHoursBefore;
  return startsAt - Math.round(hours * HOUR_MS);
}

/**
 * "Thu 3 Dec 2026, 14:00 EST" in the appointment's zone. Intl rather than luxon: workflow code imports
 * this module, and what workflow code imports is loaded into every cached workflow.
 */
function when(at: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('weekday')} ${part('day')} ${part('month')} ${part('year')}, ${part('hour')}:${part('minute')} ${part('timeZoneName')}`;
}

/** Why the deliver task cannot be completed now, in words naming the rule; null when it can. */
export function deliveryRefusal(check: DeliveryCheck): string | null {
  if (check.status === 'in_progress') return null;
  const opensAt = deliveryOpensAt(check.startsAt, check.policy);
  const reminder = check.pendingMarks.find((m) => m.kind !== 'closeOut');
  if (check.now >= opensAt && !reminder) return null;
  const hours = (check.startsAt - opensAt) / HOUR_MS;
  const rule = `The service can be marked delivered once it has started, or from ${hours} h before its start`;
  if (check.now < opensAt)
    return `${rule} (${when(opensAt, check.timeZone)}); it starts ${when(check.startsAt, check.timeZone)}.`;
  return `${rule}, after its reminders: the ${reminder!.kind} reminder is still to go at ${when(reminder!.at, check.timeZone)}.`;
}
