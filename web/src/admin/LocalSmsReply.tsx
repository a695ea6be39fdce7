/**
 * "Try a customer's SMS reply": shown on the Messages screen while SMS goes to the local outbox (no
 * Twilio). Sends a reply from a customer's phone to appointflow, handled as if it came from Twilio,
 * and shows what appointflow did and answered.
 */
import { type SubmitEvent, useState } from 'react';
import { api, ApiError, errorText } from '../api';

interface Handled {
  outcome: string;
  reply: string | null;
  appointmentId: string | null;
}

export function LocalSmsReply({ onSent }: { onSent: () => void }) {
  const [from, setFrom] = useState('');
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [handled, setHandled] = useState<Handled | null>(null);

  function submit(event: SubmitEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setFieldErrors({});
    setHandled(null);
    api<Handled>('POST', '/api/local/sms-replies', { from: from.trim(), text })
      .then((result) => {
        setHandled(result);
        setText('');
        onSent();
      })
      .catch((e: unknown) => {
        setError(errorText(e));
        if (e instanceof ApiError) setFieldErrors(Object.fromEntries(e.fields.map((f) => [f.field, f.message])));
      })
      .finally(() => setBusy(false));
  }

  const problem = (field: string) =>
    fieldErrors[field] ? (
      <p id={`sms-${field}-problem`} className="field-error">
        {fieldErrors[field]}
      </p>
    ) : null;

  return (
    <form onSubmit={submit} aria-label="Try a customer's SMS reply" className="panel" noValidate>
      <h2>Try a customer&apos;s SMS reply</h2>
      <p className="hint">
        SMS goes to the local outbox here (no Twilio number configured). Send a reply as if from a customer&apos;s phone
        — such as R to reschedule, C to cancel, a number to pick an offered time, or STOP — and see what appointflow
        does.
      </p>
      <label htmlFor="sms-from">Customer&apos;s phone</label>
      <input
        id="sms-from"
        type="tel"
        placeholder="+12125550123"
        value={from}
        aria-invalid={fieldErrors.from !== undefined}
        aria-describedby={fieldErrors.from ? 'sms-from-problem' : undefined}
        onChange={(e) => setFrom(e.target.value)}
      />
      {problem('from')}
      <label htmlFor="sms-text">Reply</label>
      <input
        id="sms-text"
        value={text}
        aria-invalid={fieldErrors.text !== undefined}
        aria-describedby={fieldErrors.text ? 'sms-text-problem' : undefined}
        onChange={(e) => setText(e.target.value)}
      />
      {problem('text')}
      <button type="submit" disabled={busy}>
        {busy ? 'Sending…' : 'Send as the customer'}
      </button>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {handled && (
        <div role="status">
          <p>
            appointflow: <strong>{handled.outcome}</strong>
          </p>
          {handled.reply ? (
            <p>
              Answered by SMS: <q>{handled.reply}</q>
            </p>
          ) : (
            <p>No SMS answer (messages that follow, such as a confirmation, appear in the list below).</p>
          )}
        </div>
      )}
    </form>
  );
}
