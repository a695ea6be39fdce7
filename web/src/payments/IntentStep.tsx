/**
 * The part the booking page's card and deposit steps share: start an intent (a SetupIntent to save a
 * card, a PaymentIntent to pay), confirm it with the Payment Element or the simulated test-card form,
 * then say it is done. `create` makes the intent; its request key is the page's own, so a retried
 * request gets the same intent.
 */
import { useState } from 'react';
import { errorText } from '../api';
import { type Intent, PaymentForm, usePaymentsConfig } from './PaymentForm';

export function IntentStep(props: {
  kind: 'setup' | 'payment';
  create: (requestKey: string) => Promise<Intent>;
  canStart: boolean;
  startLabel: string;
  submitLabel: string;
  /** The confirmed intent's id, once there is one: then `doneText` shows instead of the form. */
  confirmedId: string | null;
  doneText: string;
  onConfirmed: (intentId: string) => void;
}) {
  const config = usePaymentsConfig();
  const [intent, setIntent] = useState<Intent | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [requestKey] = useState(() => crypto.randomUUID());

  async function start() {
    setError(null);
    try {
      setIntent(await props.create(requestKey));
    } catch (e) {
      setError(errorText(e));
    }
  }

  return (
    <>
      {props.confirmedId ? (
        <p className="notice" role="status">
          {props.doneText}
        </p>
      ) : intent && config ? (
        <PaymentForm
          kind={props.kind}
          intent={intent}
          config={config}
          submitLabel={props.submitLabel}
          onConfirmed={(id) => props.onConfirmed(id)}
        />
      ) : (
        <button type="button" disabled={!props.canStart} onClick={() => void start()}>
          {props.startLabel}
        </button>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </>
  );
}
