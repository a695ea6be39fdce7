/**
 * New booking for a caller: find them (CallerSearch: name, email or phone; recent customers) or type a
 * new customer; optionally a membership visit by certificate number; the service and a free time — or
 * the time clicked on the calendar (`?startsAt=&staffId=` prefilled; otherwise the month calendar and
 * day times of web/src/picker, by staff member or anyone) — and how they booked. The server
 * books it (POST /api/appointments) and its refusals are shown in words.
 */
import { type SubmitEvent, useEffect, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { api, errorText } from '../api';
import { detectedTimeZone, formatDateTime } from '../format';
import { type BookingService, type BookingSlot, BookingTimePicker } from './BookingTimePicker';
import { type CallerHit, CallerSearch } from './CallerSearch';
import { MembershipVisit } from './MembershipVisit';

export function NewBookingPage() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const timeZone = detectedTimeZone();
  const [services, setServices] = useState<BookingService[]>([]);
  const [serviceId, setServiceId] = useState(params.get('serviceId') ?? '');
  const [slot, setSlot] = useState<BookingSlot | undefined>(() => calendarSlot(params));
  const [picking, setPicking] = useState(!calendarSlot(params));
  const [caller, setCaller] = useState<CallerHit | null>(null);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [phone, setPhone] = useState('');
  const [channel, setChannel] = useState('phone');
  const [certificate, setCertificate] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    document.title = 'New booking — Maple Street';
    api<{ services: BookingService[] }>('GET', '/api/services')
      .then((r) => {
        setServices(r.services);
        setServiceId((current) => current || (r.services[0]?.id ?? ''));
      })
      .catch((e: unknown) => setError(errorText(e)));
  }, []);
  function pick(hit: CallerHit) {
    setCaller(hit);
    setName(hit.name);
    setEmail(hit.email);
    setPhone(hit.phone ?? '');
  }
  const service = services.find((s) => s.id === serviceId);
  async function submit(event: SubmitEvent) {
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
        ...(certificate.trim() ? { certificateNumber: certificate.trim() } : {}),
      });
      void navigate(`/admin/appointments/${r.appointment.id}`);
    } catch (e) {
      setError(errorText(e));
    }
  }
  return (
    <form onSubmit={submit}>
      <h1>New booking for a caller</h1>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <CallerSearch onPick={pick} />
      {caller && (
        <p role="status" className="notice" data-testid="caller-picked">
          Booking for {caller.name} ({caller.email}).
          {caller.notes.trim() && (
            <>
              {' '}
              <strong>Notes:</strong> {caller.notes}
            </>
          )}
        </p>
      )}
      <MembershipVisit
        certificate={certificate}
        onCertificate={setCertificate}
        onMember={(m) => {
          setName(m.contactName);
          setEmail(m.contactEmail);
        }}
      />
      <label htmlFor="nb-service">Service</label>
      <select
        id="nb-service"
        value={serviceId}
        onChange={(e) => {
          setServiceId(e.target.value);
          if (picking) setSlot(undefined);
        }}
      >
        {services.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </select>
      {!picking && slot && (
        <p className="notice" data-testid="calendar-slot">
          Time chosen on the calendar: {formatDateTime(slot.startsAt, timeZone)}
          {slot.staffName ? ` with ${slot.staffName}` : ''}.{' '}
          <button type="button" onClick={() => setPicking(true)}>
            Pick another time
          </button>
        </p>
      )}
      {picking && service && (
        <BookingTimePicker key={service.id} service={service} timeZone={timeZone} selected={slot} onPick={setSlot} />
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

/** The time clicked on the calendar (`?startsAt=…&staffId=…&staffName=…`), if any. */
function calendarSlot(params: URLSearchParams): BookingSlot | undefined {
  const startsAt = params.get('startsAt');
  const staffId = params.get('staffId');
  if (!startsAt || !staffId || !Number.isFinite(Date.parse(startsAt))) return undefined;
  return { startsAt, staffId, staffName: params.get('staffName') ?? '' };
}
