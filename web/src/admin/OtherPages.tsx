/** Contacts with history, and settings (working hours and time off). */
import { type SubmitEvent, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api, errorText } from '../api';
import { detectedTimeZone, formatDateTime, formatMoney, STAGE_CLASS } from '../format';
import { type Reachability, ReachabilityList } from './MessageStatus';
import { SettingsNav } from './SettingsNav';
import { HoursEditor } from './HoursEditor';
import { TimeOffForm } from './TimeOffForm';
import type { ListedAppointment } from './types';

function useLoad<T>(path: string, title: string): { data: T | null; error: string | null; reload: () => void } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    document.title = `${title} — Maple Street`;
    api<T>('GET', path)
      .then(setData)
      .catch((e: unknown) => setError(errorText(e)));
  }, [path, title, version]);
  return { data, error, reload: () => setVersion((v) => v + 1) };
}

function Problem({ error }: { error: string | null }) {
  return error ? (
    <p role="alert" className="error">
      {error}
    </p>
  ) : null;
}

export function ContactsPage() {
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const { data, error } = useLoad<{
    contacts: Array<{ id: string; name: string; email: string; phone: string | null }>;
  }>(`/api/admin/contacts${search ? `?q=${encodeURIComponent(search)}` : ''}`, 'Contacts');
  return (
    <>
      <h1>Contacts</h1>
      <form
        className="row"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setSearch(q);
        }}
      >
        <label htmlFor="contact-q">Search by name, email or phone</label>
        <input id="contact-q" value={q} onChange={(e) => setQ(e.target.value)} style={{ maxWidth: '20rem' }} />
        <button type="submit">Search</button>
      </form>
      <Problem error={error} />
      <ul>
        {data?.contacts.map((c) => (
          <li key={c.id}>
            <Link to={`/admin/contacts/${c.id}`}>{c.name}</Link> — {c.email}
            {c.phone ? ` · ${c.phone}` : ''}
          </li>
        ))}
      </ul>
    </>
  );
}

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
    };
    appointments: ListedAppointment[];
    timeline: Array<{ occurredAt: string; summary: string; actor: string; channel: string }>;
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

export function SettingsPage() {
  const [version, setVersion] = useState(0);
  const { data, error } = useLoad<{
    business: { name: string; time_zone: string; currency: string; tax_rate_bps: number } | null;
    services: Array<{
      id: string;
      name: string;
      durationMinutes: number;
      pricing: string;
      priceMinor: number;
      hourlyRateMinor: number;
      currency: string;
      active: boolean;
      billingPolicy: string;
      billingIncrementMinutes: number;
    }>;
    staff: Array<{ id: string; name: string; email: string; role: string; timeZone: string }>;
    hours: Array<{ staffId: string; weekday: number; startTime: string; endTime: string }>;
    timeOff: Array<{ id: string; staffId: string; startsAt: string; endsAt: string; reason: string }>;
  }>(`/api/admin/settings?v=${version}`, 'Settings');
  const reload = () => setVersion((v) => v + 1);
  const [saved, setSaved] = useState<{ staffId: string; text: string } | null>(null);
  return (
    <>
      <h1>Settings</h1>
      <SettingsNav />
      <p className="hint">
        Working hours and time off change the free slots at once (booked appointments stay). Admins edit services with
        their lifecycle and billing policies, message templates and integrations in their own sections.
      </p>
      <Problem error={error} />
      {data?.business && (
        <p>
          {data.business.name} · {data.business.time_zone} · {data.business.currency} · tax{' '}
          {data.business.tax_rate_bps / 100}%
        </p>
      )}
      <h2>Services</h2>
      <ul>
        {data?.services.map((s) => (
          <li key={s.id}>
            {s.name}: {s.durationMinutes} min,{' '}
            {s.pricing === 'hourly'
              ? `${formatMoney(s.hourlyRateMinor, s.currency)} per hour`
              : formatMoney(s.priceMinor, s.currency)}
            ; billing {s.billingPolicy === 'manual' ? 'after staff confirm the charge' : 'automatic after delivery'}
            {s.pricing === 'hourly' ? `, in ${s.billingIncrementMinutes}-minute steps` : ''}
            {s.active ? '' : ' (inactive)'}
          </li>
        ))}
      </ul>
      <h2>Staff, hours and time off</h2>
      {data?.staff.map((s) => (
        <section key={`${s.id}-${version}`} className="panel" style={{ marginBottom: '1rem' }}>
          <h3>
            {s.name} ({s.role}, {s.timeZone})
          </h3>
          <HoursEditor
            staffId={s.id}
            staffName={s.name}
            initial={data.hours.filter((h) => h.staffId === s.id)}
            onSaved={reload}
          />
          <h4>Time off</h4>
          <ul>
            {data.timeOff
              .filter((t) => t.staffId === s.id)
              .map((t) => (
                <li key={t.id}>
                  {formatDateTime(t.startsAt, s.timeZone)} – {formatDateTime(t.endsAt, s.timeZone)} {t.reason}{' '}
                  <button
                    type="button"
                    onClick={() => api('DELETE', `/api/admin/time-off/${t.id}`).then(reload, () => undefined)}
                  >
                    Remove
                  </button>
                </li>
              ))}
          </ul>
          <TimeOffForm
            staffId={s.id}
            staffName={s.name}
            timeZone={detectedTimeZone()}
            onSaved={(text) => {
              setSaved({ staffId: s.id, text });
              reload();
            }}
          />
          {saved?.staffId === s.id && (
            <p className="notice" role="status">
              {saved.text}
            </p>
          )}
        </section>
      ))}
    </>
  );
}

export interface MembershipRow {
  id: string;
  certificateNumber: string;
  stage: string;
  visitsTotal: number | null;
  visitsUsed: number;
  visitsLeft: number | null;
  validUntil: string;
  planName: string;
  contactId: string;
  contactName: string;
  contactEmail: string;
}
