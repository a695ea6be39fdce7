/**
 * Public booking: service → (optional) staff → a free time in the customer's zone (detected, can be
 * changed) → details. A returning customer's details are remembered on this device. A link to a
 * renamed service's old address moves to its current one; a link to a service no longer offered says
 * so instead of silently preselecting another.
 */
import { type SubmitEvent, useEffect, useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { api, ApiError, errorText } from '../api';
import { COMMON_TIME_ZONES, detectedTimeZone, formatDateTime, formatMoney } from '../format';
import { type DayView, SlotPicker, type SlotView } from '../SlotPicker';

interface Service {
  id: string;
  slug: string;
  /** Addresses this service had before it was renamed; they keep leading to it. */
  formerSlugs: string[];
  name: string;
  description: string;
  durationMinutes: number;
  price: { amountMinor: number; currency: string; per: string };
}

interface Details {
  name: string;
  email: string;
  phone: string;
  smsOptIn: boolean;
  address: string;
  note: string;
}

const REMEMBER_KEY = 'appointflow.customer';
const emptyDetails: Details = { name: '', email: '', phone: '', smsOptIn: false, address: '', note: '' };

function remembered(): Details {
  try {
    const saved = JSON.parse(localStorage.getItem(REMEMBER_KEY) ?? 'null') as Partial<Details> | null;
    return { ...emptyDetails, ...(saved ?? {}), note: '' };
  } catch {
    return emptyDetails;
  }
}

export function BookingPage() {
  const { slug } = useParams();
  const navigate = useNavigate();
  const [services, setServices] = useState<Service[]>([]);
  const [unknownService, setUnknownService] = useState(false);
  const [serviceId, setServiceId] = useState('');
  const [staffId, setStaffId] = useState('');
  const [staffSeen, setStaffSeen] = useState<Map<string, string>>(new Map());
  const [timeZone, setTimeZone] = useState(detectedTimeZone);
  const [slot, setSlot] = useState<SlotView | undefined>();
  const [details, setDetails] = useState<Details>(remembered);
  const [returning] = useState(() => remembered().email !== '');
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [booked, setBooked] = useState<{ startsAt: string; manageUrl: string; service: string } | null>(null);

  useEffect(() => {
    document.title = 'Book an appointment';
    api<{ services: Service[] }>('GET', '/api/services')
      .then(({ services: list }) => {
        setServices(list);
        const linked = slug
          ? (list.find((s) => s.slug === slug) ?? list.find((s) => s.formerSlugs.includes(slug)))
          : undefined;
        if (linked && linked.slug !== slug) void navigate(`/book/${linked.slug}`, { replace: true });
        setUnknownService(slug !== undefined && linked === undefined);
        const preset = linked ?? list[0];
        if (preset) setServiceId(preset.id);
      })
      .catch((e: unknown) => setError(errorText(e)));
  }, [slug, navigate]);

  const service = services.find((s) => s.id === serviceId);
  const zones = useMemo(() => [...new Set([detectedTimeZone(), ...COMMON_TIME_ZONES])], []);

  async function loadSlots(from: string, to: string): Promise<DayView[]> {
    const params = new URLSearchParams({ from, to, timeZone });
    if (staffId) params.set('staffId', staffId);
    const { days } = await api<{ days: DayView[] }>('GET', `/api/services/${serviceId}/availability?${params}`);
    setStaffSeen((prev) => {
      const next = new Map(prev);
      for (const d of days) for (const s of d.slots) next.set(s.staffId, s.staffName);
      return next.size === prev.size ? prev : next;
    });
    return days;
  }

  function update<K extends keyof Details>(key: K, value: Details[K]) {
    setDetails((d) => ({ ...d, [key]: value }));
  }

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    if (!slot || !service) return;
    setBusy(true);
    setError(null);
    setFieldErrors({});
    try {
      const result = await api<{ manageUrl: string; appointment: { startsAt: string } }>('POST', '/api/bookings', {
        serviceId: service.id,
        ...(staffId ? { staffId } : { staffId: slot.staffId }),
        startsAt: slot.startsAt,
        timeZone,
        customer: {
          name: details.name,
          email: details.email,
          ...(details.phone ? { phone: details.phone } : {}),
          smsOptIn: details.smsOptIn,
          ...(details.address ? { address: details.address } : {}),
          ...(details.note ? { note: details.note } : {}),
        },
      });
      localStorage.setItem(REMEMBER_KEY, JSON.stringify({ ...details, note: '' }));
      setBooked({ startsAt: result.appointment.startsAt, manageUrl: result.manageUrl, service: service.name });
    } catch (e) {
      if (e instanceof ApiError) {
        setFieldErrors(Object.fromEntries(e.fields.map((f) => [f.field.replace(/^customer\./, ''), f.message])));
        if (e.code === 'slot_unavailable') setSlot(undefined);
      }
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  if (booked) {
    const path = new URL(booked.manageUrl, window.location.href).pathname;
    return (
      <main className="customer">
        <h1>You're booked</h1>
        <p className="notice" role="status">
          {booked.service} on {formatDateTime(booked.startsAt, timeZone)}. A confirmation is on its way to{' '}
          {details.email}.
        </p>
        <p>
          <a href={path}>View or change your appointment</a>
        </p>
      </main>
    );
  }

  return (
    <main className="customer">
      <h1>Book an appointment</h1>
      {unknownService && (
        <p className="notice" role="status">
          The service in your link is no longer offered online. Choose a service below, or contact us.
        </p>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <form onSubmit={submit} noValidate>
        <fieldset>
          <legend>1. Service</legend>
          <label htmlFor="service">Service</label>
          <select
            id="service"
            value={serviceId}
            onChange={(e) => {
              setServiceId(e.target.value);
              setSlot(undefined);
              setStaffId('');
              setStaffSeen(new Map());
            }}
          >
            {services.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name} — {formatMoney(s.price.amountMinor, s.price.currency)}
                {s.price.per === 'hour' ? ' per hour' : ''} ({s.durationMinutes} min)
              </option>
            ))}
          </select>
          {service?.description && <p className="hint">{service.description}</p>}
          <label htmlFor="staff">With</label>
          <select
            id="staff"
            value={staffId}
            onChange={(e) => {
              setStaffId(e.target.value);
              setSlot(undefined);
            }}
          >
            <option value="">Anyone available</option>
            {[...staffSeen].map(([id, name]) => (
              <option key={id} value={id}>
                {name}
              </option>
            ))}
          </select>
        </fieldset>

        <fieldset>
          <legend>2. Time</legend>
          <label htmlFor="timezone">Times shown in</label>
          <select
            id="timezone"
            value={timeZone}
            onChange={(e) => {
              setTimeZone(e.target.value);
              setSlot(undefined);
            }}
          >
            {zones.map((z) => (
              <option key={z} value={z}>
                {z.replace(/_/g, ' ')}
              </option>
            ))}
          </select>
          {serviceId && (
            <SlotPicker
              timeZone={timeZone}
              reloadKey={`${serviceId}|${staffId}`}
              load={loadSlots}
              selected={slot}
              onPick={setSlot}
              showStaff={!staffId}
            />
          )}
          {slot && (
            <p className="notice" role="status">
              Selected: {formatDateTime(slot.startsAt, timeZone)} with {slot.staffName}
            </p>
          )}
        </fieldset>

        <fieldset>
          <legend>3. Your details</legend>
          {returning && <p className="hint">Welcome back — we filled in your details from last time.</p>}
          <Field id="name" label="Name" error={fieldErrors.name}>
            <input
              id="name"
              autoComplete="name"
              required
              value={details.name}
              onChange={(e) => update('name', e.target.value)}
            />
          </Field>
          <Field id="email" label="Email" error={fieldErrors.email}>
            <input
              id="email"
              type="email"
              autoComplete="email"
              required
              value={details.email}
              onChange={(e) => update('email', e.target.value)}
            />
          </Field>
          <Field id="phone" label="Mobile phone (optional, e.g. +12125550123)" error={fieldErrors.phone}>
            <input
              id="phone"
              type="tel"
              autoComplete="tel"
              value={details.phone}
              onChange={(e) => update('phone', e.target.value)}
            />
          </Field>
          <div className="check">
            <input
              id="sms"
              type="checkbox"
              checked={details.smsOptIn}
              onChange={(e) => update('smsOptIn', e.target.checked)}
            />
            <label htmlFor="sms">Text me reminders and updates (reply STOP to stop)</label>
          </div>
          <Field id="address" label="Address (optional)" error={fieldErrors.address}>
            <input
              id="address"
              autoComplete="street-address"
              value={details.address}
              onChange={(e) => update('address', e.target.value)}
            />
          </Field>
          <Field id="note" label="Note for us (optional)" error={fieldErrors.note}>
            <textarea id="note" rows={3} value={details.note} onChange={(e) => update('note', e.target.value)} />
          </Field>
        </fieldset>
        <button type="submit" className="primary" disabled={!slot || busy}>
          {busy ? 'Booking…' : slot ? 'Book this time' : 'Choose a time first'}
        </button>
      </form>
    </main>
  );
}

export function Field(props: { id: string; label: string; error?: string | undefined; children: React.ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      {props.children}
      {props.error && (
        <p className="field-error" id={`${props.id}-error`}>
          {props.error}
        </p>
      )}
    </div>
  );
}
