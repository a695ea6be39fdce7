/**
 * The booking page's card step, for services that ask for a card: says what it is for, creates a
 * SetupIntent for the customer's email and confirms it with the Payment Element (or the simulated
 * test-card form). The page books only once `onSaved` gave it the SetupIntent id.
 */
import { api } from '../api';
import { IntentStep } from './IntentStep';

export const CARD_PURPOSE = 'Your card is charged after your visit; nothing is charged now.';

export function CardStep(props: {
  required: boolean;
  customer: { name: string; email: string };
  savedIntentId: string | null;
  onSaved: (setupIntentId: string | null) => void;
}) {
  async function create(requestKey: string) {
    const setup = await api<{ setupIntentId: string; clientSecret: string }>('POST', '/api/payments/setup-intents', {
      name: props.customer.name,
      email: props.customer.email,
      requestKey,
    });
    return { id: setup.setupIntentId, clientSecret: setup.clientSecret };
  }

  return (
    <fieldset data-testid="card-step">
      <legend>{props.required ? 'Card for after your visit' : 'Card for after your visit (optional)'}</legend>
      <p>{CARD_PURPOSE}</p>
      <IntentStep
        kind="setup"
        create={create}
        canStart={Boolean(props.customer.name && props.customer.email)}
        startLabel="Add a card"
        submitLabel="Save card"
        confirmedId={props.savedIntentId}
        doneText="Card saved. You can book now."
        onConfirmed={(id) => props.onSaved(id)}
      />
    </fieldset>
  );
}
