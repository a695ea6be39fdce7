/** A conversation's messages (shared by the portal and the appointment card); attachments as signed links. */
import { formatDateTime } from '../format';

export interface ThreadMessage {
  id: string;
  direction: 'from_customer' | 'from_staff';
  author: string;
  body: string;
  at: string;
  read: boolean;
  attachments: Array<{ id: string; filename: string; contentType: string; url: string }>;
}

export function Thread(props: { messages: ThreadMessage[]; timeZone: string; mine: ThreadMessage['direction'] }) {
  if (props.messages.length === 0) return <p>No messages yet.</p>;
  return (
    <ol className="thread" aria-label="Messages">
      {props.messages.map((m) => (
        <li key={m.id} className={m.direction === props.mine ? 'mine' : 'theirs'}>
          <p className="hint">
            {m.author} · {formatDateTime(m.at, props.timeZone)}
          </p>
          <p>{m.body}</p>
          {m.attachments.map((a) => (
            <p key={a.id}>
              {a.contentType.startsWith('image/') ? (
                <a href={a.url}>
                  <img src={a.url} alt={a.filename} className="thread-image" />
                </a>
              ) : (
                <a href={a.url}>{a.filename}</a>
              )}
            </p>
          ))}
        </li>
      ))}
    </ol>
  );
}
