/** The customer's messages about this appointment on the card, with the staff answer form. */
import { type SubmitEvent, useCallback, useEffect, useState } from 'react';
import { api, errorText } from '../api';
import { Thread, type ThreadMessage } from '../conversation/Thread';

export function ConversationPanel({ appointmentId, timeZone }: { appointmentId: string; timeZone: string }) {
  const [messages, setMessages] = useState<ThreadMessage[] | null>(null);
  const [body, setBody] = useState('');
  const [error, setError] = useState<string | null>(null);
  const path = `/api/appointments/${appointmentId}/conversation`;
  const load = useCallback(() => {
    api<{ messages: ThreadMessage[] }>('GET', path)
      .then((r) => setMessages(r.messages))
      .catch((e: unknown) => setError(errorText(e)));
  }, [path]);
  useEffect(load, [load]);

  async function answer(event: SubmitEvent) {
    event.preventDefault();
    try {
      await api('POST', path, { body: body.trim() });
      setBody('');
      load();
    } catch (e) {
      setError(errorText(e));
    }
  }

  return (
    <section className="panel" aria-labelledby="conversation-heading">
      <h2 id="conversation-heading">Conversation</h2>
      {messages ? <Thread messages={messages} timeZone={timeZone} mine="from_staff" /> : <p>Loading…</p>}
      <form onSubmit={(e) => void answer(e)}>
        <label htmlFor="conversation-answer">Answer the customer</label>
        <textarea id="conversation-answer" rows={2} required value={body} onChange={(e) => setBody(e.target.value)} />
        <button type="submit">Send answer</button>
      </form>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </section>
  );
}
