/**
 * The booking page's card step, for services that ask for a card: says what it is for, creates a
 * SetupIntent for the customer's email and confirms it with the Payment Element (or the simulated
 * test-card form). The page books only once `onSaved` gave it the SetupIntent id.
 */
import { useState } from 'react';
import { api, errorText } from '../api';
import { type Intent, PaymentForm, usePaymentsConfig } from './PaymentForm';

export const CARD_PURPOSE = 'Your card is charged after your visit; nothing is charged now.';

export function CardStep(props: {
  required: boolean;
  customer: { name: string; email: string };
  savedIntentId: string | null;
  onSaved: (setupIntentId: string | null) => void;
}) {
  const config = usePaymentsConfig();
  const [intent, setIntent] = useState<Intent | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [requestKey] = useState(() => crypto.randomUUID());

  async function start() {
    setError(null);
    try {
      const setup = await api<{ setupIntentId: string; clientSecret: string }>('POST', '/api/payments/setup-intents', {
        name: props.customer.name,
        email: props.customer.email,
        requestKey,
      });
      setIntent({ id: setup.setupIntentId, clientSecret: setup.clientSecret });
    } catch (e) {
      setError(errorText(e));
    }
  }

  return (
    <fieldset data-testid="card-step">
      <legend>{props.required ? 'Card for after your visit' : 'Card for after your visit (optional)'}</legend>
      <p>{CARD_PURPOSE}</p>
      {props.savedIntentId ? (
        <p className="notice" role="status">
          Card saved. You can book now.
        </p>
      ) : intent && config ? (
        <PaymentForm
          kind="setup"
          intent={intent}
          config={config}
          submitLabel="Save card"
          onConfirmed={(id) => props.onSaved(id)}
        />
      ) : (
        <button type="button" disabled={!props.customer.name || !props.customer.email} onClick={() => void start()}>
          Add a card
        </button>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </fieldset>
  );
}
