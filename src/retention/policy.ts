/**
 * What appointflow keeps and for how long. Pure: the cutoffs for one pruning run.
 *
 * Business records (appointments, contacts, invoices, payments, messages, timelines, memberships,
 * feedback) are kept. Delivery logs are kept for the retention period: the outbound events outbox
 * once dispatched and its deliveries once finished (with their attempts), inbound integration
 * deliveries and provider webhook events (Stripe, Twilio, SendGrid — their dedupe records; providers
 * stop retrying within days). Records that only matter until they expire go soon after: SMS/email
 * reply conversations and staff sessions a day after they expire, login-attempt counters once
 * their window is a month old and no lock is running, rate-limit counters once their window has ended,
 * remembered customer devices a day after they expire, HTTP idempotency keys (with the answers they
 * replay) 24 hours after they were first used.
 */
import { DAY_MS } from '../domain/durations';

export const RETENTION_KINDS = [
  'deliveryAttempts',
  'deliveries',
  'events',
  'integrationDeliveries',
  'inboundEvents',
  'conversations',
  'staffSessions',
  'loginAttempts',
  'rateLimits',
  'customerDevices',
  'idempotencyKeys',
] as const;
export type RetentionKind = (typeof RETENTION_KINDS)[number];
export type PruneCounts = Record<RetentionKind, number>;

export interface RetentionCutoffs {
  /** Delivery logs finished (or received) before this instant go. */
  logsBefore: number;
  /** Conversations and sessions that expired before this instant go. */
  expiredBefore: number;
  /** Login-attempt windows started before this instant go (unless locked now). */
  loginWindowsBefore: number;
  /** Idempotency keys first used before this instant go (a retry after a day is a new request). */
  keysBefore: number;
  /** Now, for "no lock is running". */
  now: number;
}

/** How long an `Idempotency-Key` is kept, with the answer it replays. */
export const IDEMPOTENCY_KEY_TTL_MS = DAY_MS;

export const MIN_RETENTION_DAYS = 7;

export function retentionCutoffs(now: number, days: number): RetentionCutoffs {
  if (!Number.isFinite(now)) throw new Error(`now must be an instant, got ${now}`);
  if (!Number.isInteger(days) || days < MIN_RETENTION_DAYS) {
    throw new Error(`retention must be a whole number of days ≥ ${MIN_RETENTION_DAYS}, got ${days}`);
  }
  return {
    logsBefore: now - days * DAY_MS,
    expiredBefore: now - DAY_MS,
    loginWindowsBefore: now - 30 * DAY_MS,
    keysBefore: now - IDEMPOTENCY_KEY_TTL_MS,
    now,
  };
}

export function emptyCounts(): PruneCounts {
  return Object.fromEntries(RETENTION_KINDS.map((k) => [k, 0])) as PruneCounts;
}

export function addCounts(a: PruneCounts, b: PruneCounts): PruneCounts {
  return Object.fromEntries(RETENTION_KINDS.map((k) => [k, a[k] + b[k]])) as PruneCounts;
}

/** "1,204 events, 3 deliveries" — what a run removed, for the Web UI and the logs. */
export function describeCounts(counts: PruneCounts): string {
  const parts = RETENTION_KINDS.filter((k) => counts[k] > 0).map(
    (k) => `${counts[k].toLocaleString('en-US')} ${LABELS[k]}`,
  );
  return parts.length ? `Removed ${parts.join(', ')}` : 'Nothing to remove';
}

const LABELS: Record<RetentionKind, string> = {
  deliveryAttempts: 'delivery attempts',
  deliveries: 'outbound deliveries',
  events: 'dispatched events',
  integrationDeliveries: 'inbound integration deliveries',
  inboundEvents: 'provider webhook events',
  conversations: 'expired reply conversations',
  staffSessions: 'expired staff sessions',
  loginAttempts: 'old login-attempt counters',
  rateLimits: 'ended rate-limit windows',
  customerDevices: 'expired remembered devices',
  idempotencyKeys: 'expired idempotency keys',
};
