/** The membership a visit is booked on, on the appointment card. */
import { Link } from 'react-router-dom';
import { formatDateTime } from '../format';
import { useStaff } from './session';
import type { Extras } from './appointment-types';
import { membershipStage } from './stage-labels';

export function MembershipPanel(props: { membership: NonNullable<Extras['membership']>; timeZone: string }) {
  const me = useStaff();
  const m = props.membership;
  return (
    <section className="panel" aria-labelledby="membership-heading" data-testid="membership">
      <h2 id="membership-heading">Membership</h2>
      <dl className="details">
        <dt>Plan</dt>
        <dd>{m.planName}</dd>
        <dt>Certificate</dt>
        <dd data-testid="certificate-number">{m.certificateNumber}</dd>
        <dt>Visits left</dt>
        <dd data-testid="visits-left">
          {m.visitsLeft === null ? 'Unlimited' : `${m.visitsLeft} of ${m.visitsTotal}`}
          {m.visitsBooked > 0 && ` · ${m.visitsBooked} booked`}
        </dd>
        <dt>Stage</dt>
        <dd>{membershipStage(m.stage)}</dd>
        <dt>Valid until</dt>
        <dd>{formatDateTime(m.validUntil, props.timeZone)}</dd>
      </dl>
      {me.role !== 'technician' && (
        <p>
          <Link to={`/admin/memberships/${m.id}`}>Open the membership card</Link>
        </p>
      )}
    </section>
  );
}
