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
import { formatDateTime } from '../format';
import { bodyOf, controlId, type Form, formOf, type HistoryEntry, LABELS, type Plan } from './plan-form';
import { SettingsNav } from './SettingsNav';

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
