/**
 * The customer's manage link: details, reschedule with the slot picker, cancel after a confirmation,
 * card update (/card), invoice (/invoice). A dead link says why and what to do instead.
 */
import { type SubmitEvent, useCallback, useEffect, useState } from 'react';
import { type PendingContactDetails, PendingDetails } from './PendingDetails';
import { Link, Route, Routes, useParams } from 'react-router-dom';
import { api, ApiError, errorText } from '../api';
import { Dialog } from '../Dialog';
import { COMMON_TIME_ZONES, detectedTimeZone, formatDateTime, formatMoney } from '../format';
import { type DayView, SlotPicker, type SlotView } from '../SlotPicker';

interface CustomerAppointment {
  id: string;
  status: string;
  stage: string;
  startsAt: string;
  endsAt: string;
  timeZone: string;
  price: { amountMinor: number; currency: string };
  publicNotes: string;
  service: { name: string; slug: string };
  staff: { name: string };
  contact: { name: string };
}

interface DeadLink {
  message: string;
  bookingUrl?: string;
  reason?: string;
}

function DeadLinkNotice({ dead }: { dead: DeadLink }) {
  const booking = dead.bookingUrl ? new URL(dead.bookingUrl, window.location.href).pathname : '/book';
  return (
    <main className="customer">
      <h1>This link no longer works</h1>
      <p role="alert" className="error">
        {dead.message}
      </p>
      <p>
        <a href={booking}>Book a new appointment</a> or call us if you need help.
      </p>
      {(dead.reason === 'completed' || dead.reason === 'past') && (
        <p>
          <Link to="invoice">View or download your invoice</Link>
        </p>
      )}
    </main>
  );
}

export function ManagePage() {
  const { token = '' } = useParams();
  // Card and invoice use the billing endpoints, which keep working after the visit (to pay and to
  // download the invoice), so they do not depend on the appointment still being changeable.
  return (
    <Routes>
      <Route path="card" element={<CardPage token={token} />} />
      <Route path="pay" element={<CardPage token={token} />} />
      <Route path="invoice" element={<InvoicePage token={token} />} />
      <Route path="*" element={<ManageDetails token={token} />} />
    </Routes>
  );
}

function ManageDetails({ token }: { token: string }) {
  const [appointment, setAppointment] = useState<CustomerAppointment | null>(null);
  const [pending, setPending] = useState<PendingContactDetails | null>(null);
  const [dead, setDead] = useState<DeadLink | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    api<{ appointment: CustomerAppointment; pendingDetails?: PendingContactDetails | null }>(
      'GET',
      `/api/manage/${encodeURIComponent(token)}`,
    )
      .then((r) => {
        setAppointment(r.appointment);
        setPending(r.pendingDetails ?? null);
      })
      .catch((e: unknown) => {
        if (e instanceof ApiError && (e.status === 410 || e.status === 404)) {
          setDead({
            message: e.message,
            ...(typeof e.details.bookingUrl === 'string' ? { bookingUrl: e.details.bookingUrl } : {}),
            ...(typeof e.details.reason === 'string' ? { reason: e.details.reason } : {}),
          });
        } else setError(errorText(e));
      });
  }, [token]);

  useEffect(() => {
    document.title = 'Your appointment';
    load();
  }, [load]);

  if (dead) return <DeadLinkNotice dead={dead} />;
  if (error)
    return (
      <main className="customer">
        <p role="alert" className="error">
          {error}
        </p>
      </main>
    );
  if (!appointment)
    return (
      <main className="customer">
        <p>Loading your appointment…</p>
      </main>
    );
  return (
    <>
      {pending && <PendingDetails token={token} details={pending} onSettled={load} />}
      <Details token={token} appointment={appointment} onChanged={load} onDead={setDead} />
    </>
  );
}

function Details(props: {
  token: string;
  appointment: CustomerAppointment;
  onChanged: () => void;
  onDead: (dead: DeadLink) => void;
}) {
  const { appointment, token } = props;
  const [timeZone, setTimeZone] = useState(detectedTimeZone);
  const [rescheduling, setRescheduling] = useState(false);
  const [slot, setSlot] = useState<SlotView | undefined>();
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [reason, setReason] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const base = `/api/manage/${encodeURIComponent(token)}`;

  async function reschedule() {
    if (!slot) return;
    setBusy(true);
    setError(null);
    try {
      await api('POST', `${base}/reschedule`, { startsAt: slot.startsAt });
      setNotice(`Moved to ${formatDateTime(slot.startsAt, timeZone)}. We sent you a confirmation.`);
      setRescheduling(false);
      setSlot(undefined);
      props.onChanged();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  async function cancel(event: SubmitEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api('POST', `${base}/cancel`, reason.trim() ? { reason: reason.trim() } : {});
      setConfirmCancel(false);
      props.onDead({
        message: 'Your appointment is cancelled. This link no longer works; you are welcome to book a new time.',
        bookingUrl: `/book/${appointment.service.slug}`,
      });
    } catch (e) {
      setConfirmCancel(false);
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="customer">
      <h1>Your appointment</h1>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <dl className="details">
        <dt>Service</dt>
        <dd>{appointment.service.name}</dd>
        <dt>When</dt>
        <dd data-testid="when">{formatDateTime(appointment.startsAt, timeZone)}</dd>
        <dt>With</dt>
        <dd>{appointment.staff.name}</dd>
        <dt>Price</dt>
        <dd>{formatMoney(appointment.price.amountMinor, appointment.price.currency)}</dd>
        <dt>Status</dt>
        <dd>{appointment.status}</dd>
        {appointment.publicNotes && (
          <>
            <dt>Notes from us</dt>
            <dd>{appointment.publicNotes}</dd>
          </>
        )}
      </dl>
      <label htmlFor="timezone">Times shown in</label>
      <select id="timezone" value={timeZone} onChange={(e) => setTimeZone(e.target.value)}>
        {[...new Set([detectedTimeZone(), appointment.timeZone, ...COMMON_TIME_ZONES])].map((z) => (
          <option key={z} value={z}>
            {z.replace(/_/g, ' ')}
          </option>
        ))}
      </select>
      <div className="actions">
        <button type="button" onClick={() => setRescheduling((r) => !r)} aria-expanded={rescheduling}>
          Reschedule
        </button>
        <button type="button" className="danger" onClick={() => setConfirmCancel(true)}>
          Cancel appointment
        </button>
        <Link to="card">Update card</Link>
        <Link to="invoice">Invoice</Link>
        <a href={`/account/from/${encodeURIComponent(token)}`}>All your appointments</a>
      </div>
      {rescheduling && (
        <section aria-label="Reschedule">
          <h2>Pick a new time</h2>
          <SlotPicker
            timeZone={timeZone}
            reloadKey={appointment.startsAt}
            load={async (from, to) =>
              (
                await api<{ days: DayView[] }>(
                  'GET',
                  `${base}/availability?${new URLSearchParams({ from, to, timeZone })}`,
                )
              ).days
            }
            selected={slot}
            onPick={setSlot}
          />
          <button type="button" className="primary" disabled={!slot || busy} onClick={reschedule}>
            {slot ? `Move to ${formatDateTime(slot.startsAt, timeZone)}` : 'Choose a time first'}
          </button>
        </section>
      )}
      <Dialog open={confirmCancel} title="Cancel this appointment?" onClose={() => setConfirmCancel(false)}>
        <form onSubmit={cancel}>
          <p>
            {appointment.service.name} on {formatDateTime(appointment.startsAt, timeZone)} will be cancelled. This
            cannot be undone online.
          </p>
          <label htmlFor="cancel-reason">Reason (optional)</label>
          <textarea id="cancel-reason" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
          <div className="actions">
            <button type="button" onClick={() => setConfirmCancel(false)}>
              Keep it
            </button>
            <button type="submit" className="danger" disabled={busy}>
              Yes, cancel
            </button>
          </div>
        </form>
      </Dialog>
    </main>
  );
}

const TEST_CARDS = [
  { id: 'pm_card_visa', label: 'Visa 4242 — succeeds' },
  { id: 'pm_card_visa_chargeDeclined', label: 'Card declined' },
  { id: 'pm_card_chargeDeclinedInsufficientFunds', label: 'Insufficient funds' },
];

function CardPage({ token }: { token: string }) {
  const [card, setCard] = useState(TEST_CARDS[0]!.id);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  async function save(event: SubmitEvent) {
    event.preventDefault();
    setError(null);
    try {
      const result = await api<{ gateway: string; saved?: string }>(
        'POST',
        `/api/manage/${encodeURIComponent(token)}/card`,
        { paymentMethodId: card },
      );
      setDone(
        result.gateway === 'simulated'
          ? `Test card saved (${result.saved}).`
          : 'Card form ready: production shows Stripe Elements here.',
      );
    } catch (e) {
      setError(errorText(e));
    }
  }
  return (
    <main className="customer">
      <h1>Update your card</h1>
      <p className="test-banner" role="note">
        Test mode: payments are simulated, so no real card is taken. In production this page shows Stripe's secure card
        form (Stripe Elements).
      </p>
      {done && (
        <p className="notice" role="status">
          {done}
        </p>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <form onSubmit={save}>
        <fieldset>
          <legend>Test card</legend>
          {TEST_CARDS.map((c) => (
            <div className="check" key={c.id}>
              <input
                type="radio"
                id={c.id}
                name="card"
                value={c.id}
                checked={card === c.id}
                onChange={() => setCard(c.id)}
              />
              <label htmlFor={c.id}>{c.label}</label>
            </div>
          ))}
        </fieldset>
        <button type="submit" className="primary">
          Save card
        </button>
      </form>
      <p>
        <Link to="..">Back to your appointment</Link>
      </p>
    </main>
  );
}

interface Invoice {
  number: number;
  status: string;
  currency: string;
  lines: Array<{ description: string; quantity: number; amountMinor: number }>;
  subtotalMinor: number;
  taxRateBps: number;
  taxMinor: number;
  totalMinor: number;
}

function InvoicePage({ token }: { token: string }) {
  const [invoice, setInvoice] = useState<Invoice | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<{ invoice: Invoice }>('GET', `/api/manage/${encodeURIComponent(token)}/invoice`)
      .then((r) => setInvoice(r.invoice))
      .catch((e: unknown) => setError(errorText(e)));
  }, [token]);
  return (
    <main className="customer">
      <h1>Invoice</h1>
      {error && <p className="notice">{error}</p>}
      {invoice && (
        <>
          <p>
            Invoice #{invoice.number} — {invoice.status}
          </p>
          <table>
            <thead>
              <tr>
                <th scope="col">Item</th>
                <th scope="col">Qty</th>
                <th scope="col">Amount</th>
              </tr>
            </thead>
            <tbody>
              {invoice.lines.map((line, i) => (
                <tr key={i}>
                  <td>{line.description}</td>
                  <td>{line.quantity}</td>
                  <td>{formatMoney(line.amountMinor, invoice.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>
            Subtotal {formatMoney(invoice.subtotalMinor, invoice.currency)}
            <br />
            Tax ({invoice.taxRateBps / 100}%) {formatMoney(invoice.taxMinor, invoice.currency)}
            <br />
            <strong>Total {formatMoney(invoice.totalMinor, invoice.currency)}</strong>
          </p>
          <p>
            <a href={`/api/manage/${encodeURIComponent(token)}/invoice?format=html`} download>
              Download invoice
            </a>
          </p>
        </>
      )}
      <p>
        <Link to="..">Back to your appointment</Link>
      </p>
    </main>
  );
}
