/** One contact: details, reachability, staff notes, appointments and history. */
import { type SubmitEvent, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api, errorText } from '../api';
import { detectedTimeZone, formatDateTime, STAGE_CLASS } from '../format';
import { useLoad } from '../useLoad';
import { type Reachability, ReachabilityList } from './MessageStatus';
import { PendingDetails, type PendingRequest } from './PendingDetails';
import { Problem } from './Problem';
import { type Channels, ChannelChoice } from '../ChannelChoice';
import type { ListedAppointment } from './types';

export function ContactPage() {
  const { id = '' } = useParams();
  const timeZone = detectedTimeZone();
  const { data, error } = useLoad<{
    contact: {
      name: string;
      email: string;
      phone: string | null;
      address: string | null;
      notes: string;
      smsOptIn: boolean;
      reachability?: Reachability;
    } & Channels;
    appointments: ListedAppointment[];
    timeline: Array<{ occurredAt: string; summary: string; actor: string; channel: string }>;
    pendingDetails: PendingRequest[];
  }>(`/api/admin/contacts/${id}`, 'Contact');
  if (!data) return error ? <Problem error={error} /> : <p>Loading…</p>;
  return (
    <>
      <h1>{data.contact.name}</h1>
      <dl className="details">
        <dt>Email</dt>
        <dd>{data.contact.email}</dd>
        <dt>Phone</dt>
        <dd>{data.contact.phone ?? '—'}</dd>
        <dt>Reachability</dt>
        <dd>
          {data.contact.reachability ? (
            <ReachabilityList reachability={data.contact.reachability} timeZone={timeZone} />
          ) : data.contact.smsOptIn ? (
            'SMS opted in'
          ) : (
            'SMS not opted in'
          )}
        </dd>
        <dt>Address</dt>
        <dd>{data.contact.address ?? '—'}</dd>
      </dl>
      <PendingDetails requests={data.pendingDetails} timeZone={timeZone} />
      <ChannelChoice initial={data.contact} path={`/api/admin/contacts/${id}/channels`} who="The customer agrees" />
      <NotesEditor contactId={id} initial={data.contact.notes} />
      <h2>Appointments</h2>
      {data.appointments.map((a) => (
        <Link key={a.id} to={`/admin/appointments/${a.id}`} className={`appt ${STAGE_CLASS[a.stage] ?? ''}`}>
          {formatDateTime(a.startsAt, timeZone)} · {a.serviceName} · {a.staffName} · {a.stage}
        </Link>
      ))}
      <h2>History</h2>
      <ul>
        {data.timeline.map((t, i) => (
          <li key={i}>
            {formatDateTime(t.occurredAt, timeZone)} — {t.summary} ({t.actor}, {t.channel})
          </li>
        ))}
      </ul>
    </>
  );
}

function NotesEditor({ contactId, initial }: { contactId: string; initial: string }) {
  const [notes, setNotes] = useState(initial);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  async function save(event: SubmitEvent) {
    event.preventDefault();
    setError(null);
    try {
      await api('PATCH', `/api/admin/contacts/${contactId}`, { notes });
      setStatus('Notes saved.');
    } catch (e) {
      setError(errorText(e));
    }
  }
  return (
    <form onSubmit={save}>
      <label htmlFor="contact-notes">Notes (staff only)</label>
      <textarea id="contact-notes" rows={3} value={notes} onChange={(e) => setNotes(e.target.value)} />
      <Problem error={error} />
      {status && (
        <p className="notice" role="status">
          {status}
        </p>
      )}
      <div className="actions">
        <button type="submit">Save notes</button>
      </div>
    </form>
  );
}
