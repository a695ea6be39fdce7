/** The admin app: sign-in gate, navigation, and the staff screens. */
import { createContext, type SubmitEvent, useContext, useEffect, useState } from 'react';
import { NavLink, Route, Routes, useNavigate } from 'react-router-dom';
import { api, ApiError, errorText, setCsrfToken } from '../api';
import { AppointmentPage } from './AppointmentPage';
import { BoardPage } from './BoardPage';
import { CalendarPage } from './CalendarPage';
import { MembershipPage, MembershipsPage } from './MembershipsPages';
import { ContactPage, ContactsPage, MessagesPage, NewBookingPage, SettingsPage } from './OtherPages';
import { IntegrationsPage } from './SettingsIntegrations';
import { CalendarsPage } from './SettingsCalendars';
import { WaitlistPage } from './WaitlistPage';
import { TemplateEditorPage, TemplatesPage } from './SettingsTemplates';
import { ServiceEditorPage, ServicesPage } from './SettingsServices';
import { MembershipPlanEditorPage, MembershipPlansPage } from './SettingsMembershipPlans';
import { TasksPage } from './TasksPage';

export interface Staff {
  accountId: string;
  email: string;
  name: string;
  role: 'admin' | 'staff' | 'technician';
  staffId: string | null;
}

const StaffContext = createContext<Staff | null>(null);
export function useStaff(): Staff {
  const staff = useContext(StaffContext);
  if (!staff) throw new Error('not signed in');
  return staff;
}

export function AdminApp() {
  const [staff, setStaff] = useState<Staff | null | undefined>(undefined);
  useEffect(() => {
    api<{ staff: Staff; csrfToken: string }>('GET', '/api/session')
      .then((s) => {
        setCsrfToken(s.csrfToken);
        setStaff(s.staff);
      })
      .catch(() => setStaff(null));
  }, []);
  if (staff === undefined) return <p className="login">Loading…</p>;
  if (staff === null) return <SignIn onSignedIn={setStaff} />;
  return (
    <StaffContext.Provider value={staff}>
      <div className="admin">
        <nav aria-label="Admin">
          <strong>Maple Street</strong>
          <NavLink to="/admin" end>
            Calendar
          </NavLink>
          {staff.role !== 'technician' && <NavLink to="/admin/pipeline">Pipeline</NavLink>}
          <NavLink to="/admin/tasks">Tasks</NavLink>
          {staff.role !== 'technician' && (
            <>
              <NavLink to="/admin/book">New booking</NavLink>
              <NavLink to="/admin/memberships">Memberships</NavLink>
              <NavLink to="/admin/waitlist">Waitlist</NavLink>
              <NavLink to="/admin/messages">Messages</NavLink>
              <NavLink to="/admin/contacts">Contacts</NavLink>
              <NavLink to="/admin/settings">Settings</NavLink>
            </>
          )}
          <div className="me">
            Signed in as {staff.name} ({staff.role})
            <SignOut onSignedOut={() => setStaff(null)} />
          </div>
        </nav>
        <main>
          <Routes>
            <Route index element={<CalendarPage />} />
            <Route path="calendar" element={<CalendarPage />} />
            <Route path="pipeline" element={<BoardPage />} />
            <Route path="appointments/:id" element={<AppointmentPage />} />
            <Route path="tasks" element={<TasksPage />} />
            <Route path="book" element={<NewBookingPage />} />
            <Route path="messages" element={<MessagesPage />} />
            <Route path="contacts" element={<ContactsPage />} />
            <Route path="contacts/:id" element={<ContactPage />} />
            <Route path="settings" element={<SettingsPage />} />
            <Route path="memberships" element={<MembershipsPage />} />
            <Route path="memberships/:id" element={<MembershipPage />} />
            <Route path="settings/templates" element={<TemplatesPage />} />
            <Route path="settings/templates/:event/:channel" element={<TemplateEditorPage />} />
            <Route path="settings/integrations" element={<IntegrationsPage />} />
            <Route path="settings/calendars" element={<CalendarsPage />} />
            <Route path="waitlist" element={<WaitlistPage />} />
            <Route path="settings/services" element={<ServicesPage />} />
            <Route path="settings/services/:id" element={<ServiceEditorPage />} />
            <Route path="settings/membership-plans" element={<MembershipPlansPage />} />
            <Route path="settings/membership-plans/:id" element={<MembershipPlanEditorPage />} />
            <Route path="*" element={<p>There is no such page.</p>} />
          </Routes>
        </main>
      </div>
    </StaffContext.Provider>
  );
}

function SignIn({ onSignedIn }: { onSignedIn: (staff: Staff) => void }) {
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

function SignOut({ onSignedOut }: { onSignedOut: () => void }) {
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
