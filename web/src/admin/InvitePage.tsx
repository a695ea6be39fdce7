/**
 * The invitation link's page (`/admin/invite/<token>`): the invited staff member sets their password,
 * then signs in. A used, expired or replaced link says so in words.
 */
import { type SubmitEvent, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, ApiError, errorText } from '../api';

export function InvitePage({ token }: { token: string }) {
  const [invitation, setInvitation] = useState<{ name: string; email: string } | null>(null);
  const [dead, setDead] = useState<string | null>(null);
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  useEffect(() => {
    document.title = 'Set your password — Maple Street';
    api<{ invitation: { name: string; email: string } }>('GET', `/api/staff-invitations/${encodeURIComponent(token)}`)
      .then((r) => setInvitation(r.invitation))
      .catch((e: unknown) => setDead(errorText(e)));
  }, [token]);
  async function submit(event: SubmitEvent) {
    event.preventDefault();
    setProblem(null);
    if (password !== repeat) {
      setProblem('The two passwords are not the same.');
      return;
    }
    try {
      await api('POST', `/api/staff-invitations/${encodeURIComponent(token)}`, { password });
      setDone(true);
    } catch (e) {
      setProblem(
        e instanceof ApiError && e.fields[0]?.field === 'password'
          ? `The password needs ${e.fields[0].message}.`
          : errorText(e),
      );
    }
  }
  return (
    <main className="login">
      <h1>Set your password</h1>
      {dead && (
        <p role="alert" className="error">
          {dead}
        </p>
      )}
      {done && (
        <p role="status" className="notice">
          Your password is set. <Link to="/admin">Sign in</Link> with {invitation?.email}.
        </p>
      )}
      {invitation && !done && (
        <form onSubmit={submit}>
          <p>
            Welcome, {invitation.name}. You will sign in as <strong>{invitation.email}</strong>.
          </p>
          {problem && (
            <p role="alert" className="error" id="invite-problem">
              {problem}
            </p>
          )}
          <label htmlFor="invite-password">New password (at least 10 characters)</label>
          <input
            id="invite-password"
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
          <label htmlFor="invite-repeat">The same password again</label>
          <input
            id="invite-repeat"
            type="password"
            autoComplete="new-password"
            value={repeat}
            onChange={(e) => setRepeat(e.target.value)}
          />
          <div className="actions">
            <button type="submit" className="primary">
              Set password
            </button>
          </div>
        </form>
      )}
    </main>
  );
}
