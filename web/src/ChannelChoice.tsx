/**
 * A contact's message channels (issue 16), the same small form in the portal profile and on the staff
 * contact page: the preferred text channel besides email and the WhatsApp opt-in. The server records
 * the time and source of each change (src/contacts/channels.ts).
 */
import { type SubmitEvent, useState } from 'react';
import type { channelsView } from '../../src/contacts/channels';
import type { PreferredChannel } from '../../src/db/schema';
import { api, ApiError, errorText } from './api';
import type { Wire } from './wire';

export type Channels = Wire<ReturnType<typeof channelsView>>;

const CHOICES: Array<[PreferredChannel | '', string]> = [
  ['', 'Not chosen (text messages when opted in)'],
  ['email', 'Email only'],
  ['sms', 'Text messages (SMS)'],
  ['whatsapp', 'WhatsApp'],
];

export function ChannelChoice({
  initial,
  path,
  who,
}: {
  initial: Channels;
  /** PATCH target: `/api/portal/profile` or `/api/admin/contacts/{id}/channels`. */
  path: string;
  /** "I agree" (customer) or "The customer agrees" (staff). */
  who: string;
}) {
  const [preferred, setPreferred] = useState<PreferredChannel | ''>(initial.preferredChannel ?? '');
  const [whatsapp, setWhatsapp] = useState(initial.whatsapp.optIn);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function save(event: SubmitEvent) {
    event.preventDefault();
    setStatus(null);
    setError(null);
    try {
      const r = await api<{ changed: string[] }>('PATCH', path, {
        ...(preferred ? { preferredChannel: preferred } : {}),
        whatsappOptIn: whatsapp,
      });
      setStatus(r.changed.length ? 'Message channels saved.' : 'Nothing to change.');
    } catch (e) {
      setError(e instanceof ApiError && e.fields[0] ? e.fields[0].message : errorText(e));
    }
  }

  return (
    <form onSubmit={(e) => void save(e)} aria-label="Message channels">
      <label htmlFor="channel-preferred">Preferred channel</label>
      <select
        id="channel-preferred"
        value={preferred}
        onChange={(e) => setPreferred(e.target.value as PreferredChannel | '')}
      >
        {CHOICES.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
      <label>
        <input type="checkbox" checked={whatsapp} onChange={(e) => setWhatsapp(e.target.checked)} /> {who} to WhatsApp
        messages about appointments
      </label>
      {initial.whatsapp.optIn && initial.whatsapp.optedInAt && (
        <p className="hint">Opted in to WhatsApp on {new Date(initial.whatsapp.optedInAt).toLocaleString()}.</p>
      )}
      <button type="submit">Save channels</button>
      {status && (
        <p className="notice" role="status">
          {status}
        </p>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </form>
  );
}
