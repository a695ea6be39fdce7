/**
 * The Messages inbox (issue 16): customer threads with my unread count, the state (needs reply /
 * waiting on customer) and the assignee, filtered by them; opening a thread shows it (and marks it read
 * for me) with its assignment, and staff answer it here (or on the appointment card).
 */
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import type { InboxThread } from '../../../src/conversations/inbox';
import { api, errorText } from '../api';
import { Thread, type ThreadMessage } from '../conversation/Thread';
import { useLoad } from '../useLoad';
import { AnswerForm } from './AnswerForm';

/** Fired when a thread was read, so the nav badge reloads its count. */
export const INBOX_READ_EVENT = 'appointflow:inbox-read';

const STATES = { '': 'Any state', needs_reply: 'Needs reply', waiting_on_customer: 'Waiting on customer' } as const;
const ASSIGNEES = { '': 'Anyone', me: 'Assigned to me', none: 'Unassigned' } as const;

export function InboxPage() {
  const [state, setState] = useState<keyof typeof STATES>('');
  const [assignee, setAssignee] = useState<keyof typeof ASSIGNEES>('');
  const [open, setOpen] = useState<string | null>(null);
  const query = new URLSearchParams({ ...(state ? { state } : {}), ...(assignee ? { assignee } : {}) }).toString();
  const list = useLoad<{ threads: InboxThread[] }>(`/api/admin/inbox${query ? `?${query}` : ''}`, 'Inbox');
  const staff = useLoad<{ staff: Array<{ id: string; name: string }> }>('/api/admin/staff');
  const thread = useLoad<{ contact: { id: string; name: string }; messages: ThreadMessage[] }>(
    open ? `/api/admin/inbox/${open}` : null,
  );
  const [error, setError] = useState<string | null>(null);
  const current = list.data?.threads.find((t) => t.contact.id === open);

  // The thread's GET marked it read: the list and the nav badge follow once it has loaded.
  const { reload } = list;
  useEffect(() => {
    if (!thread.data) return;
    reload();
    window.dispatchEvent(new Event(INBOX_READ_EVENT));
  }, [thread.data, reload]);
  async function assign(contactId: string, staffId: string) {
    try {
      await api('PUT', `/api/admin/inbox/${contactId}/assignee`, { staffId: staffId || null });
      list.reload();
    } catch (e) {
      setError(errorText(e));
    }
  }

  return (
    <>
      <h1>Inbox</h1>
      <div className="filters">
        <label>
          State{' '}
          <select value={state} onChange={(e) => setState(e.target.value as keyof typeof STATES)}>
            {Object.entries(STATES).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>{' '}
        <label>
          Assignee{' '}
          <select value={assignee} onChange={(e) => setAssignee(e.target.value as keyof typeof ASSIGNEES)}>
            {Object.entries(ASSIGNEES).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
      </div>
      {(error ?? list.error) && (
        <p role="alert" className="error">
          {error ?? list.error}
        </p>
      )}
      {list.data?.threads.length === 0 && <p>No conversations here.</p>}
      <ul className="inbox" aria-label="Conversations">
        {list.data?.threads.map((t) => (
          <li key={t.contact.id} className={t.unread > 0 ? 'unread' : ''}>
            <button type="button" onClick={() => setOpen(t.contact.id)}>
              {t.contact.name}
              {t.unread > 0 ? ` (${t.unread} unread)` : ''} — {STATES[t.state]}
              {t.assignee ? ` — ${t.assignee.name}` : ''}
            </button>
            <p className="hint">{t.last.body}</p>
          </li>
        ))}
      </ul>
      {open && thread.data && (
        <section className="panel" aria-label={`Conversation with ${thread.data.contact.name}`}>
          <h2>
            <Link to={`/admin/contacts/${open}`}>{thread.data.contact.name}</Link>
          </h2>
          <label>
            Assigned to{' '}
            <select value={current?.assignee?.id ?? ''} onChange={(e) => void assign(open, e.target.value)}>
              <option value="">Nobody</option>
              {staff.data?.staff.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
          <Thread
            messages={thread.data.messages}
            timeZone={Intl.DateTimeFormat().resolvedOptions().timeZone}
            mine="from_staff"
          />
          <AnswerForm
            path={`/api/admin/inbox/${open}/messages`}
            id="inbox-answer"
            onSent={() => {
              thread.reload();
              list.reload();
            }}
          />
        </section>
      )}
    </>
  );
}
