/** Settings → Services (office roles): every service with its duration, price and billing; links to the editor. */
import { Link } from 'react-router-dom';
import { formatMoney } from '../format';
import { useLoad } from '../useLoad';
import type { Service } from './service-form';
import { SettingsNav } from './SettingsNav';

export function ServicesPage() {
  const { data, error } = useLoad<{ services: Service[] }>('/api/admin/services', 'Services');
  return (
    <>
      <h1>Services and policies</h1>
      <SettingsNav />
      <p className="hint">
        Changes apply to new bookings and the free slots at once. Booked appointments keep the terms they were booked
        with: times, price, reminders and billing (rate, increment, tax, policy).
      </p>
      <p>
        <Link to="/admin/settings/services/new">New service</Link>
      </p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {!data && !error && <p>Loading…</p>}
      {data && (
        <table>
          <caption>Services</caption>
          <thead>
            <tr>
              <th scope="col">Service</th>
              <th scope="col">Duration</th>
              <th scope="col">Price</th>
              <th scope="col">Billing</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {data.services.map((s) => (
              <tr key={s.id}>
                <td>
                  <Link to={`/admin/settings/services/${s.id}`}>{s.name}</Link>
                </td>
                <td>{s.durationMinutes} min</td>
                <td>
                  {s.pricing === 'hourly'
                    ? `${formatMoney(s.hourlyRateMinor, s.currency)} per hour`
                    : formatMoney(s.priceMinor, s.currency)}
                </td>
                <td>{s.billingPolicy === 'manual' ? 'staff confirm the charge' : 'automatic'}</td>
                <td>{s.active ? 'offered' : 'archived'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
