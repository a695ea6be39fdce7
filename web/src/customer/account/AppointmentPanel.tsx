/**
 * One of the customer's appointments: details (with its place in a series), reschedule, cancel, book
 * again, add to calendar, invoice, and join the waitlist for its service and staff member.
 */
import { CancelCost } from '../CancellationPolicy';
import { type SubmitEvent, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, errorText } from '../../api';
import { Dialog } from '../../Dialog';
import { formatDateTime, formatMoney } from '../../format';
import { type DayView, SlotPicker, type SlotView } from '../../SlotPicker';
import { localDateOf } from '../../i18n/format';
import { JoinWaitlist } from '../JoinWaitlist';
import { seriesText } from './series-text';
import type { PortalAppointment } from './types';

export function AppointmentPanel(props: {
  appointment: PortalAppointment;
  timeZone: string;
  onClose: () => void;
  onChanged: () => void;
}) {
  const { appointment: a, timeZone } = props;
  const [rescheduling, setRescheduling] = useState(false);
  const [slot, setSlot] = useState<SlotView | undefined>();
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [reason, setReason] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const base = `/api/portal/appointments/${a.id}`;

  async function act(run: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await run();
      props.onChanged();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  const reschedule = () =>
    act(async () => {
      if (!slot) return;
      await api('POST', `${base}/reschedule`, { startsAt: slot.startsAt });
      setNotice(`Moved to ${formatDateTime(slot.startsAt, timeZone)}. We sent you a confirmation.`);
      setRescheduling(false);
      setSlot(undefined);
    });

  const cancel = (event: SubmitEvent) => {
    event.preventDefault();
    setConfirmCancel(false);
    return act(async () => {
      await api('POST', `${base}/cancel`, reason.trim() ? { reason: reason.trim() } : {});
      setNotice('Your appointment is cancelled.');
    });
  };

  return (
    <section aria-labelledby="appointment-title">
      <button type="button" onClick={props.onClose}>
        ← All appointments
      </button>
      <h1 id="appointment-title">{a.service.name}</h1>
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
        <dt>When</dt>
        <dd data-testid="when">{formatDateTime(a.startsAt, timeZone)}</dd>
        <dt>With</dt>
        <dd>{a.staff.name}</dd>
        {a.series && (
          <>
            <dt>Series</dt>
            <dd data-testid="series">{seriesText(a.series)}</dd>
          </>
        )}
        <dt>Price</dt>
        <dd>{formatMoney(a.price.amountMinor, a.price.currency)}</dd>
        <dt>Status</dt>
        <dd>{a.status}</dd>
        {a.publicNotes && (
          <>
            <dt>Notes from us</dt>
            <dd>{a.publicNotes}</dd>
          </>
        )}
      </dl>
      <div className="account-actions">
        {a.actions.reschedule && (
          <button type="button" onClick={() => setRescheduling((r) => !r)} aria-expanded={rescheduling}>
            Reschedule
          </button>
        )}
        {a.actions.cancel && (
          <button type="button" className="danger" onClick={() => setConfirmCancel(true)}>
            Cancel appointment
          </button>
        )}
        <a href={`/book/${a.service.slug}`}>Book again</a>
        {a.status !== 'cancelled' && <a href={`${base}/ics`}>Add to calendar</a>}
        {a.invoice && <Link to="/account/invoices">Invoice ({a.invoice.status})</Link>}
      </div>
      {rescheduling && (
        <section aria-label="Reschedule">
          <h2>Pick a new time</h2>
          <SlotPicker
            timeZone={timeZone}
            reloadKey={a.startsAt}
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
          <button type="button" className="primary" disabled={!slot || busy} onClick={() => void reschedule()}>
            {slot ? `Book it: ${formatDateTime(slot.startsAt, timeZone)}` : 'Choose a time first'}
          </button>
        </section>
      )}
      <JoinWaitlist
        serviceId={a.service.id}
        staffId={a.staff.id}
        timeZone={timeZone}
        today={localDateOf(new Date(), timeZone)}
        endpoint="/api/portal/waitlist"
      />
      <Dialog open={confirmCancel} title="Cancel this appointment?" onClose={() => setConfirmCancel(false)}>
        <form onSubmit={(e) => void cancel(e)}>
          <p>
            {a.service.name} on {formatDateTime(a.startsAt, timeZone)} will be cancelled.
          </p>
          <CancelCost quote={a.cancellation ?? null} timeZone={timeZone} />
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
    </section>
  );
}
