/**
 * The customer's profile: name, email, phone, address, notes for us, SMS on or off; and details
 * someone gave with a booking under this email, applied only if the customer confirms them.
 */
import { type SubmitEvent, useEffect, useState } from 'react';
import { api, ApiError, errorText } from '../../api';
import type { PendingDetails, PortalProfile } from './types';
import { ChannelChoice } from '../../ChannelChoice';

type Form = { name: string; email: string; phone: string; address: string; clientNotes: string; smsOptIn: boolean };

const formOf = (p: PortalProfile): Form => ({
  name: p.name,
  email: p.email,
  phone: p.phone ?? '',
  address: p.address ?? '',
  clientNotes: p.clientNotes,
  smsOptIn: p.sms.optIn,
});

export function Profile() {
  const [form, setForm] = useState<Form | null>(null);
  const [channels, setChannels] = useState<PortalProfile | null>(null);
  const [pending, setPending] = useState<PendingDetails[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});

  const load = () =>
    api<{ profile: PortalProfile; pendingDetails: PendingDetails[] }>('GET', '/api/portal/profile')
      .then((r) => {
        setForm(formOf(r.profile));
        setChannels(r.profile);
        setPending(r.pendingDetails);
      })
      .catch((e: unknown) => setError(errorText(e)));
  useEffect(() => {
    void load();
  }, []);

  async function save(event: SubmitEvent) {
    event.preventDefault();
    if (!form) return;
    setError(null);
    setNotice(null);
    setFieldErrors({});
    try {
      const r = await api<{ changed: string[]; profile: PortalProfile }>('PATCH', '/api/portal/profile', {
        name: form.name,
        email: form.email,
        phone: form.phone.trim() || null,
        address: form.address.trim() || null,
        clientNotes: form.clientNotes,
        smsOptIn: form.smsOptIn,
      });
      setForm(formOf(r.profile));
      setNotice(r.changed.length ? 'Saved.' : 'Nothing to change.');
    } catch (e) {
      if (e instanceof ApiError) setFieldErrors(Object.fromEntries(e.fields.map((f) => [f.field, f.message])));
      setError(errorText(e));
    }
  }

  async function settle(id: string, confirm: boolean) {
    try {
      await api('POST', `/api/portal/pending-details/${id}`, { confirm });
      await load();
    } catch (e) {
      setError(errorText(e));
    }
  }

  if (!form)
    return error ? (
      <p role="alert" className="error">
        {error}
      </p>
    ) : (
      <p>Loading…</p>
    );
  const field = (key: keyof Omit<Form, 'smsOptIn'>, label: string, type = 'text') => (
    <>
      <label htmlFor={`profile-${key}`}>{label}</label>
      <input
        id={`profile-${key}`}
        type={type}
        value={form[key]}
        aria-invalid={fieldErrors[key] ? true : undefined}
        onChange={(e) => setForm({ ...form, [key]: e.target.value })}
      />
    </>
  );
  return (
    <>
      <h1>Your profile</h1>
      {pending.map((p) => (
        <section key={p.id} className="notice" aria-label="Details waiting for you">
          <p>
            Someone booking with your email gave these details:{' '}
            {Object.entries(p.details)
              .map(([k, v]) => `${k}: ${String(v)}`)
              .join(', ')}
            .
          </p>
          <button type="button" onClick={() => void settle(p.id, true)}>
            Save these details
          </button>{' '}
          <button type="button" onClick={() => void settle(p.id, false)}>
            Not me
          </button>
        </section>
      ))}
      <form onSubmit={(e) => void save(e)}>
        {field('name', 'Name')}
        {field('email', 'Email', 'email')}
        {field('phone', 'Mobile number', 'tel')}
        {field('address', 'Address')}
        <label htmlFor="profile-clientNotes">Notes for us (gate code, preferences)</label>
        <textarea
          id="profile-clientNotes"
          rows={3}
          value={form.clientNotes}
          onChange={(e) => setForm({ ...form, clientNotes: e.target.value })}
        />
        <label>
          <input
            type="checkbox"
            checked={form.smsOptIn}
            onChange={(e) => setForm({ ...form, smsOptIn: e.target.checked })}
          />{' '}
          Text messages about my appointments
        </label>
        <button type="submit" className="primary">
          Save
        </button>
      </form>
      {channels && <ChannelChoice initial={channels} path="/api/portal/profile" who="I agree" />}
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
    </>
  );
}
