/**
 * Messages (issue 15): every message sent, as its text (not the template key), and every reply
 * received, each with its customer, newest first — a customer's filter shows their thread, both ways;
 * filters by channel and status. Without Twilio, "Try a customer's SMS reply" sends one as a customer
 * would. API: GET /api/admin/messages?channel=&status=&customer= (src/messaging/message-log.ts).
 */
import { type SubmitEvent, useState } from 'react';
import { Link } from 'react-router-dom';
import { useLoad } from '../useLoad';
import { detectedTimeZone, formatDateTime } from '../format';
import { LocalSmsReply } from './LocalSmsReply';
import { MessageStatus } from './MessageStatus';
import { CHANNEL_WORDS, MessageText } from './MessageText';

interface Entry {
  id: string;
  direction: 'out' | 'in';
  channel: string;
  at: string;
  contactId: string | null;
  contactName: string | null;
  appointmentId: string | null;
  address: string;
  subject: string | null;
  text: string;
  status: string;
  outcome: string | null;
}

const STATUSES = ['queued', 'sent', 'delivered', 'bounced', 'failed', 'suppressed', 'received'];

export function MessagesPage() {
  const timeZone = detectedTimeZone();
  const [filters, setFilters] = useState({ channel: '', status: '', customer: '' });
  const [applied, setApplied] = useState(filters);
  const q = new URLSearchParams(Object.entries(applied).filter(([, v]) => v.trim()));
  const {
    data,
    error,
    reload: load,
  } = useLoad<{ entries: Entry[]; localSmsReplies?: boolean }>(`/api/admin/messages?${q}`, 'Messages');
  function submit(event: SubmitEvent) {
    event.preventDefault();
    setApplied(filters);
  }
  const set = (change: Partial<typeof filters>) => setFilters((f) => ({ ...f, ...change }));
  return (
    <>
      <h1>Messages</h1>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {data?.localSmsReplies && <LocalSmsReply onSent={load} />}
      <form className="row filters" role="search" aria-label="Filter messages" onSubmit={submit}>
        <div>
          <label htmlFor="mf-customer">Customer</label>
          <input
            id="mf-customer"
            value={filters.customer}
            placeholder="Name, email or phone"
            onChange={(e) => set({ customer: e.target.value })}
          />
        </div>
        <div>
          <label htmlFor="mf-channel">Channel</label>
          <select id="mf-channel" value={filters.channel} onChange={(e) => set({ channel: e.target.value })}>
            <option value="">All channels</option>
            <option value="email">Email</option>
            <option value="sms">SMS</option>
            <option value="whatsapp">WhatsApp</option>
          </select>
        </div>
        <div>
          <label htmlFor="mf-status">Status</label>
          <select id="mf-status" value={filters.status} onChange={(e) => set({ status: e.target.value })}>
            <option value="">Any status</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s === 'received' ? 'Replies received' : s[0]!.toUpperCase() + s.slice(1)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">Show</button>
      </form>
      {data && data.entries.length === 0 && <p>No messages match.</p>}
      <table className="stack-on-phone" aria-label="Messages sent and received">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Customer</th>
            <th scope="col">Message</th>
            <th scope="col">To / from</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {data?.entries.map((m) => (
            <tr key={`${m.direction}-${m.id}`} data-message-id={m.id} data-direction={m.direction}>
              <td>{formatDateTime(m.at, timeZone)}</td>
              <td>{m.contactId ? <Link to={`/admin/contacts/${m.contactId}`}>{m.contactName}</Link> : '—'}</td>
              <td>
                {m.direction === 'in' ? 'Reply by ' : ''}
                {CHANNEL_WORDS[m.channel] ?? m.channel}:{' '}
                <MessageText channel={m.channel} subject={m.subject} body={m.text} />
                {m.appointmentId && (
                  <>
                    {' '}
                    <Link to={`/admin/appointments/${m.appointmentId}`} aria-label="Open the appointment">
                      (appointment)
                    </Link>
                  </>
                )}
              </td>
              <td>{m.address}</td>
              <td>
                {m.direction === 'in' ? (
                  <span className="status status-received" data-status="received">
                    Received
                  </span>
                ) : (
                  <MessageStatus status={m.status} />
                )}
                {m.outcome && <div className="hint">{m.outcome}</div>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
