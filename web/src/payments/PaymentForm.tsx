/**
 * Confirms a SetupIntent (save a card) or a PaymentIntent (pay now) on-session: with Stripe, the
 * Payment Element mounted on the intent's client secret; without Stripe keys, the simulated gateway's
 * clearly labelled test-card form, same flow. Calls `onConfirmed` once the intent succeeded. No <form>
 * of its own: it sits inside the booking page's form, and forms cannot nest.
 */
import { useEffect, useRef, useState } from 'react';
import { api, errorText } from '../api';
import { loadStripe, type PaymentsConfig, type StripeElements, type StripeJs } from './stripe-js';

export interface Intent {
  id: string;
  clientSecret: string;
}

export function usePaymentsConfig(): PaymentsConfig | null {
  const [config, setConfig] = useState<PaymentsConfig | null>(null);
  useEffect(() => {
    api<PaymentsConfig>('GET', '/api/payments/config').then(setConfig, () => setConfig(null));
  }, []);
  return config;
}

export function PaymentForm(props: {
  kind: 'setup' | 'payment';
  intent: Intent;
  config: PaymentsConfig;
  submitLabel: string;
  onConfirmed: (intentId: string) => void | Promise<void>;
}) {
  const { config } = props;
  return config.gateway === 'stripe' ? (
    <StripeForm {...props} config={config} />
  ) : (
    <SimulatedForm {...props} config={config} />
  );
}

function StripeForm(props: {
  kind: 'setup' | 'payment';
  intent: Intent;
  config: Extract<PaymentsConfig, { gateway: 'stripe' }>;
  submitLabel: string;
  onConfirmed: (intentId: string) => void | Promise<void>;
}) {
  const target = useRef<HTMLDivElement>(null);
  const stripe = useRef<{ js: StripeJs; elements: StripeElements } | null>(null);
  const [ready, setReady] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { stripeJsUrl, publishableKey } = props.config;
  const { clientSecret } = props.intent;

  useEffect(() => {
    let element: { destroy(): void } | undefined;
    let cancelled = false;
    if (!publishableKey) {
      setError('Card payments are not configured yet. Please contact us.');
      return;
    }
    loadStripe(stripeJsUrl, publishableKey).then(
      (js) => {
        if (cancelled || !target.current) return;
        const elements = js.elements({ clientSecret, appearance: { theme: 'stripe' } });
        const payment = elements.create('payment');
        payment.mount(target.current);
        element = payment;
        stripe.current = { js, elements };
        setReady(true);
      },
      (e: unknown) => setError(errorText(e)),
    );
    return () => {
      cancelled = true;
      element?.destroy();
    };
  }, [stripeJsUrl, publishableKey, clientSecret]);

  async function confirm() {
    if (!stripe.current) return;
    setBusy(true);
    setError(null);
    const { js, elements } = stripe.current;
    const options = { elements, redirect: 'if_required' as const, confirmParams: { return_url: window.location.href } };
    const result = props.kind === 'setup' ? await js.confirmSetup(options) : await js.confirmPayment(options);
    const intent =
      'setupIntent' in result ? result.setupIntent : 'paymentIntent' in result ? result.paymentIntent : undefined;
    if (result.error || !intent || (intent.status !== 'succeeded' && intent.status !== 'processing')) {
      setError(result.error?.message ?? 'The card could not be confirmed. Please check it and try again.');
      setBusy(false);
      return;
    }
    try {
      await props.onConfirmed(intent.id);
    } catch (e) {
      setError(errorText(e));
    }
    setBusy(false);
  }

  return (
    <div data-testid="payment-element-form">
      <div ref={target} className="payment-element" />
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <button type="button" className="primary" disabled={!ready || busy} onClick={() => void confirm()}>
        {busy ? 'Please wait…' : props.submitLabel}
      </button>
    </div>
  );
}

function SimulatedForm(props: {
  intent: Intent;
  config: Extract<PaymentsConfig, { gateway: 'simulated' }>;
  submitLabel: string;
  onConfirmed: (intentId: string) => void | Promise<void>;
}) {
  const [card, setCard] = useState(props.config.testCards[0]?.id ?? 'pm_card_visa');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      await api('POST', '/api/payments/simulated/confirm', { intentId: props.intent.id, paymentMethodId: card });
      await props.onConfirmed(props.intent.id);
    } catch (e) {
      setError(errorText(e));
    }
    setBusy(false);
  }
  return (
    <div>
      <p className="test-banner" role="note">
        Test mode: payments are simulated and no real card is taken. Pick one of Stripe's test cards.
      </p>
      <fieldset>
        <legend>Test card</legend>
        {props.config.testCards.map((c) => (
          <div className="check" key={c.id}>
            <input type="radio" id={c.id} name="test-card" checked={card === c.id} onChange={() => setCard(c.id)} />
            <label htmlFor={c.id}>{c.label}</label>
          </div>
        ))}
      </fieldset>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <button type="button" className="primary" disabled={busy} onClick={() => void confirm()}>
        {busy ? 'Please wait…' : props.submitLabel}
      </button>
    </div>
  );
}
