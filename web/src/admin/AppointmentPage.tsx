/**
 * The appointment card: contact (with staff notes such as an allergy), service, staff, time, price and
 * stage as delivery and invoicing moved them, membership, open tasks, the timeline and messages (their
 * text), a link to the workflow in the Temporal Web UI; and the actions the server says can work now,
 * each a workflow update through the staff API (src/appointments/actions.ts decides which).
 */
import { useCallback, useEffect, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { api, errorText } from '../api';
import { detectedTimeZone, formatDateTime, formatMoney, STAGE_CLASS } from '../format';
import { useLoad } from '../useLoad';
import { Problem } from './Problem';
import { useStaff } from './session';
import type { CardResponse, Extras, MessageEntry } from './appointment-types';
import { InvoiceRow } from './InvoiceRow';
import { FilesPanel } from './FilesPanel';
import { AppointmentActions } from './AppointmentActions';
import { CancelDialog } from './CancelDialog';
import { DeliverForm } from './DeliverForm';
import { FeedbackPanel } from './FeedbackPanel';
import { MembershipPanel } from './MembershipPanel';
import { CHANNEL_WORDS, MessageText } from './MessageText';
import { MessageStatus, ReachabilityList } from './MessageStatus';
import { SeriesPanel } from './SeriesPanel';
import { ConversationPanel } from './ConversationPanel';
import { RescheduleForm } from './RescheduleForm';
import { TimelineTable } from './TimelineTable';

export function AppointmentPage() {
  const { id = '' } = useParams();
  const me = useStaff();
  const [actionError, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // Dragged on the calendar: `?moveTo=<instant>&staffId=&staffName=` opens the reschedule form there.
  const [params] = useSearchParams();
  const dragged = draggedSlot(params);
  const [panel, setPanel] = useState<'none' | 'reschedule' | 'cancel'>(dragged ? 'reschedule' : 'none');
  const timeZone = detectedTimeZone();

  // The card, its extras (tasks, invoices, payments, membership) and its messages; a change reloads all three.
  const card = useLoad<CardResponse>(`/api/appointments/${id}?${new URLSearchParams({ timeZone })}`);
  const { data: extras, reload: reloadExtras } = useLoad<Extras>(`/api/admin/appointments/${id}/extras`);
  const loadedMessages = useLoad<{ messages: MessageEntry[] }>(`/api/appointments/${id}/messages`);
  const { data, reload: reloadCard } = card;
  const { reload: reloadMessages } = loadedMessages;
  const messages = loadedMessages.data?.messages ?? null;
  const error = actionError ?? card.error;
  const load = useCallback(() => {
    reloadCard();
    reloadExtras();
    reloadMessages();
  }, [reloadCard, reloadExtras, reloadMessages]);
  useEffect(() => {
    if (data) document.title = `${data.appointment.contact.name} — ${data.appointment.service.name}`;
  }, [data]);

  async function act(path: string, body: unknown, done: string) {
    setError(null);
    setNotice(null);
    try {
      await api('POST', path.startsWith('/') ? path : `/api/appointments/${id}/${path}`, body);
      setNotice(done);
      setPanel('none');
      load();
      return true;
    } catch (e) {
      setError(errorText(e));
      return false;
    }
  }

  if (!data) return error ? <Problem error={error} /> : <p>Loading…</p>;
  const a = data.appointment;
  const { progress, actions } = data;
  const deliverTask = extras?.tasks.find((t) => t.kind === 'deliver_service' && t.status === 'open');
  const channel = me.role === 'technician' ? 'in_person' : 'admin';

  return (
    <>
      <h1>
        {a.contact.name} — {a.service.name}
      </h1>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <Problem error={error} />
      {a.contact.notes.trim() && (
        <p className="contact-notes" data-testid="contact-notes">
          <strong>Contact notes:</strong> {a.contact.notes}
        </p>
      )}
      <div className="card-grid">
        <section className="panel" aria-label="Appointment">
          <dl className="details">
            <dt>When</dt>
            <dd data-testid="appointment-when">{formatDateTime(a.startsAt, timeZone)}</dd>
            <dt>Staff</dt>
            <dd>{a.staff.name}</dd>
            <dt>Service</dt>
            <dd>{a.service.name}</dd>
            <dt>
              {a.invoice
                ? `Invoice #${a.invoice.number}`
                : progress.price.basis === 'invoiced'
                  ? 'Invoice total'
                  : 'Price'}
            </dt>
            <dd data-testid="appointment-price">
              {formatMoney(progress.price.amountMinor, progress.price.currency)}
              {progress.price.basis === 'hourly' && ` per hour, in ${a.billing.incrementMinutes}-minute steps`}
              {a.invoice ? ` · ${a.invoice.status}` : ''}
              {a.invoice && a.invoice.balanceMinor > 0 && a.invoice.status !== 'void'
                ? ` · ${formatMoney(a.invoice.balanceMinor, progress.price.currency)} due`
                : ''}
            </dd>
            <dt>Stage</dt>
            <dd>
              <span
                className={`appt ${STAGE_CLASS[progress.stage] ?? ''}`}
                style={{ display: 'inline-block', width: 'auto' }}
                data-testid="appointment-stage"
              >
                {progress.stage}
              </span>
            </dd>
            <dt>Status</dt>
            <dd data-testid="appointment-status">{a.status}</dd>
            {a.billing.pricing === 'hourly' && (
              <>
                <dt>Billable time</dt>
                <dd>{extras?.billableMinutes != null ? hm(extras.billableMinutes) : '—'}</dd>
              </>
            )}
            <InvoiceRow extras={extras} />
            {extras?.membership && (
              <>
                <dt>Membership</dt>
                <dd>{extras.membership.planName} (membership visit)</dd>
              </>
            )}
            <dt>Source</dt>
            <dd>{a.source}</dd>
            {a.cancelReason && (
              <>
                <dt>Reason</dt>
                <dd>{a.cancelReason}</dd>
              </>
            )}
          </dl>
          <p>
            <a href={a.temporalUrl} target="_blank" rel="noreferrer">
              Open the workflow in Temporal Web UI
            </a>
          </p>
        </section>
        <section className="panel" aria-label="Contact">
          <h2>Contact</h2>
          <p>
            <strong>{a.contact.name}</strong>
            <br />
            <a href={`mailto:${a.contact.email}`}>{a.contact.email}</a>
            <br />
            {a.contact.phone && <a href={`tel:${a.contact.phone}`}>{a.contact.phone}</a>}
          </p>
          {a.contact.reachability && <ReachabilityList reachability={a.contact.reachability} timeZone={timeZone} />}
          {a.clientNote && <p>Customer&apos;s note: {a.clientNote}</p>}
          {me.role !== 'technician' && <Link to={`/admin/contacts/${a.contact.id}`}>Contact history</Link>}
          <h2>Open tasks</h2>
          <ul>
            {extras?.tasks
              .filter((t) => t.status === 'open')
              .map((t) => (
                <li key={t.id}>
                  <Link to="/admin/tasks">{t.title}</Link>
                </li>
              ))}
          </ul>
          {extras?.tasks.every((t) => t.status !== 'open') && <p>None.</p>}
        </section>
        {extras?.membership && <MembershipPanel membership={extras.membership} timeZone={timeZone} />}
        {extras?.feedback && <FeedbackPanel feedback={extras.feedback} timeZone={timeZone} />}
        {extras?.files && <FilesPanel files={extras.files} timeZone={timeZone} />}
        <SeriesPanel appointmentId={id} timeZone={timeZone} />
        <ConversationPanel appointmentId={id} timeZone={timeZone} />
      </div>

      <AppointmentActions
        actions={actions}
        channel={channel}
        act={act}
        onReschedule={() => setPanel(panel === 'reschedule' ? 'none' : 'reschedule')}
        onCancel={() => setPanel('cancel')}
      />
      {actions.deliver.open && deliverTask && (
        <section className="panel" aria-labelledby="deliver-heading">
          <h2 id="deliver-heading">Record the service as delivered</h2>
          <DeliverForm
            task={{ id: deliverTask.id, appointmentId: a.id }}
            terms={a.billing}
            confirm={actions.deliver.confirm}
            onSubmit={(form) =>
              act(`/api/tasks/${deliverTask.id}/complete`, { form, channel }, 'Service delivered. The invoice is open.')
            }
          />
        </section>
      )}
      {panel === 'reschedule' && actions.reschedule.open && (
        <RescheduleForm
          appointment={a}
          timeZone={timeZone}
          initialSlot={dragged}
          onDone={() => {
            setError(null);
            setNotice('Rescheduled. The customer is told by the workflow.');
            setPanel('none');
            load();
          }}
        />
      )}
      <CancelDialog
        open={panel === 'cancel'}
        onClose={() => setPanel('none')}
        onSubmit={(body) => act('cancel', body, 'Cancelled.')}
      />

      <TimelineTable
        timeZone={timeZone}
        rows={[
          ...data.timeline.map((t, i) => ({
            key: `t${i}`,
            at: t.occurred_at,
            what: t.summary,
            who: t.actor,
            channel: t.channel,
          })),
          ...(extras?.payments ?? []).map((p) => ({
            key: p.id,
            at: p.createdAt,
            what: `Payment attempt ${p.attempt}: ${p.status} ${formatMoney(p.amountMinor, p.currency)}${p.declineCode ? ` (${p.declineCode})` : ''}`,
            who: 'system',
            channel: 'card',
          })),
        ]}
      />
      <h2 id="messages-heading">Messages</h2>
      <table aria-labelledby="messages-heading" data-testid="appointment-messages" className="stack-on-phone">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Message</th>
            <th scope="col">To</th>
            <th scope="col">Delivery status</th>
          </tr>
        </thead>
        <tbody>
          {(messages ?? data.messages).map((m) => (
            <tr key={m.id} data-message-id={m.id}>
              <td>{formatDateTime(m.created_at, timeZone)}</td>
              <td>
                {CHANNEL_WORDS[m.channel] ?? m.channel}:{' '}
                <MessageText channel={m.channel} subject={m.subject} body={m.body} />
              </td>
              <td>{m.recipient}</td>
              <td>
                <MessageStatus status={m.status} />
                {m.error && <div className="hint">{m.error}</div>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {(messages ?? data.messages).length === 0 && <p>No messages yet.</p>}
    </>
  );
}

function draggedSlot(params: URLSearchParams) {
  const startsAt = params.get('moveTo');
  const staffId = params.get('staffId');
  if (!startsAt || !staffId || !Number.isFinite(Date.parse(startsAt))) return undefined;
  return { startsAt, endsAt: startsAt, staffId, staffName: params.get('staffName') ?? '', label: '', localTime: '' };
}

function hm(minutes: number): string {
  return `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;
}
