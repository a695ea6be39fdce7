/**
 * The booking page's deposit step, for services that take one (src/domain/deposit-policy.ts): says
 * plainly "Deposit $X now, the rest after your visit" and what cancelling does to it, creates the
 * deposit's PaymentIntent and confirms it with the Payment Element (or the simulated test-card form).
 * The page books only once `onPaid` gave it the PaymentIntent id; the server checks it again.
 */
import { api } from '../api';
import { moneyOf } from '../i18n/format';
import { IntentStep } from './IntentStep';

export interface ServiceDeposit {
  amountMinor: number;
  currency: string;
}

export function DepositStep(props: {
  serviceId: string;
  deposit: ServiceDeposit;
  price: { amountMinor: number; currency: string; per: string };
  /** The service also keeps a card for after the visit: the deposit's card is saved for it. */
  keepsCard: boolean;
  /** The service's cancellation policy has a late-cancel or no-show fee. */
  fees: boolean;
  customer: { name: string; email: string };
  paidIntentId: string | null;
  onPaid: (paymentIntentId: string) => void;
}) {
  const money = (minor: number) => moneyOf(minor, props.deposit.currency, 'en');
  const deposit = money(props.deposit.amountMinor);
  const rest =
    props.price.per === 'visit'
      ? `the rest (${money(props.price.amountMinor - props.deposit.amountMinor)}) after your visit`
      : 'the rest after your visit';

  async function create(requestKey: string) {
    const created = await api<{ paymentIntentId: string; clientSecret: string }>(
      'POST',
      '/api/payments/deposit-intents',
      { serviceId: props.serviceId, name: props.customer.name, email: props.customer.email, requestKey },
    );
    return { id: created.paymentIntentId, clientSecret: created.clientSecret };
  }

  return (
    <fieldset data-testid="deposit-step">
      <legend>Deposit</legend>
      <p>
        <strong>
          Deposit {deposit} now, {rest}.
        </strong>{' '}
        {props.keepsCard && 'The same card is kept for the rest. '}
        {props.fees
          ? 'Cancel in time and the deposit is refunded in full; a late cancel or a missed appointment keeps it against the fee.'
          : 'If you cancel, the deposit is refunded in full.'}
      </p>
      <IntentStep
        kind="payment"
        create={create}
        canStart={Boolean(props.customer.name && props.customer.email)}
        startLabel="Pay the deposit"
        submitLabel={`Pay ${deposit} deposit`}
        confirmedId={props.paidIntentId}
        doneText="Deposit paid. You can book now."
        onConfirmed={(id) => props.onPaid(id)}
      />
    </fieldset>
  );
}
