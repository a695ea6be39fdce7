/**
 * The manage page's "update card": a SetupIntent on the contact, confirmed with the Payment Element
 * (or the simulated test-card form), then reported to the server, which reads it back, saves the card
 * and retries what is owed.
 */
import { useEffect, useState } from 'react';
import { api, errorText } from '../api';
import { CARD_PURPOSE } from './CardStep';
import { type Intent, PaymentForm, usePaymentsConfig } from './PaymentForm';

export function CardUpdate({ token }: { token: string }) {
  const config = usePaymentsConfig();
  const [intent, setIntent] = useState<Intent | null>(null);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const path = `/api/manage/${encodeURIComponent(token)}/card`;

  useEffect(() => {
    api<{ setupIntentId: string; clientSecret: string }>('POST', path, {}).then(
      (s) => setIntent({ id: s.setupIntentId, clientSecret: s.clientSecret }),
      (e: unknown) => setError(errorText(e)),
    );
  }, [path]);

  async function saved(setupIntentId: string) {
    await api('POST', path, { setupIntentId });
    setDone(true);
  }

  return (
    <section data-testid="card-update">
      <p>{CARD_PURPOSE.replace('after your visit', 'for what you owe us')}</p>
      {done ? (
        <p className="notice" role="status">
          Card saved. Any payment due is retried now.
        </p>
      ) : intent && config ? (
        <PaymentForm kind="setup" intent={intent} config={config} submitLabel="Save card" onConfirmed={saved} />
      ) : null}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </section>
  );
}
