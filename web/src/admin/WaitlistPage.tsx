/**
 * Waitlist (office roles): who waits for what, in order (staff can take someone off the line), and
 * every offer made of a freed slot.
 */
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api, errorText } from '../api';
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
  const { data, error, reload } = useLoad<{ entries: Entry[]; offers: Offer[] }>('/api/admin/waitlist', 'Waitlist');
  const [problem, setProblem] = useState<string | null>(null);
  const remove = (e: Entry) =>
    api('DELETE', `/api/admin/waitlist/${e.id}`)
      .then(() => reload())
      .catch((err: unknown) => setProblem(errorText(err)));
  return (
    <section>
      <h1>Waitlist</h1>
      {(problem ?? error) && <p role="alert">{problem ?? error}</p>}
      <h2 id="waitlist-in-line">In line</h2>
      <table aria-labelledby="waitlist-in-line">
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
                {e.status === 'waiting' && (
                  <>
                    {' '}
                    <button
                      type="button"
                      onClick={() => void remove(e)}
                      aria-label={`Take ${e.contactName} off the waitlist`}
                    >
                      Remove
                    </button>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2 id="waitlist-offers">Offers made</h2>
      <table aria-labelledby="waitlist-offers">
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
