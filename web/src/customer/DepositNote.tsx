/**
 * The deposit paid at booking, in the customer's words: on the confirmation ("the rest after your
 * visit") and on the manage page (held, credited, refunded). Amounts and states come from the server
 * (src/billing/deposits.ts).
 */
import { moneyOf } from '../i18n/format';

export interface DepositInfo {
  amountMinor: number;
  currency: string;
  refundedMinor: number;
  status: 'held' | 'credited' | 'refunded' | 'partly_refunded' | 'kept';
}

export function DepositNote({ deposit, priceMinor }: { deposit: DepositInfo | null | undefined; priceMinor?: number }) {
  if (!deposit) return null;
  const money = (minor: number) => moneyOf(minor, deposit.currency, 'en');
  const paid = money(deposit.amountMinor);
  const text = {
    held:
      priceMinor !== undefined
        ? `Deposit paid: ${paid}. The rest (${money(Math.max(0, priceMinor - deposit.amountMinor))}) is charged after your visit.`
        : `Deposit paid: ${paid}, credited on your invoice after the visit.`,
    credited: `Your deposit of ${paid} is credited on your invoice.`,
    kept: `Your deposit of ${paid} is kept against the cancellation fee.`,
    refunded: `Your deposit of ${paid} has been refunded.`,
    partly_refunded: `Of your deposit of ${paid}, ${money(deposit.refundedMinor)} has been refunded.`,
  }[deposit.status];
  return (
    <p className="policy" data-testid="deposit-note">
      <strong>Deposit:</strong> {text}
    </p>
  );
}
