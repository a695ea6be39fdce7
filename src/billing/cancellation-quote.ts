/**
 * What cancelling costs a customer, for the pages (issue 13, item 6): the appointment's frozen
 * cancellation policy as amounts, when the late-cancel window opens, and the fee a cancel by the
 * customer at `now` would cost — the same rule the appointment workflow charges by
 * (src/domain/cancellation-policy.ts). And the service's policy as the booking page shows it.
 */
import type { Kysely } from 'kysely';
import type { Database, Service } from '../db/schema';
import { depositAmount, type DepositPolicy } from '../domain/deposit-policy';
import { cancellationTerms, type CancellationTerms, feeFor, lateFrom } from '../domain/cancellation-policy';

export interface CancellationQuote extends CancellationTerms {
  /** When a cancel starts to cost the late-cancel fee (ISO); null without one. */
  lateFrom: string | null;
  /** What cancelling now costs (minor units; 0: free). */
  feeIfCancelledNow: number;
}

/** The quote for one appointment; null when it was booked without a policy that has a fee. */
export async function cancellationQuote(
  db: Kysely<Database>,
  appointmentId: string,
  now: number,
): Promise<CancellationQuote | null> {
  const row = await db
    .selectFrom('appointments')
    .select(['cancellation_policy', 'price_minor', 'currency', 'starts_at'])
    .where('id', '=', appointmentId)
    .executeTakeFirst();
  if (!row) return null;
  const terms = cancellationTerms(row.cancellation_policy, Number(row.price_minor), row.currency.trim());
  if (!terms) return null;
  const startsAt = row.starts_at.getTime();
  const from = lateFrom(terms, startsAt);
  return {
    ...terms,
    lateFrom: from === null ? null : new Date(from).toISOString(),
    feeIfCancelledNow: feeFor({ terms, kind: 'late_cancel', startsAt, at: now, actorKind: 'customer' }),
  };
}

/** A service's policy as amounts for the booking page (an hourly service's percent is of its duration's estimate). */
export function serviceCancellationTerms(
  service: Pick<
    Service,
    'cancellation_policy' | 'pricing' | 'price_minor' | 'hourly_rate_minor' | 'duration_minutes' | 'currency'
  >,
): CancellationTerms | null {
  const price =
    service.pricing === 'fixed'
      ? Number(service.price_minor)
      : Math.round((Number(service.hourly_rate_minor) * service.duration_minutes) / 60);
  return cancellationTerms(service.cancellation_policy, price, service.currency.trim());
}

/** A service's deposit as the booking page shows it (null: none): the amount now, the rest after the visit. */
export function serviceDeposit(
  service: Pick<
    Service,
    'deposit_policy' | 'pricing' | 'price_minor' | 'hourly_rate_minor' | 'duration_minutes' | 'currency'
  >,
): { amountMinor: number; currency: string; policy: DepositPolicy } | null {
  const price =
    service.pricing === 'fixed'
      ? Number(service.price_minor)
      : Math.round((Number(service.hourly_rate_minor) * service.duration_minutes) / 60);
  const amountMinor = depositAmount(service.deposit_policy, price);
  return amountMinor > 0 && service.deposit_policy
    ? { amountMinor, currency: service.currency.trim(), policy: service.deposit_policy }
    : null;
}
