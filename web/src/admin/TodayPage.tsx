/**
 * A technician's day on a phone (issue 15): today's jobs in time order, each with the address (a map
 * link), call and text the customer, "on my way" with an ETA (the customer gets an SMS or email), and
 * the job's card for start, deliver with hours, no-show or "could not get in" — all workflow updates.
 */
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api, errorText } from '../api';
import { addDays, detectedTimeZone, formatTime, localDate } from '../format';
import { useLoad } from '../useLoad';
import { useStaff } from './session';
import type { ListedAppointment } from './types';
import { startOfLocalDay } from '../../../src/calendar/day-layout';

interface Job extends ListedAppointment {
  contactPhone: string | null;
  contactAddress: string | null;
}

const ETAS = [10, 15, 20, 30, 45, 60];
const STATUS_WORDS: Record<string, string> = {
  scheduled: 'Scheduled',
  in_progress: 'In progress',
  done: 'Done',
  cancelled: 'Cancelled',
  no_show: 'No-show',
};

/** Midnight of `date` in `timeZone`, as an instant (DST-change days included). */
function startOf(date: string, timeZone: string): string {
  return new Date(startOfLocalDay(date, timeZone)).toISOString();
}

export function TodayPage() {
  const me = useStaff();
  const timeZone = detectedTimeZone();
  const today = localDate(new Date(), timeZone);
  const q = new URLSearchParams({ from: startOf(today, timeZone), to: startOf(addDays(today, 1), timeZone) });
  if (me.staffId) q.set('staffId', me.staffId);
  const { data, error } = useLoad<{ appointments: Job[] }>(`/api/admin/calendar?${q}`, 'Today');
  const jobs = data?.appointments.filter((a) => a.status !== 'cancelled') ?? null;
  return (
    <>
      <h1>Today</h1>
      <p className="hint">
        {new Intl.DateTimeFormat('en-US', { weekday: 'long', month: 'long', day: 'numeric', timeZone }).format(
          new Date(),
        )}
      </p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {jobs?.length === 0 && <p>No jobs today.</p>}
      <ol className="jobs">
        {jobs?.map((job) => (
          <JobItem key={job.id} job={job} timeZone={timeZone} />
        ))}
      </ol>
    </>
  );
}

function JobItem({ job, timeZone }: { job: Job; timeZone: string }) {
  const [eta, setEta] = useState('15');
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  async function onMyWay() {
    setError(null);
    setNotice(null);
    try {
      const r = await api<{ message: { channel: string; text: string; sent: boolean } }>(
        'POST',
        `/api/appointments/${job.id}/on-my-way`,
        { etaMinutes: Number(eta) },
      );
      setNotice(
        r.message.sent
          ? `${job.contactName} was told by ${r.message.channel === 'sms' ? 'SMS' : 'email'}: “${r.message.text}”`
          : 'The message is saved but could not be sent yet; call the customer instead.',
      );
    } catch (e) {
      setError(errorText(e));
    }
  }
  const id = job.id.slice(0, 8);
  return (
    <li className="job panel" aria-labelledby={`job-${id}`}>
      <h2 id={`job-${id}`}>
        {formatTime(job.startsAt, timeZone)}–{formatTime(job.endsAt, timeZone)} · {job.contactName}
      </h2>
      <p>
        {job.serviceName} · {STATUS_WORDS[job.status] ?? job.status}
      </p>
      {job.contactAddress ? (
        <p>
          <a
            href={`https://www.google.com/maps/search/?api=1&query=${encodeURIComponent(job.contactAddress)}`}
            target="_blank"
            rel="noreferrer"
          >
            {job.contactAddress} (map)
          </a>
        </p>
      ) : (
        <p className="hint">No address on file.</p>
      )}
      <div className="actions">
        {job.contactPhone && (
          <>
            <a className="button" href={`tel:${job.contactPhone}`}>
              Call {job.contactName.split(' ')[0]}
            </a>
            <a className="button" href={`sms:${job.contactPhone}`}>
              Text {job.contactName.split(' ')[0]}
            </a>
          </>
        )}
        <Link className="button primary" to={`/admin/appointments/${job.id}`}>
          Open job
        </Link>
      </div>
      {job.status === 'scheduled' && (
        <div className="row">
          <label htmlFor={`eta-${id}`}>Arriving in</label>
          <select id={`eta-${id}`} value={eta} onChange={(e) => setEta(e.target.value)} style={{ maxWidth: '8rem' }}>
            {ETAS.map((m) => (
              <option key={m} value={m}>
                {m} min
              </option>
            ))}
          </select>
          <button type="button" onClick={() => void onMyWay()}>
            On my way
          </button>
        </div>
      )}
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}
