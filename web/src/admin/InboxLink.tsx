/** The nav link to the inbox with my unread count (reloaded on navigation and when a thread is read). */
import { useEffect, useState } from 'react';
import { NavLink, useLocation } from 'react-router-dom';
import { api } from '../api';
import { INBOX_READ_EVENT } from './InboxPage';

export function InboxLink() {
  const [unread, setUnread] = useState(0);
  const location = useLocation();
  useEffect(() => {
    const load = () => {
      api<{ unread: number }>('GET', '/api/admin/inbox/unread')
        .then((r) => setUnread(r.unread))
        .catch(() => undefined);
    };
    load();
    window.addEventListener(INBOX_READ_EVENT, load);
    return () => window.removeEventListener(INBOX_READ_EVENT, load);
  }, [location.pathname]);
  return (
    <NavLink to="/admin/inbox">
      Inbox
      {unread > 0 && (
        <span className="badge" aria-label={`${unread} unread`}>
          {' '}
          {unread}
        </span>
      )}
    </NavLink>
  );
}
