/** Staff sign-in (email and password) and sign-out; the session's CSRF token goes with later changes. */
import { type SubmitEvent, useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api, ApiError, errorText, setCsrfToken } from '../api';
import type { Staff } from './session';

export function SignIn({ onSignedIn }: { onSignedIn: (staff: Staff) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    document.title = 'Sign in — Maple Street';
  }, []);
  async function submit(event: SubmitEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const s = await api<{ staff: Staff; csrfToken: string }>('POST', '/api/session', { email, password });
      setCsrfToken(s.csrfToken);
      onSignedIn(s.staff);
    } catch (e) {
      setError(e instanceof ApiError && e.status === 400 ? 'Enter your email and password.' : errorText(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <main className="login">
      <h1>Staff sign-in</h1>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <form onSubmit={submit}>
        <label htmlFor="email">Email</label>
        <input
          id="email"
          type="email"
          autoComplete="username"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <label htmlFor="password">Password</label>
        <input
          id="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            Sign in
          </button>
        </div>
      </form>
    </main>
  );
}

export function SignOut({ onSignedOut }: { onSignedOut: () => void }) {
  const navigate = useNavigate();
  return (
    <button
      type="button"
      onClick={async () => {
        await api('DELETE', '/api/session').catch(() => undefined);
        setCsrfToken(undefined);
        onSignedOut();
        void navigate('/admin');
      }}
    >
      Sign out
    </button>
  );
}
