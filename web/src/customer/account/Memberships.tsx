/** The customer's memberships: visits left, certificate number, validity, book a visit. */
import { useEffect, useState } from 'react';
import { api, errorText } from '../../api';
import { formatDateTime } from '../../format';
import type { PortalMembership } from './types';

export function Memberships() {
  const [memberships, setMemberships] = useState<PortalMembership[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<{ memberships: PortalMembership[] }>('GET', '/api/portal/memberships')
      .then((r) => setMemberships(r.memberships))
      .catch((e: unknown) => setError(errorText(e)));
  }, []);
  return (
    <>
      <h1>Your memberships</h1>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {memberships?.length === 0 && <p>No memberships.</p>}
      <ul className="account-list">
        {memberships?.map((m) => (
          <li key={m.id}>
            <h3>{m.plan.name ?? 'Membership'}</h3>
            <p>
              Certificate <strong>{m.certificateNumber}</strong> — {m.stage}
            </p>
            <p>
              {m.visits.total === null ? 'Unlimited visits' : `${m.visits.left ?? 0} of ${m.visits.total} visits left`};
              valid until {formatDateTime(m.validUntil, m.timeZone)}
            </p>
            <div className="account-actions">
              <a href={`/book?certificate=${encodeURIComponent(m.certificateNumber)}`}>Book a visit</a>
              <span>{m.plan.services.map((s) => s.name).join(', ')}</span>
            </div>
          </li>
        ))}
      </ul>
    </>
  );
}
