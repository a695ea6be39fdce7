/** Waitlist (office roles): who waits for what, in order, and every offer made of a freed slot. */
import { Link } from 'react-router-dom';
import { useLoad } from '../useLoad';
import { detectedTimeZone, formatDateTime } from '../format';

interface Entry {
  id: string;
  status: string;
  contactName: string;
  serviceName: string;
  staffName: string | null;
  fromDate: string;
  toDate: string;
  timeFrom: string;
  timeTo: string;
  source: string;
  appointmentId: string | null;
}
interface Offer {
  id: string;
  status: string;
  contactName: string;
  staffName: string;
  startsAt: string;
  offeredAt: string;
  holdUntil: string;
  appointmentId: string | null;
}

export function WaitlistPage() {
  const timeZone = detectedTimeZone();
  const { data, error } = useLoad<{ entries: Entry[]; offers: Offer[] }>('/api/admin/waitlist', 'Waitlist');
  return (
    <section>
      <h1>Waitlist</h1>
      {error && <p role="alert">{error}</p>}
      <h2>In line</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Customer</th>
            <th scope="col">Service</th>
            <th scope="col">When</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {data?.entries.map((e) => (
            <tr key={e.id}>
              <td>{e.contactName}</td>
              <td>
                {e.serviceName}
                {e.staffName ? ` with ${e.staffName}` : ''}
              </td>
              <td>
                {e.fromDate} – {e.toDate}, {e.timeFrom}–{e.timeTo}
              </td>
              <td>
                {e.appointmentId ? <Link to={`/admin/appointments/${e.appointmentId}`}>{e.status}</Link> : e.status}{' '}
                (via {e.source})
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Offers made</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Offered to</th>
            <th scope="col">Time</th>
            <th scope="col">Offered</th>
            <th scope="col">Outcome</th>
          </tr>
        </thead>
        <tbody>
          {data?.offers.map((o) => (
            <tr key={o.id}>
              <td>{o.contactName}</td>
              <td>
                {formatDateTime(o.startsAt, timeZone)} with {o.staffName}
              </td>
              <td>
                {formatDateTime(o.offeredAt, timeZone)} (held until {formatDateTime(o.holdUntil, timeZone)})
              </td>
              <td>{o.status}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
