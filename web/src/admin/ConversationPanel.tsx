/** The customer's messages about this appointment on the card, with the staff answer form. */
import { useCallback, useEffect, useState } from 'react';
import { api, errorText } from '../api';
import { Thread, type ThreadMessage } from '../conversation/Thread';
import { AnswerForm } from './AnswerForm';

export function ConversationPanel({ appointmentId, timeZone }: { appointmentId: string; timeZone: string }) {
  const [messages, setMessages] = useState<ThreadMessage[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const path = `/api/appointments/${appointmentId}/conversation`;
  const load = useCallback(() => {
    api<{ messages: ThreadMessage[] }>('GET', path)
      .then((r) => setMessages(r.messages))
      .catch((e: unknown) => setError(errorText(e)));
  }, [path]);
  useEffect(load, [load]);

  return (
    <section className="panel" aria-labelledby="conversation-heading">
      <h2 id="conversation-heading">Conversation</h2>
      {messages ? <Thread messages={messages} timeZone={timeZone} mine="from_staff" /> : <p>Loading…</p>}
      <AnswerForm path={path} id="conversation-answer" onSent={load} />
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </section>
  );
}
