/** Outbox, contacts with history, settings (read-only here), and manual booking for a caller. */
import { type FormEvent, useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api, errorText } from '../api';
import { detectedTimeZone, formatDateTime, formatMoney, STAGE_CLASS } from '../format';
import { type DayView, SlotPicker, type SlotView } from '../SlotPicker';
import type { ListedAppointment } from './types';

function useLoad<T>(path: string, title: string): { data: T | null; error: string | null } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    document.title = `${title} — Maple Street`;
    api<T>('GET', path)
      .then(setData)
      .catch((e: unknown) => setError(errorText(e)));
  }, [path, title]);
  return { data, error };
}

function Problem({ error }: { error: string | null }) {
  return error ? (
    <p role="alert" className="error">
      {error}
    </p>
  ) : null;
}

export function MessagesPage() {
  const timeZone = detectedTimeZone();
  const { data, error } = useLoad<{
    messages: Array<{
      id: string;
      appointmentId: string | null;
      channel: string;
      template: string;
      recipient: string;
      subject: string | null;
      status: string;
      createdAt: string;
    }>;
  }>('/api/admin/messages', 'Messages');
  return (
    <>
      <h1>Messages</h1>
      <Problem error={error} />
      <table>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Channel</th>
            <th scope="col">Message</th>
            <th scope="col">To</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {data?.messages.map((m) => (
            <tr key={m.id}>
              <td>{formatDateTime(m.createdAt, timeZone)}</td>
              <td>{m.channel}</td>
              <td>
                {m.appointmentId ? (
                  <Link to={`/admin/appointments/${m.appointmentId}`}>{m.subject ?? m.template}</Link>
                ) : (
                  (m.subject ?? m.template)
                )}
              </td>
              <td>{m.recipient}</td>
              <td>{m.status}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
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
        <dt>SMS</dt>
        <dd>{data.contact.smsOptIn ? 'Opted in' : 'Not opted in'}</dd>
        <dt>Address</dt>
        <dd>{data.contact.address ?? '—'}</dd>
        <dt>Notes</dt>
        <dd>{data.contact.notes || '—'}</dd>
      </dl>
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

export function SettingsPage() {
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
    }>;
    staff: Array<{ id: string; name: string; email: string; role: string; timeZone: string }>;
    hours: Array<{ staffId: string; weekday: number; startTime: string; endTime: string }>;
    timeOff: Array<{ staffId: string; startsAt: string; endsAt: string; reason: string }>;
  }>('/api/admin/settings', 'Settings');
  const days = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
  return (
    <>
      <h1>Settings</h1>
      <p className="hint">Read-only here for now; changes are made through the database seed and API.</p>
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
            {s.active ? '' : ' (inactive)'}
          </li>
        ))}
      </ul>
      <h2>Staff and hours</h2>
      {data?.staff.map((s) => (
        <section key={s.id}>
          <h3>
            {s.name} ({s.role}, {s.timeZone})
          </h3>
          <p>
            {data.hours
              .filter((h) => h.staffId === s.id)
              .map((h) => `${days[h.weekday]} ${h.startTime.slice(0, 5)}–${h.endTime.slice(0, 5)}`)
              .join(', ') || 'No hours set'}
          </p>
          {data.timeOff
            .filter((t) => t.staffId === s.id)
            .map((t, i) => (
              <p key={i}>
                Time off {formatDateTime(t.startsAt, s.timeZone)} – {formatDateTime(t.endsAt, s.timeZone)} {t.reason}
              </p>
            ))}
        </section>
      ))}
    </>
  );
}

export function NewBookingPage() {
  const navigate = useNavigate();
  const timeZone = detectedTimeZone();
  const [services, setServices] = useState<Array<{ id: string; name: string }>>([]);
  const [serviceId, setServiceId] = useState('');
  const [slot, setSlot] = useState<SlotView | undefined>();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [phone, setPhone] = useState('');
  const [channel, setChannel] = useState('phone');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    document.title = 'New booking — Maple Street';
    api<{ services: Array<{ id: string; name: string }> }>('GET', '/api/services')
      .then((r) => {
        setServices(r.services);
        setServiceId(r.services[0]?.id ?? '');
      })
      .catch((e: unknown) => setError(errorText(e)));
  }, []);
  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!slot) return;
    setError(null);
    try {
      const r = await api<{ appointment: { id: string } }>('POST', '/api/appointments', {
        serviceId,
        staffId: slot.staffId,
        startsAt: slot.startsAt,
        timeZone,
        channel,
        customer: { name, email, ...(phone ? { phone } : {}) },
      });
      navigate(`/admin/appointments/${r.appointment.id}`);
    } catch (e) {
      setError(errorText(e));
    }
  }
  return (
    <form onSubmit={submit}>
      <h1>New booking for a caller</h1>
      <Problem error={error} />
      <label htmlFor="nb-service">Service</label>
      <select
        id="nb-service"
        value={serviceId}
        onChange={(e) => {
          setServiceId(e.target.value);
          setSlot(undefined);
        }}
      >
        {services.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </select>
      {serviceId && (
        <SlotPicker
          timeZone={timeZone}
          reloadKey={serviceId}
          showStaff
          selected={slot}
          onPick={setSlot}
          load={async (from, to) =>
            (
              await api<{ days: DayView[] }>(
                'GET',
                `/api/services/${serviceId}/availability?${new URLSearchParams({ from, to, timeZone })}`,
              )
            ).days
          }
        />
      )}
      <label htmlFor="nb-name">Customer name</label>
      <input id="nb-name" value={name} onChange={(e) => setName(e.target.value)} />
      <label htmlFor="nb-email">Email</label>
      <input id="nb-email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} />
      <label htmlFor="nb-phone">Phone (optional)</label>
      <input id="nb-phone" type="tel" value={phone} onChange={(e) => setPhone(e.target.value)} />
      <label htmlFor="nb-channel">Booked by</label>
      <select id="nb-channel" value={channel} onChange={(e) => setChannel(e.target.value)}>
        <option value="phone">Phone</option>
        <option value="in_person">In person</option>
        <option value="email">Email</option>
        <option value="admin">Admin</option>
      </select>
      <div className="actions">
        <button type="submit" className="primary" disabled={!slot}>
          Book
        </button>
      </div>
    </form>
  );
}
