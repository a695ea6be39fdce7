/**
 * The appointment card: contact, service, staff, time, price, stage, status, billable hours, invoice,
 * membership, open tasks, the timeline (actor and channel) and messages, a link to the workflow in the
 * Temporal Web UI; and the actions, each a workflow update through the staff API.
 */
import { type SubmitEvent, useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api, errorText } from '../api';
import { Dialog } from '../Dialog';
import { detectedTimeZone, formatDateTime, formatMoney, STAGE_CLASS } from '../format';
import { useStaff } from './AdminApp';
import { MessageStatus, type Reachability, ReachabilityList } from './MessageStatus';
import { FeedbackPanel, type StaffFeedback } from './FeedbackPanel';
import { ConversationPanel } from './ConversationPanel';
import { RescheduleForm } from './RescheduleForm';
import { RequestedBy } from './RequestedBy';
import { TimelineTable } from './TimelineTable';

interface AppointmentView {
  id: string;
  workflowId: string;
  temporalUrl: string;
  status: string;
  stage: string;
  startsAt: string;
  endsAt: string;
  timeZone: string;
  source: string;
  price: { amountMinor: number; currency: string };
  clientNote: string;
  publicNotes: string;
  cancelReason: string | null;
  service: { id: string; name: string };
  staff: { id: string; name: string };
  contact: { id: string; name: string; email: string; phone: string | null; reachability?: Reachability };
}

interface TimelineEntry {
  occurred_at: string;
  kind: string;
  actor: string;
  channel: string;
  summary: string;
}

interface MessageEntry {
  id: string;
  channel: string;
  template: string;
  recipient: string;
  subject: string | null;
  status: string;
  provider: string;
  error: string | null;
  created_at: string;
  sent_at: string | null;
  updated_at: string;
}

interface Extras {
  billableMinutes: number | null;
  tasks: Array<{ id: string; kind: string; title: string; status: string; dueAt: string | null }>;
  invoices: Array<{ id: string; number: number; status: string; totalMinor: number; currency: string }>;
  payments: Array<{
    id: string;
    attempt: number;
    status: string;
    amountMinor: number;
    currency: string;
    declineCode: string | null;
    createdAt: string;
  }>;
  membership: {
    id: string;
    certificateNumber: string;
    planName: string;
    stage: string;
    visitsTotal: number | null;
    visitsUsed: number;
    visitsLeft: number | null;
    visitsBooked: number;
    validUntil: string;
  } | null;
  feedback?: StaffFeedback | null;
}

const ACTIVE = new Set(['scheduled', 'confirmed', 'rescheduled', 'in_progress']);

export function AppointmentPage() {
  const { id = '' } = useParams();
  const me = useStaff();
  const [data, setData] = useState<{
    appointment: AppointmentView;
    timeline: TimelineEntry[];
    messages: MessageEntry[];
  } | null>(null);
  const [extras, setExtras] = useState<Extras | null>(null);
  const [messages, setMessages] = useState<MessageEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [panel, setPanel] = useState<'none' | 'reschedule' | 'cancel'>('none');
  const timeZone = detectedTimeZone();

  const load = useCallback(() => {
    api<{ appointment: AppointmentView; timeline: TimelineEntry[]; messages: MessageEntry[] }>(
      'GET',
      `/api/appointments/${id}`,
    )
      .then((r) => {
        setData(r);
        document.title = `${r.appointment.contact.name} — ${r.appointment.service.name}`;
      })
      .catch((e: unknown) => setError(errorText(e)));
    api<Extras>('GET', `/api/admin/appointments/${id}/extras`)
      .then(setExtras)
      .catch(() => undefined);
    api<{ messages: MessageEntry[] }>('GET', `/api/appointments/${id}/messages`)
      .then((r) => setMessages(r.messages))
      .catch(() => undefined);
  }, [id]);
  useEffect(load, [load]);

  async function act(path: string, body: unknown, done: string) {
    setError(null);
    setNotice(null);
    try {
      await api('POST', `/api/appointments/${id}/${path}`, body);
      setNotice(done);
      setPanel('none');
      load();
      return true;
    } catch (e) {
      setError(errorText(e));
      return false;
    }
  }

  if (!data)
    return error ? (
      <p role="alert" className="error">
        {error}
      </p>
    ) : (
      <p>Loading…</p>
    );
  const a = data.appointment;
  const active = ACTIVE.has(a.status);
  const invoice = extras?.invoices[extras.invoices.length - 1];

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
      {error && (
        <p role="alert" className="error">
          {error}
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
            <dt>Price</dt>
            <dd>{formatMoney(a.price.amountMinor, a.price.currency)}</dd>
            <dt>Stage</dt>
            <dd>
              <span className={`appt ${STAGE_CLASS[a.stage] ?? ''}`} style={{ display: 'inline-block', width: 'auto' }}>
                {a.stage}
              </span>
            </dd>
            <dt>Status</dt>
            <dd data-testid="appointment-status">{a.status}</dd>
            <dt>Billable hours</dt>
            <dd>{extras?.billableMinutes != null ? (extras.billableMinutes / 60).toFixed(2) : '—'}</dd>
            <dt>Invoice</dt>
            <dd>
              {invoice
                ? `#${invoice.number} · ${invoice.status} · ${formatMoney(invoice.totalMinor, invoice.currency)}`
                : '—'}
            </dd>
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
                <dt>Cancel reason</dt>
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
          {a.clientNote && <p>Note: {a.clientNote}</p>}
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
        {extras?.membership && (
          <section className="panel" aria-labelledby="membership-heading" data-testid="membership">
            <h2 id="membership-heading">Membership</h2>
            <dl className="details">
              <dt>Plan</dt>
              <dd>{extras.membership.planName}</dd>
              <dt>Certificate</dt>
              <dd data-testid="certificate-number">{extras.membership.certificateNumber}</dd>
              <dt>Visits left</dt>
              <dd data-testid="visits-left">
                {extras.membership.visitsLeft === null
                  ? 'Unlimited'
                  : `${extras.membership.visitsLeft} of ${extras.membership.visitsTotal}`}
                {extras.membership.visitsBooked > 0 && ` · ${extras.membership.visitsBooked} booked`}
              </dd>
              <dt>Stage</dt>
              <dd>{extras.membership.stage}</dd>
              <dt>Valid until</dt>
              <dd>{formatDateTime(extras.membership.validUntil, timeZone)}</dd>
            </dl>
            {me.role !== 'technician' && (
              <p>
                <Link to={`/admin/memberships/${extras.membership.id}`}>Open the membership card</Link>
              </p>
            )}
          </section>
        )}
        {extras?.feedback && <FeedbackPanel feedback={extras.feedback} timeZone={timeZone} />}
        <ConversationPanel appointmentId={id} timeZone={timeZone} />
      </div>

      {active && (
        <div className="actions">
          <button type="button" onClick={() => setPanel(panel === 'reschedule' ? 'none' : 'reschedule')}>
            Reschedule
          </button>
          <button type="button" onClick={() => act('start', { channel: 'admin' }, 'Service started.')}>
            Start service
          </button>
          <button type="button" onClick={() => act('no-show', { channel: 'admin' }, 'Marked as a no-show.')}>
            Mark no-show
          </button>
          <button type="button" className="danger" onClick={() => setPanel('cancel')}>
            Cancel appointment
          </button>
        </div>
      )}
      {panel === 'reschedule' && (
        <RescheduleForm
          appointment={a}
          timeZone={timeZone}
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
      <table aria-labelledby="messages-heading" data-testid="appointment-messages">
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
                {m.channel} · {m.template}
                {m.subject ? ` — ${m.subject}` : ''}
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

function CancelDialog(props: {
  open: boolean;
  onClose: () => void;
  onSubmit: (body: Record<string, unknown>) => Promise<boolean>;
}) {
  const [reason, setReason] = useState('');
  const [channel, setChannel] = useState('phone');
  const [error, setError] = useState<string | null>(null);
  async function submit(event: SubmitEvent) {
    event.preventDefault();
    if (!reason.trim()) {
      setError('Give a reason for the cancellation.');
      return;
    }
    if (await props.onSubmit({ reason: reason.trim(), channel })) props.onClose();
    else props.onClose();
  }
  return (
    <Dialog open={props.open} title="Cancel this appointment?" onClose={props.onClose}>
      <form onSubmit={submit}>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <label htmlFor="cx-reason">Reason</label>
        <textarea id="cx-reason" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
        <RequestedBy id="cx-channel" value={channel} onChange={setChannel} />
        <div className="actions">
          <button type="button" onClick={props.onClose}>
            Keep it
          </button>
          <button type="submit" className="danger">
            Cancel appointment
          </button>
        </div>
      </form>
    </Dialog>
  );
}
