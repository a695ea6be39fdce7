/**
 * What the booking page asks for before it books: the deposit (DepositStep, whose card is also the
 * card on file when the service keeps one), else the card for after the visit (CardStep), else
 * nothing. A membership visit is paid for by the membership: no deposit.
 */
import type { Service } from '../customer/ServiceCards';
import { CardStep } from './CardStep';
import { DepositStep } from './DepositStep';

export interface BookingPaymentState {
  setupIntentId: string | null;
  paymentIntentId: string | null;
}

/** Whether the booking may be sent (what the server will also insist on). */
export function paymentReady(service: Service | undefined, membership: boolean, state: BookingPaymentState): boolean {
  if (!service) return false;
  if (service.deposit && !membership) return state.paymentIntentId !== null;
  return service.cardAtBooking !== 'required' || state.setupIntentId !== null;
}

/** The booking request's payment fields. */
export function paymentFields(state: BookingPaymentState): Record<string, string> {
  return {
    ...(state.setupIntentId ? { setupIntentId: state.setupIntentId } : {}),
    ...(state.paymentIntentId ? { paymentIntentId: state.paymentIntentId } : {}),
  };
}

export function BookingPayment(props: {
  service: Service;
  membership: boolean;
  customer: { name: string; email: string };
  state: BookingPaymentState;
  onChange: (state: BookingPaymentState) => void;
}) {
  const { service, state, onChange } = props;
  const keepsCard = (service.cardAtBooking ?? 'none') !== 'none';
  if (service.deposit && !props.membership) {
    const terms = service.cancellationPolicy;
    return (
      <DepositStep
        serviceId={service.id}
        deposit={service.deposit}
        price={service.price}
        keepsCard={keepsCard}
        fees={Boolean(terms && (terms.lateCancelFeeMinor > 0 || terms.noShowFeeMinor > 0))}
        customer={props.customer}
        paidIntentId={state.paymentIntentId}
        onPaid={(paymentIntentId) => onChange({ ...state, paymentIntentId })}
      />
    );
  }
  if (!keepsCard) return null;
  return (
    <CardStep
      required={service.cardAtBooking === 'required'}
      customer={props.customer}
      savedIntentId={state.setupIntentId}
      onSaved={(setupIntentId) => onChange({ ...state, setupIntentId })}
    />
  );
}
