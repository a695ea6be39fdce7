/**
 * "Anyone available": when the customer leaves the staff choice open and several staff members are
 * free at the chosen time, the booking goes to the one with the fewest active appointments that day
 * (in the business's time zone), so the work is shared out; on a tie, the one whose name sorts first
 * (then by id), so the choice is the same every time. The customer is told who it is on the
 * confirmation. Pure; the booking service supplies each candidate's count.
 */
export interface StaffCandidate {
  staffId: string;
  name: string;
  /** Active (not cancelled) appointments that day. */
  appointmentsThatDay: number;
}

export function pickStaff<C extends StaffCandidate>(candidates: readonly C[]): C | undefined {
  return [...candidates].sort(
    (a, b) =>
      a.appointmentsThatDay - b.appointmentsThatDay ||
      a.name.localeCompare(b.name, 'en') ||
      (a.staffId < b.staffId ? -1 : a.staffId > b.staffId ? 1 : 0),
  )[0];
}
