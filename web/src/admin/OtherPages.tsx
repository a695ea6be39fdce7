/** Contacts with history, and settings (working hours and time off). */
import { type FormEvent, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api, errorText } from '../api';
import { detectedTimeZone, formatDateTime, formatMoney, STAGE_CLASS } from '../format';
import { type Reachability, ReachabilityList } from './MessageStatus';
import { SettingsNav } from './SettingsNav';
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
  async function save(event: FormEvent) {
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

interface Hours {
  weekday: number;
  startTime: string;
  endTime: string;
}

const WEEKDAYS = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

function HoursEditor(props: { staffId: string; staffName: string; initial: Hours[]; onSaved: () => void }) {
  const [rows, setRows] = useState(() =>
    WEEKDAYS.slice(1).map((_, i) => {
      const found = props.initial.find((h) => h.weekday === i + 1);
      return {
        weekday: i + 1,
        on: Boolean(found),
        startTime: found?.startTime.slice(0, 5) ?? '09:00',
        endTime: found?.endTime.slice(0, 5) ?? '17:00',
      };
    }),
  );
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const update = (i: number, change: Partial<(typeof rows)[number]>) =>
    setRows((r) => r.map((row, j) => (j === i ? { ...row, ...change } : row)));
  async function save(event: FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      await api('PUT', `/api/admin/staff/${props.staffId}/hours`, {
        hours: rows.filter((r) => r.on).map(({ weekday, startTime, endTime }) => ({ weekday, startTime, endTime })),
      });
      setStatus('Hours saved.');
      props.onSaved();
    } catch (e) {
      setError(errorText(e));
    }
  }
  const key = props.staffId.slice(0, 8);
  return (
    <form onSubmit={save} aria-label={`Working hours of ${props.staffName}`}>
      <table>
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">From</th>
            <th scope="col">To</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={row.weekday}>
              <td>
                <div className="check">
                  <input
                    type="checkbox"
                    id={`on-${key}-${row.weekday}`}
                    checked={row.on}
                    onChange={(e) => update(i, { on: e.target.checked })}
                  />
                  <label htmlFor={`on-${key}-${row.weekday}`}>{WEEKDAYS[row.weekday]}</label>
                </div>
              </td>
              <td>
                <input
                  type="time"
                  aria-label={`${WEEKDAYS[row.weekday]} from`}
                  value={row.startTime}
                  disabled={!row.on}
                  onChange={(e) => update(i, { startTime: e.target.value })}
                />
              </td>
              <td>
                <input
                  type="time"
                  aria-label={`${WEEKDAYS[row.weekday]} to`}
                  value={row.endTime}
                  disabled={!row.on}
                  onChange={(e) => update(i, { endTime: e.target.value })}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Problem error={error} />
      {status && (
        <p className="notice" role="status">
          {status}
        </p>
      )}
      <div className="actions">
        <button type="submit">Save hours of {props.staffName}</button>
      </div>
    </form>
  );
}

function TimeOffForm(props: { staffId: string; staffName: string; onSaved: () => void }) {
  const [startsAt, setStartsAt] = useState('');
  const [endsAt, setEndsAt] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const key = props.staffId.slice(0, 8);
  async function save(event: FormEvent) {
    event.preventDefault();
    setError(null);
    if (!startsAt || !endsAt) {
      setError('Give both the start and the end.');
      return;
    }
    try {
      await api('POST', '/api/admin/time-off', {
        staffId: props.staffId,
        startsAt: new Date(startsAt).toISOString(),
        endsAt: new Date(endsAt).toISOString(),
        reason,
      });
      setStartsAt('');
      setEndsAt('');
      setReason('');
      props.onSaved();
    } catch (e) {
      setError(errorText(e));
    }
  }
  return (
    <form onSubmit={save} aria-label={`Add time off for ${props.staffName}`} className="row">
      <div>
        <label htmlFor={`to-start-${key}`}>Time off from</label>
        <input
          id={`to-start-${key}`}
          type="datetime-local"
          value={startsAt}
          onChange={(e) => setStartsAt(e.target.value)}
        />
      </div>
      <div>
        <label htmlFor={`to-end-${key}`}>until</label>
        <input id={`to-end-${key}`} type="datetime-local" value={endsAt} onChange={(e) => setEndsAt(e.target.value)} />
      </div>
      <div>
        <label htmlFor={`to-reason-${key}`}>Reason</label>
        <input id={`to-reason-${key}`} value={reason} onChange={(e) => setReason(e.target.value)} />
      </div>
      <button type="submit">Add time off</button>
      <Problem error={error} />
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
          <TimeOffForm staffId={s.id} staffName={s.name} onSaved={reload} />
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
