/** The pipeline board: the deal stages as columns, like the CRM funnel; memberships below. */
import { membershipStage } from './stage-labels';
import { Link } from 'react-router-dom';
import { useLoad } from '../useLoad';
import { detectedTimeZone, formatDateTime, STAGE_CLASS } from '../format';
import type { ListedAppointment } from './types';

interface Membership {
  id: string;
  certificateNumber: string;
  planName: string;
  contactName: string;
  visitsTotal: number | null;
  visitsUsed: number;
  visitsLeft: number | null;
}

interface Board {
  appointments: Array<{ stage: string; items: ListedAppointment[] }>;
  memberships: Array<{ stage: string; items: Membership[] }>;
}

export function BoardPage() {
  const { data: board, error } = useLoad<Board>('/api/admin/board', 'Pipeline');
  const timeZone = detectedTimeZone();
  return (
    <>
      <h1>Pipeline</h1>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {!board && !error && <p>Loading…</p>}
      {board && (
        <>
          <div className="board">
            {board.appointments.map((col) => (
              <section key={col.stage} className="board-col" aria-label={col.stage}>
                <h3>
                  {col.stage} ({col.items.length})
                </h3>
                {col.items.map((a) => (
                  <Link key={a.id} to={`/admin/appointments/${a.id}`} className={`appt ${STAGE_CLASS[a.stage] ?? ''}`}>
                    <strong>{a.contactName}</strong>
                    <br />
                    {a.serviceName}
                    <br />
                    <small>{formatDateTime(a.startsAt, timeZone)}</small>
                  </Link>
                ))}
              </section>
            ))}
          </div>
          <h2>Memberships</h2>
          <div className="board" style={{ gridTemplateColumns: 'repeat(5, minmax(11rem, 1fr))' }}>
            {board.memberships.map((col) => (
              <section key={col.stage} className="board-col" aria-label={`Membership: ${membershipStage(col.stage)}`}>
                <h3>
                  {membershipStage(col.stage)} ({col.items.length})
                </h3>
                {col.items.map((m) => (
                  <Link key={m.id} to={`/admin/memberships/${m.id}`} className="appt stage-scheduled">
                    <strong>{m.contactName}</strong>
                    <br />
                    {m.planName} · #{m.certificateNumber}
                    <br />
                    <small>{m.visitsLeft === null ? 'Unlimited visits' : `${m.visitsLeft} visits left`}</small>
                  </Link>
                ))}
              </section>
            ))}
          </div>
        </>
      )}
    </>
  );
}
