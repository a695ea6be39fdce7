/**
 * Who is signed in: the staff member the admin app's screens act as. Its own module so that pages
 * can read it without importing the app shell that imports them (no import cycle).
 */
import { createContext, useContext } from 'react';

export interface Staff {
  accountId: string;
  email: string;
  name: string;
  role: 'admin' | 'staff' | 'technician';
  staffId: string | null;
}

export const StaffContext = createContext<Staff | null>(null);

export function useStaff(): Staff {
  const staff = useContext(StaffContext);
  if (!staff) throw new Error('not signed in');
  return staff;
}
