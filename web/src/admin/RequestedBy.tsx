/**
 * "Requested by": how a request reached the staff member acting on it (the API's `channel`), as one
 * labelled select used by every staff form that changes an appointment or a membership.
 */
export const STAFF_CHANNELS = [
  ['phone', 'Phone'],
  ['email', 'Email'],
  ['in_person', 'In person'],
  ['admin', 'Admin'],
] as const;

export function RequestedBy(props: { id: string; value: string; onChange: (channel: string) => void }) {
  return (
    <>
      <label htmlFor={props.id}>Requested by</label>
      <select id={props.id} value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        {STAFF_CHANNELS.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    </>
  );
}
