/** The admin app: sign-in gate, navigation, and the staff screens. */
import { type SubmitEvent, type ReactNode, useEffect, useState } from 'react';
import { Link, NavLink, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { api, ApiError, errorText, setCsrfToken } from '../api';
import './admin.css';
import { AppointmentPage } from './AppointmentPage';
import { BoardPage } from './BoardPage';
import { CalendarPage } from './CalendarPage';
import { MembershipPage, MembershipsPage } from './MembershipsPages';
import { ContactPage } from './ContactPage';
import { ContactsPage } from './ContactsPage';
import { SettingsPage } from './SettingsPage';
import { MessagesPage } from './MessagesPage';
import { NewBookingPage } from './NewBookingPage';
import { IntegrationsPage } from './SettingsIntegrations';
import { CalendarsPage } from './SettingsCalendars';
import { WaitlistPage } from './WaitlistPage';
import { TemplateEditorPage, TemplatesPage } from './SettingsTemplates';
import { ServiceEditorPage } from './SettingsServices';
import { ServicesPage } from './ServicesPage';
import { MembershipPlanEditorPage } from './SettingsMembershipPlans';
import { MembershipPlansPage } from './MembershipPlansPage';
import { TasksPage } from './TasksPage';
import { TodayPage } from './TodayPage';
import { InvitePage } from './InvitePage';
import { StaffEditorPage, StaffListPage } from './SettingsStaff';
import { type Staff, StaffContext, useStaff } from './session';

export function AdminApp() {
  const invite = /^\/admin\/invite\/([\w-]+)$/.exec(useLocation().pathname);
  if (invite) return <InvitePage token={invite[1]!} />;
  return <SignedInApp />;
}

function SignedInApp() {
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
        <nav aria-label="Admin" className="menu-bar">
          <strong>Maple Street</strong>
          <div className="menu">
            {staff.staffId && <NavLink to="/admin/today">Today</NavLink>}
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
          </div>
          <div className="me">
            Signed in as {staff.name} ({staff.role})
            <SignOut onSignedOut={() => setStaff(null)} />
          </div>
        </nav>
        <main className="admin-main">
          <Routes>
            <Route index element={<CalendarPage />} />
            <Route path="calendar" element={<CalendarPage />} />
            <Route path="today" element={<TodayPage />} />
            <Route
              path="pipeline"
              element={
                <OfficeOnly>
                  <BoardPage />
                </OfficeOnly>
              }
            />
            <Route path="appointments/:id" element={<AppointmentPage />} />
            <Route path="tasks" element={<TasksPage />} />
            <Route
              path="book"
              element={
                <OfficeOnly>
                  <NewBookingPage />
                </OfficeOnly>
              }
            />
            <Route
              path="messages"
              element={
                <OfficeOnly>
                  <MessagesPage />
                </OfficeOnly>
              }
            />
            <Route
              path="contacts"
              element={
                <OfficeOnly>
                  <ContactsPage />
                </OfficeOnly>
              }
            />
            <Route
              path="contacts/:id"
              element={
                <OfficeOnly>
                  <ContactPage />
                </OfficeOnly>
              }
            />
            <Route
              path="settings"
              element={
                <OfficeOnly>
                  <SettingsPage />
                </OfficeOnly>
              }
            />
            <Route
              path="memberships"
              element={
                <OfficeOnly>
                  <MembershipsPage />
                </OfficeOnly>
              }
            />
            <Route
              path="memberships/:id"
              element={
                <OfficeOnly>
                  <MembershipPage />
                </OfficeOnly>
              }
            />
            <Route
              path="settings/templates"
              element={
                <OfficeOnly>
                  <TemplatesPage />
                </OfficeOnly>
              }
            />
            <Route
              path="settings/templates/:event/:channel"
              element={
                <OfficeOnly>
                  <TemplateEditorPage />
                </OfficeOnly>
              }
            />
            <Route
              path="settings/integrations"
              element={
                <OfficeOnly>
                  <IntegrationsPage />
                </OfficeOnly>
              }
            />
            <Route
              path="settings/services"
              element={
                <OfficeOnly>
                  <ServicesPage />
                </OfficeOnly>
              }
            />
            <Route
              path="settings/services/:id"
              element={
                <OfficeOnly>
                  <ServiceEditorPage />
                </OfficeOnly>
              }
            />
            <Route
              path="settings/membership-plans"
              element={
                <OfficeOnly>
                  <MembershipPlansPage />
                </OfficeOnly>
              }
            />
            <Route
              path="settings/membership-plans/:id"
              element={
                <OfficeOnly>
                  <MembershipPlanEditorPage />
                </OfficeOnly>
              }
            />
            <Route
              path="settings/staff"
              element={
                <OfficeOnly>
                  <StaffListPage />
                </OfficeOnly>
              }
            />
            <Route
              path="settings/staff/:id"
              element={
                <OfficeOnly>
                  <StaffEditorPage />
                </OfficeOnly>
              }
            />
            <Route
              path="settings/calendars"
              element={
                <OfficeOnly>
                  <CalendarsPage />
                </OfficeOnly>
              }
            />
            <Route
              path="waitlist"
              element={
                <OfficeOnly>
                  <WaitlistPage />
                </OfficeOnly>
              }
            />
            <Route path="*" element={<p>There is no such page.</p>} />
          </Routes>
        </main>
      </div>
    </StaffContext.Provider>
  );
}

/**
 * Pages for the office (admin and staff): a technician who types such a URL gets the refusal, never a
 * glimpse of the page's controls (the API refuses them too).
 */
function OfficeOnly({ children }: { children: ReactNode }) {
  const me = useStaff();
  if (me.role === 'technician')
    return (
      <>
        <h1>Not available</h1>
        <p role="alert" className="error">
          This page is for the office. Technicians see their own jobs: <Link to="/admin/today">Today</Link>.
        </p>
      </>
    );
  return children;
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
