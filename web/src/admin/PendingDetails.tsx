/**
 * Details a public booking under this customer's email asked to change (issue 12): they wait for the
 * customer's own confirmation from their email or phone, so the front desk sees them here instead of
 * wondering why the phone number did not change. Nothing when none wait.
 */
import { Link } from 'react-router-dom';
import type { PendingContactDetails } from '../../../src/db/schema';
import { formatDateTime } from '../format';

export interface PendingRequest {
  id: string;
  appointmentId: string;
  details: PendingContactDetails;
  givenAt: string;
}

const LABELS: Record<keyof PendingContactDetails, string> = {
  name: 'name',
  phone: 'phone',
  smsOptIn: 'SMS',
  address: 'address',
  timeZone: 'time zone',
};

function changes(d: PendingContactDetails): string {
  return (Object.keys(LABELS) as Array<keyof PendingContactDetails>)
    .filter((k) => d[k] !== undefined)
    .map((k) => `${LABELS[k]} ${k === 'smsOptIn' ? 'opt-in' : `“${String(d[k])}”`}`)
    .join(', ');
}

export function PendingDetails({ requests, timeZone }: { requests: PendingRequest[]; timeZone: string }) {
  if (requests.length === 0) return null;
  return (
    <section className="notice" aria-labelledby="pending-details-heading">
      <h2 id="pending-details-heading">Waiting for the customer to confirm</h2>
      <p className="hint">
        Given with a booking on the public page. The customer confirms from the link sent to their own email or phone;
        until then the details above stay. Check with them before changing anything by hand.
      </p>
      <ul>
        {requests.map((r) => (
          <li key={r.id}>
            {changes(r.details)} — given {formatDateTime(r.givenAt, timeZone)} with{' '}
            <Link to={`/admin/appointments/${r.appointmentId}`}>this booking</Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
