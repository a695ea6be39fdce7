/** The staff answer box under a customer thread (appointment card and inbox): posts, then `onSent`. */
import { type SubmitEvent, useState } from 'react';
import { api, errorText } from '../api';

export function AnswerForm({ path, id, onSent }: { path: string; id: string; onSent: () => void }) {
  const [body, setBody] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);

  async function answer(event: SubmitEvent) {
    event.preventDefault();
    setSending(true);
    setError(null);
    try {
      await api('POST', path, { body: body.trim() });
      setBody('');
      onSent();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setSending(false);
    }
  }

  return (
    <form onSubmit={(e) => void answer(e)}>
      <label htmlFor={id}>Answer the customer</label>
      <textarea id={id} rows={2} required value={body} onChange={(e) => setBody(e.target.value)} />
      <button type="submit" disabled={sending}>
        {sending ? 'Sending…' : 'Send answer'}
      </button>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </form>
  );
}
