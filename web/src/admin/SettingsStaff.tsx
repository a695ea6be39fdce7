/**
 * Settings → Staff (admins): everyone with role, zone, colour and sign-in; add or edit a staff member
 * (name, email, phone, role, time zone, services, colour), invite them to set a password, deactivate
 * them (their booked appointments listed first, for reassignment) or reactivate; the change history.
 * Refusals are shown next to the field the server names. API: /api/admin/staff… (src/staff/).
 */
import { type SubmitEvent, useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api, errorText } from '../api';
import { COMMON_TIME_ZONES, detectedTimeZone, formatDateTime } from '../format';
import { useLoad } from '../useLoad';
import { SaveMessages, TextField, useSaveAction } from './SaveAction';
import { SettingsNav } from './SettingsNav';
import { StaffDeactivation } from './StaffDeactivation';
import { TimelineTable } from './TimelineTable';
import type { StaffDetail, StaffRow } from './types';

const ROLE_WORDS: Record<string, string> = { admin: 'Admin', staff: 'Front desk / office', technician: 'Technician' };

export function StaffListPage() {
  const { data, error } = useLoad<{ staff: StaffRow[] }>('/api/admin/staff?includeInactive=true', 'Staff');
  const staff = data?.staff ?? null;
  return (
    <>
      <h1>Staff</h1>
      <SettingsNav />
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <p>
        <Link to="/admin/settings/staff/new">Add a staff member</Link>
      </p>
      <table className="stack-on-phone">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Role</th>
            <th scope="col">Time zone</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {staff?.map((s) => (
            <tr key={s.id}>
              <td>
                <span className="swatch" style={{ background: s.colour ?? '#ffffff' }} aria-hidden="true" />
                <Link to={`/admin/settings/staff/${s.id}`}>{s.name}</Link>
              </td>
              <td>{ROLE_WORDS[s.role] ?? s.role}</td>
              <td>{s.timeZone}</td>
              <td>{s.active ? 'Active' : 'Deactivated'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

const CONTROL: Record<string, string> = {
  name: 'st-name',
  email: 'st-email',
  phone: 'st-phone',
  role: 'st-role',
  timeZone: 'st-zone',
  colour: 'st-colour',
  active: 'st-deactivate',
};
const controlId = (field: string) => CONTROL[field] ?? (field.startsWith('serviceIds') ? 'st-services' : 'st-name');

export function StaffEditorPage() {
  const { id = 'new' } = useParams();
  const isNew = id === 'new';
  const navigate = useNavigate();
  const [detail, setDetail] = useState<StaffDetail | null>(null);
  const [services, setServices] = useState<Array<{ id: string; name: string }>>([]);
  const [form, setForm] = useState({
    name: '',
    email: '',
    phone: '',
    role: 'staff',
    timeZone: detectedTimeZone(),
    colour: '#0b5cad',
    serviceIds: [] as string[],
  });
  const [version, setVersion] = useState(0);
  const save = useSaveAction(controlId);
  const timeZone = detectedTimeZone();

  useEffect(() => {
    api<{ services: Array<{ id: string; name: string }> }>('GET', '/api/services')
      .then((r) => setServices(r.services))
      .catch(() => undefined);
  }, []);
  useEffect(() => {
    document.title = `${isNew ? 'Add a staff member' : 'Staff member'} — Maple Street`;
    if (isNew) return;
    api<StaffDetail>('GET', `/api/admin/staff/${id}`)
      .then((d) => {
        setDetail(d);
        const s = d.staff;
        setForm({
          name: s.name,
          email: s.email,
          phone: s.phone ?? '',
          role: s.role,
          timeZone: s.timeZone,
          colour: s.colour ?? '#0b5cad',
          serviceIds: s.serviceIds,
        });
      })
      .catch((e: unknown) => save.setError(errorText(e)));
  }, [id, isNew, version]);

  const set = (change: Partial<typeof form>) => setForm((f) => ({ ...f, ...change }));
  function submit(event: SubmitEvent) {
    event.preventDefault();
    const body = { ...form, phone: form.phone.trim() || null };
    void save.run(async () => {
      if (isNew) {
        const r = await api<{ staff: { id: string } }>('POST', '/api/admin/staff', body);
        void navigate(`/admin/settings/staff/${r.staff.id}`);
      } else {
        await api('PATCH', `/api/admin/staff/${id}`, body);
        save.setNotice('Saved.');
        setVersion((v) => v + 1);
      }
    });
  }
  const zones = COMMON_TIME_ZONES.includes(form.timeZone) ? COMMON_TIME_ZONES : [form.timeZone, ...COMMON_TIME_ZONES];
  const problem = (cid: string) => save.problemsFor(cid);

  return (
    <>
      <h1>{isNew ? 'Add a staff member' : (detail?.staff.name ?? 'Staff member')}</h1>
      <SettingsNav />
      <p>
        <Link to="/admin/settings/staff">All staff</Link>
      </p>
      <SaveMessages notice={save.notice} error={save.error} errorRef={save.errorRef} unplaced={save.unplaced()} />
      <form onSubmit={submit} aria-label="Staff member">
        <TextField
          id="st-name"
          label="Name"
          value={form.name}
          onChange={(v) => set({ name: v })}
          problems={problem('st-name')}
        />
        <TextField
          id="st-email"
          label="Email"
          value={form.email}
          onChange={(v) => set({ email: v })}
          problems={problem('st-email')}
        />
        <TextField
          id="st-phone"
          label="Mobile phone (optional)"
          hint="With the country code, e.g. +12125550123"
          value={form.phone}
          onChange={(v) => set({ phone: v })}
          problems={problem('st-phone')}
        />
        <label htmlFor="st-role">Role</label>
        <select
          id="st-role"
          value={form.role}
          onChange={(e) => set({ role: e.target.value })}
          aria-invalid={problem('st-role').length > 0}
        >
          {Object.entries(ROLE_WORDS).map(([value, words]) => (
            <option key={value} value={value}>
              {words}
            </option>
          ))}
        </select>
        <FieldProblems id="st-role" problems={problem('st-role')} />
        <label htmlFor="st-zone">Time zone</label>
        <select id="st-zone" value={form.timeZone} onChange={(e) => set({ timeZone: e.target.value })}>
          {zones.map((z) => (
            <option key={z} value={z}>
              {z}
            </option>
          ))}
        </select>
        <label htmlFor="st-colour">Calendar colour</label>
        <input
          id="st-colour"
          type="color"
          value={form.colour}
          onChange={(e) => set({ colour: e.target.value })}
          style={{ maxWidth: '6rem' }}
        />
        <fieldset id="st-services" tabIndex={-1}>
          <legend>Services they perform</legend>
          {services.map((s) => (
            <div className="check" key={s.id}>
              <input
                type="checkbox"
                id={`st-svc-${s.id}`}
                checked={form.serviceIds.includes(s.id)}
                onChange={(e) =>
                  set({
                    serviceIds: e.target.checked
                      ? [...form.serviceIds, s.id]
                      : form.serviceIds.filter((x) => x !== s.id),
                  })
                }
              />
              <label htmlFor={`st-svc-${s.id}`}>{s.name}</label>
            </div>
          ))}
          <FieldProblems id="st-services" problems={problem('st-services')} />
        </fieldset>
        <div className="actions">
          <button type="submit" className="primary" disabled={save.busy}>
            {isNew ? 'Add staff member' : 'Save changes'}
          </button>
        </div>
      </form>
      {detail && (
        <>
          <SignInSection detail={detail} timeZone={timeZone} onInvited={() => setVersion((v) => v + 1)} />
          <StaffDeactivation detail={detail} timeZone={timeZone} onChanged={() => setVersion((v) => v + 1)} />
          <TimelineTable
            timeZone={timeZone}
            rows={detail.history.map((h, i) => ({
              key: `h${i}`,
              at: h.occurredAt,
              what: h.summary,
              who: h.actor,
              channel: h.channel,
            }))}
          />
        </>
      )}
    </>
  );
}

function FieldProblems({ id, problems }: { id: string; problems: string[] }) {
  return problems.length ? (
    <p className="field-error" id={`${id}-problem`}>
      {problems.join('; ')}
    </p>
  ) : null;
}

function SignInSection(props: { detail: StaffDetail; timeZone: string; onInvited: () => void }) {
  const { staff } = props.detail;
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  async function invite() {
    setError(null);
    try {
      await api('POST', `/api/admin/staff/${staff.id}/invite`, {});
      setNotice(`Invitation sent to ${staff.email}.`);
      props.onInvited();
    } catch (e) {
      setError(errorText(e));
    }
  }
  const inv = staff.invitation;
  return (
    <section className="panel" aria-labelledby="signin-heading">
      <h2 id="signin-heading">Sign-in</h2>
      <p>
        {staff.account
          ? `Signs in as ${staff.account.email}${staff.account.active ? '' : ' (sign-in turned off)'}.`
          : 'No sign-in yet.'}{' '}
        {inv &&
          (inv.acceptedAt
            ? `Password set ${formatDateTime(inv.acceptedAt, props.timeZone)}.`
            : `Invited ${formatDateTime(inv.sentAt, props.timeZone)}; the link works until ${formatDateTime(inv.expiresAt, props.timeZone)}.`)}
      </p>
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
      {staff.active && (
        <button type="button" onClick={() => void invite()}>
          {staff.account ? 'Send a link to set a new password' : 'Invite to set a password'}
        </button>
      )}
    </section>
  );
}
