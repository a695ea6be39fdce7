/**
 * The service's cancellation policy in the customer's words (issue 13): on the service cards, before
 * confirming a booking, on the confirmation, and on the manage page before cancelling ("Cancelling now
 * costs $25.00"). The amounts come from the server (src/domain/cancellation-policy.ts), which charges
 * by the same rule.
 */
import { useT } from '../i18n';
import { dateTimeOf, moneyOf } from '../i18n/format';

type FeeRule = { kind: 'fixed'; amountMinor: number } | { kind: 'percent'; percent: number };

export interface CancellationTerms {
  lateCancelHours: number;
  lateCancelFeeMinor: number;
  noShowFeeMinor: number;
  currency: string;
  policy: { lateCancelFee: FeeRule | null; noShowFee: FeeRule | null };
}

/** The manage page's quote: the terms, when a cancel starts to cost, and what cancelling now costs. */
export interface CancellationQuote extends CancellationTerms {
  lateFrom: string | null;
  feeIfCancelledNow: number;
}

function useFeeText(terms: CancellationTerms) {
  const { t, locale } = useT();
  return (rule: FeeRule | null, minor: number) => {
    const amount = moneyOf(minor, terms.currency, locale);
    return rule?.kind === 'percent' ? t('cancellation.percent', { percent: rule.percent, amount }) : amount;
  };
}

/** "Cancellation policy: free cancellation until 24 hours before the start; …" (nothing when cancelling is free). */
export function CancellationPolicyNote({ terms, id }: { terms: CancellationTerms | null | undefined; id?: string }) {
  if (!terms || (terms.lateCancelFeeMinor <= 0 && terms.noShowFeeMinor <= 0)) return null;
  return <PolicyText terms={terms} id={id} />;
}

function PolicyText({ terms, id }: { terms: CancellationTerms; id?: string | undefined }) {
  const { t } = useT();
  const fee = useFeeText(terms);
  return (
    <p className="policy cancellation-policy" id={id}>
      <strong>{t('cancellation.title')}</strong>{' '}
      {terms.lateCancelFeeMinor > 0 &&
        t('cancellation.late', {
          hours: terms.lateCancelHours,
          fee: fee(terms.policy.lateCancelFee, terms.lateCancelFeeMinor),
        })}{' '}
      {terms.noShowFeeMinor > 0 && t('cancellation.noShow', { fee: fee(terms.policy.noShowFee, terms.noShowFeeMinor) })}
    </p>
  );
}

/** Before the customer confirms a cancel: what it costs now, or until when it is free. */
export function CancelCost({ quote, timeZone }: { quote: CancellationQuote | null; timeZone: string }) {
  const { t, locale } = useT();
  if (!quote || quote.lateCancelFeeMinor <= 0) return null;
  const amount = moneyOf(quote.lateCancelFeeMinor, quote.currency, locale);
  if (quote.feeIfCancelledNow > 0) {
    return (
      <p className="cancel-cost" role="note">
        <strong>{t('cancellation.costsNow', { fee: moneyOf(quote.feeIfCancelledNow, quote.currency, locale) })}</strong>
      </p>
    );
  }
  return quote.lateFrom ? (
    <p className="cancel-cost">
      {t('cancellation.freeUntil', { when: dateTimeOf(quote.lateFrom, timeZone, locale), fee: amount })}
    </p>
  ) : null;
}
