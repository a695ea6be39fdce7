/**
 * Details given with a booking for a known contact wait for the customer's word (issue 12): shown only
 * on a link sent to the contact's own email or phone, with "Save these details" and "Not me — keep my
 * details" (POST /api/manage/{token}/details).
 */
import { useState } from 'react';
import { api, errorText } from '../api';

export interface PendingContactDetails {
  name?: string;
  phone?: string;
  smsOptIn?: boolean;
  address?: string;
  timeZone?: string;
}

const LABELS: Record<keyof PendingContactDetails, string> = {
  name: 'Name',
  phone: 'Phone',
  smsOptIn: 'Text messages',
  address: 'Address',
  timeZone: 'Time zone',
};

export function PendingDetails(props: { token: string; details: PendingContactDetails; onSettled: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function settle(confirm: boolean) {
    setBusy(true);
    setError(null);
    try {
      await api('POST', `/api/manage/${encodeURIComponent(props.token)}/details`, { confirm });
      props.onSettled();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }
  const entries = Object.entries(props.details) as Array<[keyof PendingContactDetails, string | boolean]>;
  return (
    <aside className="customer notice" aria-label="Details to confirm">
      <h2>Update your details?</h2>
      <p>This booking gave new details for you. Nothing changes until you confirm them.</p>
      <dl className="details">
        {entries.map(([key, value]) => (
          <div key={key}>
            <dt>{LABELS[key]}</dt>
            <dd>{value === true ? 'Yes, send me texts' : String(value)}</dd>
          </div>
        ))}
      </dl>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <button type="button" disabled={busy} onClick={() => void settle(true)}>
        Save these details
      </button>{' '}
      <button type="button" className="secondary" disabled={busy} onClick={() => void settle(false)}>
        Not me — keep my details
      </button>
    </aside>
  );
}
