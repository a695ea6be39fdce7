/**
 * Settings → integrations (admin): what the connected platforms sent in (inbound deliveries: verified
 * or not, duplicate or not, outcome), and appointflow's own webhook subscriptions with their delivery
 * log (every attempt) and a replay button (a new delivery of the same event).
 */
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, errorText } from '../api';
import { detectedTimeZone, formatDateTime } from '../format';
import { useLoad } from '../useLoad';
import { SettingsNav } from './SettingsNav';

interface InboundDelivery {
  id: string;
  platform: string;
  vendor_event_id: string | null;
  received_at: string;
  verified: boolean;
  duplicate: boolean;
  event_type: string | null;
  external_id: string | null;
  appointment_id: string | null;
  outcome: string | null;
  error: string | null;
}

interface Subscription {
  id: string;
  url: string;
  description: string;
  events: string[];
  active: boolean;
  /** Null when the stored secret cannot be read with the configured keys (SECRETS_KEY / SECRETS_OLD_KEYS). */
  secretHint: string | null;
}

interface Delivery {
  id: string;
  event: { id: string; type: string; subject: { type: string; id: string } };
  target: string;
  replayOf: string | null;
  status: string;
  attemptCount: number;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  attempts: Array<{ attempt: number; at: string; ok: boolean; statusCode: number | null; error: string | null }>;
}

export function IntegrationsPage() {
  const timeZone = detectedTimeZone();
  const loadedInbound = useLoad<{ deliveries: InboundDelivery[] }>(
    '/api/integrations/deliveries?limit=50',
    'Integrations',
  );
  const loadedSubscriptions = useLoad<{ subscriptions: Subscription[] }>('/api/webhooks');
  const inbound = loadedInbound.data?.deliveries ?? null;
  const subscriptions = loadedSubscriptions.data?.subscriptions ?? null;
  const error = loadedInbound.error ?? loadedSubscriptions.error;
  return (
    <>
      <h1>Integrations</h1>
      <SettingsNav />
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <h2 id="inbound-heading">What platforms sent in</h2>
      {inbound && inbound.length === 0 && <p>Nothing has come in from a platform yet.</p>}
      {inbound && inbound.length > 0 && (
        <table aria-labelledby="inbound-heading">
          <thead>
            <tr>
              <th scope="col">Received</th>
              <th scope="col">Platform</th>
              <th scope="col">Event</th>
              <th scope="col">Signature</th>
              <th scope="col">Outcome</th>
            </tr>
          </thead>
          <tbody>
            {inbound.map((d) => (
              <tr key={d.id}>
                <td>{formatDateTime(d.received_at, timeZone)}</td>
                <td>{d.platform}</td>
                <td>
                  {d.event_type ?? '—'}
                  {d.appointment_id && (
                    <>
                      {' '}
                      (<Link to={`/admin/appointments/${d.appointment_id}`}>appointment</Link>)
                    </>
                  )}
                </td>
                <td>
                  {d.verified ? 'verified' : 'refused'}
                  {d.duplicate ? ', duplicate' : ''}
                </td>
                <td>
                  {d.outcome ?? '—'}
                  {d.error ? `: ${d.error}` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Webhook subscriptions</h2>
      {subscriptions && subscriptions.length === 0 && <p>No webhook subscriptions.</p>}
      {subscriptions?.map((s) => (
        <SubscriptionPanel key={s.id} subscription={s} timeZone={timeZone} />
      ))}
      {subscriptions && <AllDeliveries timeZone={timeZone} subscriptions={subscriptions} />}
    </>
  );
}

function SubscriptionPanel({ subscription: s, timeZone }: { subscription: Subscription; timeZone: string }) {
  const [log, setLog] = useState<Delivery[] | null>(null);
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const load = useCallback(() => {
    api<{ deliveries: Delivery[] }>('GET', `/api/webhooks/${s.id}/deliveries?limit=50`)
      .then((r) => setLog(r.deliveries))
      .catch((e: unknown) => setError(errorText(e)));
  }, [s.id]);
  useEffect(() => {
    if (open) load();
  }, [open, load]);
  async function replay(d: Delivery) {
    setError(null);
    setNotice(null);
    try {
      await api('POST', `/api/deliveries/${d.id}/replay`);
      setNotice(`Replaying ${d.event.type}: a new delivery was queued.`);
      load();
    } catch (e) {
      setError(errorText(e));
    }
  }
  const logId = `log-${s.id}`;
  return (
    <section className="panel" style={{ marginBottom: '1rem' }} aria-label={`Webhook ${s.url}`}>
      <h3>{s.url}</h3>
      <p>
        {s.description ? `${s.description} · ` : ''}events: {s.events.join(', ')} · {s.active ? 'active' : 'paused'} ·
        secret {s.secretHint ?? 'unreadable (check SECRETS_KEY)'}
      </p>
      <button type="button" aria-expanded={open} aria-controls={logId} onClick={() => setOpen(!open)}>
        {open ? 'Hide the delivery log' : 'Show the delivery log'}
      </button>
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
      {open && (
        <div id={logId}>
          {log && log.length === 0 && <p>Nothing delivered yet.</p>}
          {log && log.length > 0 && (
            <DeliveryTable deliveries={log} label={`Delivery log of ${s.url}`} timeZone={timeZone} onReplay={replay} />
          )}
        </div>
      )}
    </section>
  );
}

function DeliveryTable(props: {
  deliveries: Delivery[];
  label: string;
  timeZone: string;
  targetName?: (target: string) => string;
  onReplay: (d: Delivery) => void;
}) {
  return (
    <table aria-label={props.label}>
      <thead>
        <tr>
          <th scope="col">Created</th>
          <th scope="col">Event</th>
          {props.targetName && <th scope="col">Target</th>}
          <th scope="col">Status</th>
          <th scope="col">Attempts</th>
          <th scope="col">Action</th>
        </tr>
      </thead>
      <tbody>
        {props.deliveries.map((d) => (
          <tr key={d.id} data-delivery-id={d.id}>
            <td>{formatDateTime(d.createdAt, props.timeZone)}</td>
            <td>
              {d.event.type}
              {d.replayOf ? ' (replay)' : ''}
            </td>
            {props.targetName && <td>{props.targetName(d.target)}</td>}
            <td>
              {d.status}
              {d.lastStatusCode ? ` (HTTP ${d.lastStatusCode})` : ''}
              {d.lastError ? `: ${d.lastError}` : ''}
            </td>
            <td>
              <ol>
                {d.attempts.map((a) => (
                  <li key={a.attempt}>
                    {formatDateTime(a.at, props.timeZone)} — {a.ok ? 'ok' : 'failed'}
                    {a.statusCode ? ` (HTTP ${a.statusCode})` : ''}
                    {a.error ? `: ${a.error}` : ''}
                  </li>
                ))}
              </ol>
            </td>
            <td>
              <button
                type="button"
                onClick={() => props.onReplay(d)}
                aria-label={`Replay ${d.event.type} of ${formatDateTime(d.createdAt, props.timeZone)}`}
              >
                Replay
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Every outbound delivery (webhooks and calendar / CRM sync), newest first, with replay. */
function AllDeliveries({ timeZone, subscriptions }: { timeZone: string; subscriptions: Subscription[] }) {
  // A webhook target is `webhook:<subscription id>`: shown as the subscription's URL.
  const targetName = (target: string) =>
    subscriptions.find((s) => `webhook:${s.id}` === target)?.url ?? target.replace(/^webhook:/, 'webhook ');
  const [rows, setRows] = useState<Delivery[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const load = useCallback(() => {
    api<{ deliveries: Delivery[] }>('GET', '/api/deliveries?limit=50')
      .then((r) => setRows(r.deliveries))
      .catch((e: unknown) => setError(errorText(e)));
  }, []);
  useEffect(load, [load]);
  async function replay(d: Delivery) {
    setError(null);
    setNotice(null);
    try {
      await api('POST', `/api/deliveries/${d.id}/replay`);
      setNotice(`Replaying ${d.event.type} to ${targetName(d.target)}: a new delivery was queued.`);
      load();
    } catch (e) {
      setError(errorText(e));
    }
  }
  return (
    <section aria-labelledby="all-deliveries-heading">
      <h2 id="all-deliveries-heading">All outbound deliveries</h2>
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
      {rows && rows.length === 0 && <p>Nothing sent out yet.</p>}
      {rows && rows.length > 0 && (
        <DeliveryTable
          deliveries={rows}
          label="All outbound deliveries"
          timeZone={timeZone}
          targetName={targetName}
          onReplay={replay}
        />
      )}
    </section>
  );
}
