/**
 * The customer portal at /account (issue 16): sign in without a password, then the customer's
 * appointments (list and calendar), invoices, memberships and profile; sign out here or everywhere.
 */
import { useCallback, useEffect, useState } from 'react';
import { NavLink, Route, Routes, useNavigate } from 'react-router-dom';
import { api, ApiError, errorText, setCsrfToken } from '../../api';
import { Appointments } from './Appointments';
import { Invoices } from './Invoices';
import { Memberships } from './Memberships';
import { Messages } from './Messages';
import { Profile } from './Profile';
import { SignIn, TokenSignIn } from './SignIn';
import type { PortalCustomer } from './types';
import './account.css';

type Session = { customer: PortalCustomer; csrfToken: string };

export function AccountApp() {
  const [customer, setCustomer] = useState<PortalCustomer | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const navigate = useNavigate();

  const signedIn = useCallback((session: Session) => {
    setCsrfToken(session.csrfToken);
    setCustomer(session.customer);
  }, []);

  useEffect(() => {
    document.title = 'Your account';
    if (/^\/account\/(link|from\/)/.test(window.location.pathname)) return;
    api<Session>('GET', '/api/portal/session')
      .then(signedIn)
      .catch((e: unknown) => {
        if (e instanceof ApiError && e.status === 401) setCustomer(null);
        else setError(errorText(e));
      });
  }, [signedIn]);

  async function signOut(everywhere: boolean) {
    try {
      if (everywhere) await api('POST', '/api/portal/sign-out-everywhere');
      else await api('DELETE', '/api/portal/session');
    } finally {
      setCsrfToken(undefined);
      setCustomer(null);
      void navigate('/account');
    }
  }

  const routes = (
    <Routes>
      <Route path="link" element={<TokenSignIn kind="link" onSignedIn={signedIn} />} />
      <Route path="from/:token" element={<TokenSignIn kind="manage" onSignedIn={signedIn} />} />
      <Route
        path="*"
        element={
          customer === null ? (
            <SignIn onSignedIn={signedIn} />
          ) : customer === undefined ? (
            <main className="customer account">
              {error ? (
                <p role="alert" className="error">
                  {error}
                </p>
              ) : (
                <p>Loading…</p>
              )}
            </main>
          ) : (
            <SignedIn customer={customer} onSignOut={signOut} />
          )
        }
      />
    </Routes>
  );
  return routes;
}

function SignedIn(props: { customer: PortalCustomer; onSignOut: (everywhere: boolean) => Promise<void> }) {
  return (
    <div className="account">
      <header className="account-header">
        <p>
          Signed in as <strong>{props.customer.name}</strong>
        </p>
        <nav aria-label="Your account">
          <NavLink to="/account" end>
            Appointments
          </NavLink>
          <NavLink to="/account/invoices">Invoices</NavLink>
          <NavLink to="/account/messages">Messages</NavLink>
          <NavLink to="/account/memberships">Memberships</NavLink>
          <NavLink to="/account/profile">Profile</NavLink>
        </nav>
      </header>
      <main className="customer account">
        <Routes>
          <Route index element={<Appointments />} />
          <Route path="invoices" element={<Invoices />} />
          <Route path="messages" element={<Messages />} />
          <Route path="memberships" element={<Memberships />} />
          <Route path="profile" element={<Profile />} />
        </Routes>
      </main>
      <footer className="account-footer">
        <button type="button" onClick={() => void props.onSignOut(false)}>
          Sign out
        </button>
        <button type="button" onClick={() => void props.onSignOut(true)}>
          Sign out everywhere
        </button>
      </footer>
    </div>
  );
}
