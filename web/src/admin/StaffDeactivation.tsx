/**
 * Deactivate a staff member (or reactivate): their appointments still booked are listed first, each a
 * link to its card to move it to someone else; deactivating confirms, and ends their sign-in.
 */
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api, errorText } from '../api';
import { formatDateTime } from '../format';
import { ConfirmDialog } from './ConfirmDialog';
import type { StaffDetail } from './types';

export function StaffDeactivation(props: { detail: StaffDetail; timeZone: string; onChanged: () => void }) {
  const { staff, futureAppointments } = props.detail;
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function setActive(active: boolean) {
    setError(null);
    try {
      await api('PATCH', `/api/admin/staff/${staff.id}`, { active });
      props.onChanged();
    } catch (e) {
      setError(errorText(e));
    }
  }
  return (
    <section className="panel" aria-labelledby="deactivate-heading">
      <h2 id="deactivate-heading">{staff.active ? 'Deactivate' : 'Deactivated'}</h2>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {futureAppointments.length > 0 ? (
        <>
          <p>
            {staff.name} has {futureAppointments.length} appointment{futureAppointments.length === 1 ? '' : 's'} booked.
            Move {futureAppointments.length === 1 ? 'it' : 'them'} to someone else (Reschedule on the card):
          </p>
          <ul data-testid="to-reassign">
            {futureAppointments.map((a) => (
              <li key={a.id}>
                <Link to={`/admin/appointments/${a.id}`}>
                  {formatDateTime(a.startsAt, props.timeZone)} · {a.contactName} · {a.serviceName}
                </Link>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p>No appointments booked with {staff.name}.</p>
      )}
      {staff.active ? (
        <button type="button" className="danger" id="st-deactivate" onClick={() => setAsking(true)}>
          Deactivate {staff.name}
        </button>
      ) : (
        <button type="button" onClick={() => void setActive(true)}>
          Reactivate {staff.name}
        </button>
      )}
      <ConfirmDialog
        open={asking}
        danger
        title={`Deactivate ${staff.name}?`}
        text={`${staff.name} can no longer sign in or be booked.${futureAppointments.length ? ` Their ${futureAppointments.length} booked appointment(s) stay with them until you move them.` : ''}`}
        confirmLabel="Deactivate"
        onCancel={() => setAsking(false)}
        onConfirm={async () => {
          setAsking(false);
          await setActive(false);
        }}
      />
    </section>
  );
}
