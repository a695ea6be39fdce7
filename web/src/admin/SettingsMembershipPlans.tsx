/**
 * Settings → Membership plans (admins): every plan with what it sold, a form to create one, and a form
 * to edit one. Like the services screen, the app holds no rules: it sends what was typed and shows the
 * API's refusals next to the field the API names. A plan that has sold memberships shows its terms
 * (visits, validity, services, policy) read-only with the reason; its name, description and price
 * still change, for new purchases only.
 */
import { type SubmitEvent, useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api, errorText } from '../api';
import { SaveMessages, TextField, useSaveAction } from './SaveAction';
import { formatDateTime, formatMoney } from '../format';
import { SettingsNav } from './SettingsNav';

interface Plan {
  id: string;
  name: string;
  description: string;
  visitsTotal: number | null;
  validityDays: number;
  priceMinor: number;
  currency: string;
  serviceIds: string[];
  services: Array<{ id: string; name: string }>;
  lateCancelHours: number;
  lateCancelForfeits: boolean;
  noShowForfeits: boolean;
  expiryReminderDays: number;
  active: boolean;
  memberships: { sold: number; active: number };
  lockedFields: string[];
}

interface HistoryEntry {
  occurredAt: string;
  kind: string;
  actor: string;
  summary: string;
}

interface Form {
  name: string;
  description: string;
  visitsTotal: string;
  validityDays: string;
  price: string;
  currency: string;
  serviceIds: string[];
  lateCancelHours: string;
  lateCancelForfeits: boolean;
  noShowForfeits: boolean;
  expiryReminderDays: string;
}

const formOf = (p: Plan | null, currency: string): Form => ({
  name: p?.name ?? '',
  description: p?.description ?? '',
  visitsTotal: p ? (p.visitsTotal === null ? '' : String(p.visitsTotal)) : '5',
  validityDays: p ? String(p.validityDays) : '180',
  price: p ? (p.priceMinor / 100).toFixed(2) : '',
  currency: p?.currency ?? currency,
  serviceIds: p?.serviceIds ?? [],
  lateCancelHours: p ? String(p.lateCancelHours) : '24',
  lateCancelForfeits: p?.lateCancelForfeits ?? true,
  noShowForfeits: p?.noShowForfeits ?? true,
  expiryReminderDays: p ? String(p.expiryReminderDays) : '14',
});

/** A number when the text is one; otherwise the text itself, so the API names what is wrong with it. */
const numberOrText = (text: string): number | string => {
  const trimmed = text.trim();
  return trimmed !== '' && Number.isFinite(Number(trimmed)) ? Number(trimmed) : trimmed;
};
const moneyOf = (text: string): number | string => {
  const value = numberOrText(text);
  return typeof value === 'number' ? Math.round(value * 100) : value;
};

/** The request body: a locked term is not sent (it cannot change). */
function bodyOf(form: Form, locked: string[]): Record<string, unknown> {
  const body: Record<string, unknown> = {
    name: form.name,
    description: form.description,
    priceMinor: moneyOf(form.price),
    currency: form.currency.trim().toUpperCase(),
    visitsTotal: form.visitsTotal.trim() === '' ? null : numberOrText(form.visitsTotal),
    validityDays: numberOrText(form.validityDays),
    serviceIds: form.serviceIds,
    lateCancelHours: numberOrText(form.lateCancelHours),
    lateCancelForfeits: form.lateCancelForfeits,
    noShowForfeits: form.noShowForfeits,
    expiryReminderDays: numberOrText(form.expiryReminderDays),
  };
  for (const field of locked) delete body[field];
  return body;
}

/** API field → the form control's id (the price is entered in major units). */
function controlId(field: string): string {
  const top = field.split('.')[0] ?? field;
  if (top === 'serviceIds') return 'plan-services';
  return `plan-${top === 'priceMinor' ? 'price' : top}`;
}

/** API field → the words the form uses for it, for the "Saved: … changed" notice. */
const LABELS: Record<string, string> = {
  name: 'name',
  description: 'description',
  priceMinor: 'price',
  currency: 'currency',
  visitsTotal: 'visits',
  validityDays: 'validity',
  serviceIds: 'services',
  lateCancelHours: 'late cancellation hours',
  lateCancelForfeits: 'late cancellation rule',
  noShowForfeits: 'no-show rule',
  expiryReminderDays: 'expiry reminder',
};

const visitsText = (p: Plan) => (p.visitsTotal === null ? 'unlimited' : String(p.visitsTotal));
const servicesText = (p: Plan) => (p.services.length ? p.services.map((s) => s.name).join(', ') : 'every service');

export function MembershipPlansPage() {
  const [plans, setPlans] = useState<Plan[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    document.title = 'Membership plans — Maple Street';
    api<{ plans: Plan[] }>('GET', '/api/admin/membership-plans').then(
      (r) => setPlans(r.plans),
      (e: unknown) => setError(errorText(e)),
    );
  }, []);
  return (
    <>
      <h1>Membership plans</h1>
      <SettingsNav />
      <p className="hint">
        A new name or price applies to new purchases; memberships already sold keep the name and price they were sold
        with. Once a plan has sold a membership its visits, validity, services and policy are fixed — create a new plan
        to sell different terms, and retire the old one.
      </p>
      <p>
        <Link to="/admin/settings/membership-plans/new">New membership plan</Link>
      </p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {!plans && !error && <p>Loading…</p>}
      {plans && plans.length === 0 && <p>No membership plans yet.</p>}
      {plans && plans.length > 0 && (
        <table>
          <caption>Membership plans</caption>
          <thead>
            <tr>
              <th scope="col">Plan</th>
              <th scope="col">Visits</th>
              <th scope="col">Valid for</th>
              <th scope="col">Price</th>
              <th scope="col">Covers</th>
              <th scope="col">Sold</th>
              <th scope="col">Active</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {plans.map((p) => (
              <tr key={p.id}>
                <td>
                  <Link to={`/admin/settings/membership-plans/${p.id}`}>{p.name}</Link>
                </td>
                <td>{visitsText(p)}</td>
                <td>{p.validityDays} days</td>
                <td>{formatMoney(p.priceMinor, p.currency)}</td>
                <td>{servicesText(p)}</td>
                <td>{p.memberships.sold}</td>
                <td>{p.memberships.active}</td>
                <td>{p.active ? 'for sale' : 'retired'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

export function MembershipPlanEditorPage() {
  const { id } = useParams();
  const isNew = !id || id === 'new';
  const navigate = useNavigate();
  const [plan, setPlan] = useState<Plan | null>(null);
  const [form, setForm] = useState<Form | null>(null);
  const [services, setServices] = useState<Array<{ id: string; name: string; active: boolean }>>([]);
  const [history, setHistory] = useState<HistoryEntry[]>([]);
  const [version, setVersion] = useState(0);
  const { problemsFor, unplaced, error, setError, notice, setNotice, busy, errorRef, run } = useSaveAction(controlId);

  useEffect(() => {
    document.title = `${isNew ? 'New membership plan' : 'Edit membership plan'} — Maple Street`;
    const load = async () => {
      const [list, settings] = await Promise.all([
        api<{ services: Array<{ id: string; name: string; active: boolean }> }>('GET', '/api/admin/services'),
        api<{ business: { currency: string } | null }>('GET', '/api/admin/settings'),
      ]);
      setServices(list.services);
      if (isNew) {
        setPlan(null);
        setForm(formOf(null, settings.business?.currency.trim() ?? 'USD'));
        return;
      }
      const detail = await api<{ plan: Plan; history: HistoryEntry[] }>('GET', `/api/admin/membership-plans/${id}`);
      setPlan(detail.plan);
      setForm(formOf(detail.plan, detail.plan.currency));
      setHistory(detail.history);
    };
    load().catch((e: unknown) => setError(errorText(e)));
  }, [id, isNew, version]);

  const locked = plan?.lockedFields ?? [];
  const save = (e: SubmitEvent) => {
    e.preventDefault();
    if (!form) return;
    void run(async () => {
      if (isNew) {
        const created = await api<{ plan: Plan }>('POST', '/api/membership-plans', bodyOf(form, []));
        void navigate(`/admin/settings/membership-plans/${created.plan.id}`);
        setNotice('Plan created. It is for sale now.');
      } else {
        const r = await api<{ changes: Record<string, unknown> }>(
          'PATCH',
          `/api/membership-plans/${id}`,
          bodyOf(form, locked),
        );
        const changed = Object.keys(r.changes).map((f) => LABELS[f] ?? f);
        setNotice(changed.length ? `Saved: ${changed.join(', ')} changed. New purchases use it.` : 'Nothing changed.');
        setVersion((v) => v + 1);
      }
    });
  };
  const setActive = (active: boolean) =>
    run(async () => {
      await api('PATCH', `/api/membership-plans/${id}`, { active });
      setNotice(
        active
          ? 'Offered again: the plan is for sale.'
          : 'Retired: no longer for sale. Memberships already sold run on unchanged.',
      );
      setVersion((v) => v + 1);
    });

  if (!form)
    return error ? (
      <p role="alert" className="error">
        {error}
      </p>
    ) : (
      <p>Loading…</p>
    );

  const set = (patch: Partial<Form>) => setForm({ ...form, ...patch });
  const lockReason = plan
    ? `Read-only: ${plan.memberships.sold} membership${plan.memberships.sold === 1 ? ' was' : 's were'} sold with these terms, and changing them would change what those customers bought. Create a new plan to sell different terms.`
    : '';
  /** A labelled input with its hint and refusal below it, tied by aria-describedby; read-only when locked. */
  const field = (key: keyof Form, label: string, hint?: string, inputMode: 'numeric' | 'decimal' | 'text' = 'text') => {
    const isLocked = locked.includes(key === 'price' ? 'priceMinor' : key);
    return (
      <TextField
        key={key}
        id={`plan-${key}`}
        label={label}
        value={form[key] as string}
        onChange={(v) => set({ [key]: v } as Partial<Form>)}
        problems={problemsFor(`plan-${key}`)}
        hint={isLocked ? undefined : hint}
        inputMode={inputMode}
        readOnly={isLocked}
        {...(isLocked ? { describedBy: 'plan-terms-locked' } : {})}
      />
    );
  };

  const check = (key: 'lateCancelForfeits' | 'noShowForfeits', label: string) => {
    const cid = `plan-${key}`;
    const isLocked = locked.includes(key);
    const found = problemsFor(cid);
    const described = [isLocked ? 'plan-terms-locked' : '', found.length ? `${cid}-problem` : '']
      .filter(Boolean)
      .join(' ');
    return (
      <div className="check">
        <input
          id={cid}
          type="checkbox"
          checked={form[key]}
          disabled={isLocked}
          onChange={(e) => set({ [key]: e.target.checked } as Partial<Form>)}
          aria-invalid={found.length > 0}
          aria-describedby={described || undefined}
        />
        <label htmlFor={cid}>{label}</label>
        {found.length > 0 && (
          <p className="field-error" id={`${cid}-problem`}>
            {found.join('; ')}
          </p>
        )}
      </div>
    );
  };
  const servicesLocked = locked.includes('serviceIds');
  const serviceProblems = problemsFor('plan-services');
  const servicesDescribed = [
    'plan-services-hint',
    servicesLocked ? 'plan-terms-locked' : '',
    serviceProblems.length ? 'plan-services-problem' : '',
  ]
    .filter(Boolean)
    .join(' ');

  return (
    <>
      <h1>{isNew ? 'New membership plan' : `Edit ${plan?.name ?? 'membership plan'}`}</h1>
      <SettingsNav />
      <p>
        <Link to="/admin/settings/membership-plans">All membership plans</Link>
      </p>
      {plan && (
        <p>
          {plan.active ? 'For sale' : 'Retired (not for sale)'} · {plan.memberships.sold} sold ·{' '}
          {plan.memberships.active} active
        </p>
      )}
      <SaveMessages notice={notice} error={error} errorRef={errorRef} unplaced={unplaced()} />
      <form onSubmit={save} aria-label={isNew ? 'New membership plan' : 'Edit membership plan'} noValidate>
        <fieldset>
          <legend>Plan</legend>
          {field('name', 'Name', 'a new name applies to new purchases')}
          {field('description', 'Description')}
          {field('price', `Price (${form.currency})`, 'a new price applies to new purchases', 'decimal')}
          {field('currency', 'Currency', 'ISO code, e.g. USD')}
        </fieldset>
        <h2>Terms customers buy</h2>
        {locked.length > 0 ? (
          <p className="notice" id="plan-terms-locked">
            {lockReason}
          </p>
        ) : (
          <p className="hint">Visits, validity, services and policy can change until the plan sells a membership.</p>
        )}
        <fieldset>
          <legend>Visits and validity</legend>
          {field('visitsTotal', 'Visits', 'empty: unlimited visits', 'numeric')}
          {field('validityDays', 'Valid for (days after purchase)', undefined, 'numeric')}
        </fieldset>
        <fieldset id="plan-services" tabIndex={-1} aria-describedby={servicesDescribed}>
          <legend>Services it covers</legend>
          <p className="hint" id="plan-services-hint">
            None checked: every service.
          </p>
          {services
            .filter((s) => s.active || form.serviceIds.includes(s.id))
            .map((s) => (
              <div className="check" key={s.id}>
                <input
                  id={`plan-service-${s.id}`}
                  type="checkbox"
                  checked={form.serviceIds.includes(s.id)}
                  disabled={servicesLocked}
                  onChange={(e) =>
                    set({
                      serviceIds: e.target.checked
                        ? [...form.serviceIds, s.id]
                        : form.serviceIds.filter((x) => x !== s.id),
                    })
                  }
                />
                <label htmlFor={`plan-service-${s.id}`}>{s.name}</label>
              </div>
            ))}
          {serviceProblems.length > 0 && (
            <p className="field-error" id="plan-services-problem">
              {serviceProblems.join('; ')}
            </p>
          )}
        </fieldset>
        <fieldset>
          <legend>Visit policy</legend>
          {field('lateCancelHours', 'Late cancellation (hours before the visit)', undefined, 'numeric')}
          {check('lateCancelForfeits', 'A late cancellation uses up the visit')}
          {check('noShowForfeits', 'A no-show uses up the visit')}
          {field('expiryReminderDays', 'Expiry reminder (days before the end)', undefined, 'numeric')}
        </fieldset>
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {isNew ? 'Create plan' : 'Save changes'}
          </button>
          {plan && (
            <button type="button" onClick={() => void setActive(!plan.active)} disabled={busy}>
              {plan.active ? 'Retire (stop selling)' : 'Offer again'}
            </button>
          )}
        </div>
      </form>
      {!isNew && (
        <>
          <h2>Changes</h2>
          {history.length === 0 ? (
            <p>No changes recorded.</p>
          ) : (
            <ul>
              {history.map((h, i) => (
                <li key={i}>
                  {formatDateTime(h.occurredAt, Intl.DateTimeFormat().resolvedOptions().timeZone)} — {h.actor}:{' '}
                  {h.summary}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </>
  );
}
