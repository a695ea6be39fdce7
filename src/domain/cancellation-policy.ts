/**
 * A service's cancellation policy (issue 13, item 6): a late-cancel window (hours before the start)
 * with its fee, and a no-show fee, each a fixed amount in minor units or a percent of the price. Pure
 * and dependency-free: the appointment workflow, the HTTP routes and the customer pages use it.
 *
 * The rule (docs/architecture.md, "Cancellation fees"):
 * - A cancel at or after `start − lateCancelHours` is late. A late cancel costs the late-cancel fee
 *   when the customer cancelled (manage link, portal, SMS / email reply); a cancel by staff, the system
 *   or an integration costs nothing unless staff ask for it (`cancellationFee: 'charge'`, the customer
 *   phoned in), and staff may waive it (`'waive'`).
 * - A no-show costs the no-show fee unless staff waive it.
 * - Percent fees are of the booked price (for an hourly service, the estimate for its duration),
 *   rounded half-up to a whole minor unit. Fees are not taxed: the amount shown is the amount charged.
 * - The policy is frozen on the appointment at booking; one booked before policies existed has none.
 */

/** A fee: a fixed amount in minor units, or a whole percent (1–100) of the booked price. */
export type FeeRule = { kind: 'fixed'; amountMinor: number } | { kind: 'percent'; percent: number };

export interface CancellationPolicy {
  /** Hours before the start from which a cancel is late (0: never late). */
  lateCancelHours: number;
  lateCancelFee: FeeRule | null;
  noShowFee: FeeRule | null;
}

/** The policy as one appointment's amounts: what the workflow decides with and the pages show. */
export interface CancellationTerms {
  lateCancelHours: number;
  /** 0: no late-cancel fee. */
  lateCancelFeeMinor: number;
  /** 0: no no-show fee. */
  noShowFeeMinor: number;
  currency: string;
  /** The rules as set, for the words ("50% of the price"). */
  policy: CancellationPolicy;
}

export type FeeKind = 'late_cancel' | 'no_show';

/** Staff's choice on a cancel or no-show: charge the fee, waive it, or (absent) the default rule. */
export type FeeChoice = 'charge' | 'waive';

export const MAX_LATE_CANCEL_HOURS = 720;

export function feeAmount(rule: FeeRule | null, priceMinor: number): number {
  if (!rule) return 0;
  if (rule.kind === 'fixed') return rule.amountMinor;
  // Half-up on whole minor units: price × percent / 100.
  return Math.floor((priceMinor * rule.percent * 2 + 100) / 200);
}

/** A policy with no fee in it is no policy. */
export function hasFees(policy: CancellationPolicy | null | undefined): policy is CancellationPolicy {
  return !!policy && ((policy.lateCancelHours > 0 && policy.lateCancelFee !== null) || policy.noShowFee !== null);
}

/** The appointment's amounts from its frozen policy and booked price; null when no fee can apply. */
export function cancellationTerms(
  policy: CancellationPolicy | null | undefined,
  priceMinor: number,
  currency: string,
): CancellationTerms | null {
  if (!hasFees(policy)) return null;
  return {
    lateCancelHours: policy.lateCancelHours,
    lateCancelFeeMinor: policy.lateCancelHours > 0 ? feeAmount(policy.lateCancelFee, priceMinor) : 0,
    noShowFeeMinor: feeAmount(policy.noShowFee, priceMinor),
    currency,
    policy,
  };
}

/** The instant from which a cancel is late (epoch ms); null when the policy has no late-cancel fee. */
export function lateFrom(terms: CancellationTerms | null | undefined, startsAt: number): number | null {
  if (!terms || terms.lateCancelFeeMinor <= 0) return null;
  return startsAt - terms.lateCancelHours * 3_600_000;
}

/** Whether the default rule charges: a late cancel by the customer, or any no-show. */
function chargedByDefault(kind: FeeKind, actorKind: string): boolean {
  return kind === 'no_show' || actorKind === 'customer';
}

/**
 * The fee a cancel (at `at`) or a no-show costs, in minor units; 0 when none applies — outside the
 * window, no policy, waived, or a cancel not made by the customer without staff asking for the fee.
 */
export function feeFor(input: {
  terms: CancellationTerms | null | undefined;
  kind: FeeKind;
  startsAt: number;
  at: number;
  actorKind: string;
  choice?: FeeChoice | undefined;
}): number {
  const { terms, kind } = input;
  if (!terms || input.choice === 'waive') return 0;
  if (input.choice !== 'charge' && !chargedByDefault(kind, input.actorKind)) return 0;
  if (kind === 'no_show') return terms.noShowFeeMinor;
  const from = lateFrom(terms, input.startsAt);
  return from !== null && input.at >= from ? terms.lateCancelFeeMinor : 0;
}

/** What one fee says, for messages and pages: "$25.00", or "50% of the price ($40.00)". */
export function describeFee(
  rule: FeeRule | null,
  amountMinor: number,
  money: (minor: number) => string,
): string | null {
  if (!rule || amountMinor <= 0) return null;
  return rule.kind === 'fixed' ? money(amountMinor) : `${rule.percent}% (${money(amountMinor)})`;
}
