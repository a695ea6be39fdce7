/** A message as the customer got it: the SMS text, or the email subject with its text to open. */
export function MessageText(props: { channel: string; subject: string | null; body?: string | undefined }) {
  const body = props.body?.trim() ?? '';
  if (props.channel === 'sms') return <span className="message-text">{body}</span>;
  return (
    <details className="message-text">
      <summary>{props.subject ?? '(no subject)'}</summary>
      <div className="message-body">{body}</div>
    </details>
  );
}

export const CHANNEL_WORDS: Record<string, string> = { email: 'Email', sms: 'SMS', slack: 'Slack' };
