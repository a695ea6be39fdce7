/** The settings sections; templates and integrations change the whole business, so admins only. */
import { NavLink } from 'react-router-dom';
import { useStaff } from './session';

export function SettingsNav() {
  const me = useStaff();
  return (
    <nav aria-label="Settings sections" className="subnav">
      <NavLink to="/admin/settings" end>
        Services, staff and hours
      </NavLink>
      <NavLink to="/admin/settings/calendars">Calendars</NavLink>
      {me.role === 'admin' && (
        <>
          <NavLink to="/admin/settings/staff">Staff</NavLink>
          <NavLink to="/admin/settings/services">Services and policies</NavLink>
          <NavLink to="/admin/settings/membership-plans">Membership plans</NavLink>
          <NavLink to="/admin/settings/templates">Message templates</NavLink>
          <NavLink to="/admin/settings/integrations">Integrations</NavLink>
        </>
      )}
    </nav>
  );
}
