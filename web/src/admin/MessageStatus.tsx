/** A message's delivery status, in words (the colour only repeats them), and a contact's reachability. */
import { formatDateTime } from '../format';

const STATUS_TEXT: Record<string, string> = {
  queued: 'Queued',
  sent: 'Sent',
  delivered: 'Delivered',
  bounced: 'Bounced',
  failed: 'Failed',
  suppressed: 'Suppressed',
};

export function MessageStatus({ status }: { status: string }) {
  return (
    <span className={`status status-${status}`} data-status={status}>
      {STATUS_TEXT[status] ?? status}
    </span>
  );
}

export interface Reachability {
  smsOptIn: boolean;
  smsOptedOut: { at: string; source: string | null } | null;
  smsFailed: { at: string; reason: string | null } | null;
  emailBounced: { at: string; reason: string | null } | null;
}

/** Where messages can reach the contact, as the server recorded it (opt-outs, failed number, bounces). */
export function ReachabilityList({ reachability, timeZone }: { reachability: Reachability; timeZone: string }) {
  const r = reachability;
  return (
    <ul aria-label="Reachability" data-testid="reachability">
      <li>
        SMS:{' '}
        {r.smsOptedOut
          ? `opted out ${formatDateTime(r.smsOptedOut.at, timeZone)}${r.smsOptedOut.source ? ` (source: ${r.smsOptedOut.source})` : ''}`
          : r.smsOptIn
            ? 'opted in'
            : 'not opted in'}
      </li>
      {r.smsFailed && (
        <li>
          Number failed {formatDateTime(r.smsFailed.at, timeZone)}
          {r.smsFailed.reason ? `: ${r.smsFailed.reason}` : ''} — no more SMS until it is fixed
        </li>
      )}
      <li>
        Email:{' '}
        {r.emailBounced
          ? `bounced ${formatDateTime(r.emailBounced.at, timeZone)}${r.emailBounced.reason ? `: ${r.emailBounced.reason}` : ''}`
          : 'no bounces'}
      </li>
    </ul>
  );
}
