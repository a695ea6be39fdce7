/**
 * A service's deposit policy (issue 13, item 2): what the booking page takes up front with a
 * PaymentIntent — nothing, a fixed amount in minor units (at most the price), or a whole percent
 * (1–100) of the booked price. Pure and dependency-free: the admin route, the booking route, the
 * pages and the appointment workflow read it.
 *
 * The rule (docs/architecture.md, "Deposits"):
 * - The deposit is credited on the visit's invoice: at close-out only the balance is charged (nothing,
 *   and the invoice is paid, when the deposit covers it).
 * - A cancel that costs no fee (in time, by staff, a fee waived) refunds it in full.
 * - A late cancel or no-show with a fee keeps it against the fee: the fee less the deposit is charged,
 *   and a deposit larger than the fee is refunded down to the fee (never both in full).
 */

export type DepositPolicy =
  { kind: 'none' } | { kind: 'fixed'; amountMinor: number } | { kind: 'percent'; percent: number };

/** The deposit for a visit at this price (percent half-up on whole minor units; never above the price). */
export function depositAmount(policy: DepositPolicy | null | undefined, priceMinor: number): number {
  if (!policy || policy.kind === 'none' || priceMinor <= 0) return 0;
  if (policy.kind === 'fixed') return Math.min(policy.amountMinor, priceMinor);
  return Math.min(priceMinor, Math.floor((priceMinor * policy.percent * 2 + 100) / 200));
}

/** Why a policy cannot apply to a service at this price, in words (null: it can). */
export function depositProblem(policy: DepositPolicy | null | undefined, priceMinor: number): string | null {
  if (!policy || policy.kind === 'none') return null;
  if (priceMinor <= 0) return 'a free service takes no deposit';
  if (policy.kind === 'fixed' && policy.amountMinor > priceMinor) {
    return `must be at most the price (${priceMinor} minor units)`;
  }
  return null;
}

/** What happens to a deposit when the visit does not take place: refunded, and kept (against a fee). */
export function depositOnCancel(depositMinor: number, feeMinor: number): { refundMinor: number; keptMinor: number } {
  const keptMinor = Math.max(0, Math.min(depositMinor, feeMinor));
  return { refundMinor: depositMinor - keptMinor, keptMinor };
}
