/**
 * Memberships: the list (find one by certificate number, name or email; filter by stage) and the
 * membership card — plan, certificate, visits used / left, stage, next visit, each visit with its
 * outcome, and the membership's timeline — all read from the API; staff move the end of validity
 * there (by date, the end of that day in the membership's time zone).
 */
import { membershipStage } from './stage-labels';
import { type SubmitEvent, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api, errorText } from '../api';
import { detectedTimeZone, formatDateTime, localDate } from '../format';
import { useLoad } from '../useLoad';
import { RequestedBy } from './RequestedBy';
import { TimelineTable } from './TimelineTable';
import type { MembershipRow } from './types';

const STAGES = [
  'Appointment Unscheduled',
  'Appointment Scheduled',
  'Appointment Tomorrow',
  'Appointment Today',
  'Membership Expired',
];

export function MembershipsPage() {
  const timeZone = detectedTimeZone();
  const [q, setQ] = useState('');
  const [stage, setStage] = useState('');
  const [search, setSearch] = useState({ q: '', stage: '' });
  const params = new URLSearchParams();
  if (search.q) params.set('q', search.q);
  if (search.stage) params.set('stage', search.stage);
  const { data, error } = useLoad<{ memberships: MembershipRow[] }>(`/api/admin/memberships?${params}`, 'Memberships');
  const rows = data?.memberships ?? null;
  function submit(event: SubmitEvent) {
    event.preventDefault();
    setSearch({ q: q.trim(), stage });
  }
  return (
    <>
      <h1>Memberships</h1>
      <form className="row" role="search" onSubmit={submit} aria-label="Find a membership">
        <div>
          <label htmlFor="ms-q">Certificate number, name or email</label>
          <input id="ms-q" value={q} onChange={(e) => setQ(e.target.value)} style={{ maxWidth: '20rem' }} />
        </div>
        <div>
          <label htmlFor="ms-stage">Stage</label>
          <select id="ms-stage" value={stage} onChange={(e) => setStage(e.target.value)}>
            <option value="">Any stage</option>
            {STAGES.map((s) => (
              <option key={s} value={s}>
                {membershipStage(s)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" style={{ alignSelf: 'flex-end' }}>
          Find
        </button>
      </form>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {rows && rows.length === 0 && <p role="status">No membership matches.</p>}
      {rows && rows.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Certificate</th>
              <th scope="col">Member</th>
              <th scope="col">Plan</th>
              <th scope="col">Visits left</th>
              <th scope="col">Stage</th>
              <th scope="col">Valid until</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((m) => (
              <tr key={m.id}>
                <td>
                  <Link to={`/admin/memberships/${m.id}`}>{m.certificateNumber}</Link>
                </td>
                <td>{m.contactName}</td>
                <td>{m.planName}</td>
                <td>{m.visitsLeft === null ? 'Unlimited' : `${m.visitsLeft} of ${m.visitsTotal}`}</td>
                <td>{membershipStage(m.stage)}</td>
                <td>{formatDateTime(m.validUntil, timeZone)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

interface MembershipCard {
  id: string;
  certificateNumber: string;
  stage: string;
  plan: { name: string; visitsTotal: number | null; services: Array<{ id: string; name: string }> };
  visits: {
    total: number | null;
    used: number;
    forfeited: number;
    returned: number;
    booked: number;
    left: number | null;
    bookable: number | null;
  };
  validFrom: string;
  validUntil: string;
  expiredAt: string | null;
  timeZone: string;
  nextVisit: { appointmentId: string; service: string; startsAt: string; stage: string } | null;
  history: Array<{ appointmentId: string; service: string; startsAt: string; status: string; outcome: string }>;
  timeline: Array<{ at: string; kind: string; actor: string; channel: string; summary: string }>;
  temporalUrl?: string;
}

const OUTCOME: Record<string, string> = {
  used: 'used',
  forfeited: 'forfeited',
  returned: 'returned (cancelled in time)',
  booked: 'booked',
};

export function MembershipPage() {
  const { id = '' } = useParams();
  const timeZone = detectedTimeZone();
  const [card, setCard] = useState<MembershipCard | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<{ membership: MembershipCard }>('GET', `/api/memberships/${id}`)
      .then((r) => {
        setCard(r.membership);
        document.title = `Membership ${r.membership.certificateNumber} — Maple Street`;
      })
      .catch((e: unknown) => setError(errorText(e)));
  }, [id]);
  if (!card)
    return error ? (
      <p role="alert" className="error">
        {error}
      </p>
    ) : (
      <p>Loading…</p>
    );
  const v = card.visits;
  return (
    <>
      <h1>Membership {card.certificateNumber}</h1>
      <div className="card-grid">
        <section className="panel" aria-label="Membership">
          <dl className="details">
            <dt>Plan</dt>
            <dd>{card.plan.name}</dd>
            <dt>Certificate</dt>
            <dd>{card.certificateNumber}</dd>
            <dt>Stage</dt>
            <dd>{membershipStage(card.stage)}</dd>
            <dt>Visits</dt>
            <dd data-testid="membership-visits">
              {v.total === null ? `Unlimited · ${v.used} used` : `${v.used} used · ${v.left} left of ${v.total}`}
              {v.forfeited > 0 ? ` · ${v.forfeited} forfeited` : ''}
              {v.booked > 0 ? ` · ${v.booked} booked` : ''}
            </dd>
            <dt>Valid</dt>
            <dd>
              {formatDateTime(card.validFrom, timeZone)} – {formatDateTime(card.validUntil, timeZone)}
              {card.expiredAt ? ` (expired ${formatDateTime(card.expiredAt, timeZone)})` : ''}
            </dd>
            <dt>Covers</dt>
            <dd>{card.plan.services.length ? card.plan.services.map((s) => s.name).join(', ') : 'Every service'}</dd>
            <dt>Next visit</dt>
            <dd>
              {card.nextVisit ? (
                <Link to={`/admin/appointments/${card.nextVisit.appointmentId}`}>
                  {card.nextVisit.service}, {formatDateTime(card.nextVisit.startsAt, timeZone)}
                </Link>
              ) : (
                'None booked'
              )}
            </dd>
          </dl>
          {!card.expiredAt && <ValidityForm card={card} onChanged={setCard} />}
          {card.temporalUrl && (
            <p>
              <a href={card.temporalUrl} target="_blank" rel="noreferrer">
                Open the membership workflow in Temporal Web UI
              </a>
            </p>
          )}
        </section>
      </div>
      <h2>Visits</h2>
      {card.history.length === 0 ? (
        <p>No visits yet.</p>
      ) : (
        <ul>
          {card.history.map((h) => (
            <li key={h.appointmentId}>
              <Link to={`/admin/appointments/${h.appointmentId}`}>
                {formatDateTime(h.startsAt, timeZone)} · {h.service}
              </Link>{' '}
              — {OUTCOME[h.outcome] ?? h.outcome} ({h.status})
            </li>
          ))}
        </ul>
      )}
      <TimelineTable
        timeZone={timeZone}
        rows={card.timeline.map((t, i) => ({
          key: `t${i}`,
          at: t.at,
          what: t.summary,
          who: t.actor,
          channel: t.channel,
        }))}
      />
    </>
  );
}

/** Moves the end of validity to the end of a chosen date (in the membership's time zone). */
function ValidityForm({ card, onChanged }: { card: MembershipCard; onChanged: (card: MembershipCard) => void }) {
  const [date, setDate] = useState(() => localDate(new Date(card.validUntil), card.timeZone));
  const [channel, setChannel] = useState<string>('phone');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  function submit(event: SubmitEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setDone(null);
    api<{ membership: MembershipCard }>('POST', `/api/memberships/${card.id}/extend`, { validUntilDate: date, channel })
      .then((r) => {
        onChanged(r.membership);
        setDone(`Valid until ${formatDateTime(r.membership.validUntil, r.membership.timeZone)} now.`);
      })
      .catch((e: unknown) => setError(errorText(e)))
      .finally(() => setBusy(false));
  }
  return (
    <form onSubmit={submit} aria-label="Change the end of validity">
      <label htmlFor="validity-date">Valid until the end of</label>
      <input
        id="validity-date"
        type="date"
        required
        value={date}
        aria-invalid={error !== null}
        aria-describedby={error ? 'validity-problem' : undefined}
        onChange={(e) => setDate(e.target.value)}
      />
      <RequestedBy id="validity-channel" value={channel} onChange={setChannel} />
      <button type="submit" disabled={busy}>
        {busy ? 'Changing…' : 'Change validity'}
      </button>
      {error && (
        <p id="validity-problem" role="alert" className="error">
          {error}
        </p>
      )}
      {done && <p role="status">{done}</p>}
    </form>
  );
}
