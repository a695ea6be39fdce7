/** The admin app: sign-in gate, navigation, and the staff screens. */
import { type ReactNode, useEffect, useState } from 'react';
import { Link, NavLink, Route, Routes, useLocation } from 'react-router-dom';
import { api, setCsrfToken } from '../api';
import './admin.css';
import { AppointmentPage } from './AppointmentPage';
import { BoardPage } from './BoardPage';
import { CalendarPage } from './CalendarPage';
import { MembershipPage, MembershipsPage } from './MembershipsPages';
import { ContactPage } from './ContactPage';
import { ContactsPage } from './ContactsPage';
import { SettingsPage } from './SettingsPage';
import { MessagesPage } from './MessagesPage';
import { InboxLink } from './InboxLink';
import { InboxPage } from './InboxPage';
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
import { SignIn, SignOut } from './SignIn';

/** Pages for the office only (admin and staff); a technician gets the refusal (`OfficeOnly`). */
const OFFICE_ROUTES: ReadonlyArray<readonly [path: string, page: ReactNode]> = [
  ['pipeline', <BoardPage />],
  ['book', <NewBookingPage />],
  ['messages', <MessagesPage />],
  ['inbox', <InboxPage />],
  ['contacts', <ContactsPage />],
  ['contacts/:id', <ContactPage />],
  ['settings', <SettingsPage />],
  ['memberships', <MembershipsPage />],
  ['memberships/:id', <MembershipPage />],
  ['settings/templates', <TemplatesPage />],
  ['settings/templates/:event/:channel', <TemplateEditorPage />],
  ['settings/integrations', <IntegrationsPage />],
  ['settings/services', <ServicesPage />],
  ['settings/services/:id', <ServiceEditorPage />],
  ['settings/membership-plans', <MembershipPlansPage />],
  ['settings/membership-plans/:id', <MembershipPlanEditorPage />],
  ['settings/staff', <StaffListPage />],
  ['settings/staff/:id', <StaffEditorPage />],
  ['settings/calendars', <CalendarsPage />],
  ['waitlist', <WaitlistPage />],
];

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
                <InboxLink />
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
            <Route path="appointments/:id" element={<AppointmentPage />} />
            <Route path="tasks" element={<TasksPage />} />
            {OFFICE_ROUTES.map(([path, page]) => (
              <Route key={path} path={path} element={<OfficeOnly>{page}</OfficeOnly>} />
            ))}
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
