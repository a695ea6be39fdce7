/**
 * Signing in to the portal without a password: a one-time link by email, or a six-digit code by SMS;
 * and the landing pages of an emailed link (`/account/link#<token>`) and of a manage link
 * (`/account/from/<token>`), which exchange the token for a session by POST (a mail scanner that
 * opens the link does not use it up).
 */
import { type SubmitEvent, useEffect, useRef, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { api, errorText, setCsrfToken } from '../../api';
import { nextPage } from './next-page';
import type { PortalCustomer } from './types';

type Session = { customer: PortalCustomer; csrfToken: string };

export function SignIn({ onSignedIn }: { onSignedIn: (s: Session) => void }) {
  const [by, setBy] = useState<'email' | 'sms'>('email');
  const [address, setAddress] = useState('');
  const [sent, setSent] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function ask(event: SubmitEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = by === 'email' ? { email: address.trim() } : { phone: address.trim() };
      const answer = await api<{ message: string }>('POST', '/api/portal/sign-in', body);
      setSent(answer.message);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  async function useCode(event: SubmitEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await api<Session>('POST', '/api/portal/sign-in/code', { phone: address.trim(), code: code.trim() }));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="customer account">
      <h1>Your account</h1>
      <p>See your appointments, invoices and memberships. No password: we send you a link or a code.</p>
      <div className="account-choice" role="group" aria-label="Sign in by">
        <button type="button" aria-pressed={by === 'email'} onClick={() => (setBy('email'), setSent(null))}>
          Email me a link
        </button>
        <button type="button" aria-pressed={by === 'sms'} onClick={() => (setBy('sms'), setSent(null))}>
          Text me a code
        </button>
      </div>
      <form onSubmit={ask}>
        <label htmlFor="sign-in-address">{by === 'email' ? 'Email' : 'Mobile number (e.g. +12125550123)'}</label>
        <input
          id="sign-in-address"
          type={by === 'email' ? 'email' : 'tel'}
          autoComplete={by === 'email' ? 'email' : 'tel'}
          required
          value={address}
          onChange={(e) => setAddress(e.target.value)}
        />
        <button type="submit" className="primary" disabled={busy}>
          {by === 'email' ? 'Send me a sign-in link' : 'Send me a code'}
        </button>
      </form>
      {sent && (
        <p className="notice" role="status">
          {sent}
        </p>
      )}
      {sent && by === 'sms' && (
        <form onSubmit={useCode}>
          <label htmlFor="sign-in-code">Six-digit code</label>
          <input
            id="sign-in-code"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9]{6}"
            required
            value={code}
            onChange={(e) => setCode(e.target.value)}
          />
          <button type="submit" className="primary" disabled={busy}>
            Sign in
          </button>
        </form>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </main>
  );
}

/** `/account/link#<token>` (emailed) or `/account/from/<manage token>` (a message's manage link). */
export function TokenSignIn({ kind, onSignedIn }: { kind: 'link' | 'manage'; onSignedIn: (s: Session) => void }) {
  const { token: manageToken = '' } = useParams();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return; // the link works once: never send it twice (React's double effects)
    started.current = true;
    const token = kind === 'link' ? window.location.hash.slice(1) : manageToken;
    const path = kind === 'link' ? '/api/portal/sign-in/link' : '/api/portal/sign-in/manage-link';
    const next = new URLSearchParams(window.location.search).get('next');
    api<Session & { appointmentId?: string }>('POST', path, { token })
      .then((session) => {
        setCsrfToken(session.csrfToken);
        onSignedIn(session);
        void navigate(nextPage(next, session.appointmentId), { replace: true });
      })
      .catch((e: unknown) => setError(errorText(e)));
  }, [kind, manageToken, navigate, onSignedIn]);
  return (
    <main className="customer account">
      <h1>Signing you in…</h1>
      {error && (
        <>
          <p role="alert" className="error">
            {error}
          </p>
          <p>
            <a href="/account">Ask for a new sign-in link or code</a>
          </p>
        </>
      )}
    </main>
  );
}
