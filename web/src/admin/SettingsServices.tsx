/**
 * Settings → Services (admins): one form to create or edit a service with its billing and
 * lifecycle policy. The app holds no rules: it sends what was typed and shows the API's refusals next
 * to the field the API names (`durationMinutes`, `lifecyclePolicy.tomorrowHoursBefore`, …). Policy
 * fields left empty follow the defaults, which are shown beside each field.
 */
import { type SubmitEvent, useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api, errorText } from '../api';
import { SaveMessages, TextField, useSaveAction } from './SaveAction';
import { formatDateTime } from '../format';
import {
  bodyOf,
  controlId,
  type Form,
  formOf,
  type HistoryEntry,
  NUMBER_FIELDS,
  type Policy,
  POLICY_FIELDS,
  type Service,
} from './service-form';
import { SettingsNav } from './SettingsNav';
import { CancellationPolicyFields } from './CancellationPolicyFields';
import { DepositFields } from './DepositFields';
import { FilesRequestField } from './FilesRequestField';
import { Problem } from './Problem';

export function ServiceEditorPage() {
  const { id } = useParams();
  const isNew = !id || id === 'new';
  const navigate = useNavigate();
  const [form, setForm] = useState<Form | null>(null);
  const [defaults, setDefaults] = useState<Policy | null>(null);
  const [staff, setStaff] = useState<Array<{ id: string; name: string }>>([]);
  const [history, setHistory] = useState<HistoryEntry[]>([]);
  const [appointments, setAppointments] = useState(0);
  const [formerSlugs, setFormerSlugs] = useState<string[]>([]);
  const [version, setVersion] = useState(0);
  const { problemsFor, unplaced, error, setError, notice, setNotice, busy, errorRef, run } = useSaveAction(controlId);

  useEffect(() => {
    document.title = `${isNew ? 'New service' : 'Edit service'} — Maple Street`;
    const load = async () => {
      const [list, people, settings] = await Promise.all([
        api<{ lifecyclePolicyDefaults: Policy }>('GET', '/api/admin/services'),
        api<{ staff: Array<{ id: string; name: string }> }>('GET', '/api/admin/staff'),
        api<{ business: { currency: string } | null }>('GET', '/api/admin/settings'),
      ]);
      setDefaults(list.lifecyclePolicyDefaults);
      setStaff(people.staff);
      if (isNew) {
        setForm(formOf(null, settings.business?.currency.trim() ?? 'USD'));
        return;
      }
      const detail = await api<{ service: Service; history: HistoryEntry[]; appointments: number }>(
        'GET',
        `/api/admin/services/${id}`,
      );
      setForm(formOf(detail.service, detail.service.currency));
      setHistory(detail.history);
      setAppointments(detail.appointments);
      setFormerSlugs(detail.service.formerSlugs);
    };
    load().catch((e: unknown) => setError(errorText(e)));
  }, [id, isNew, version]);

  const save = (e: SubmitEvent) => {
    e.preventDefault();
    if (!form) return;
    void run(async () => {
      if (isNew) {
        const created = await api<{ service: Service }>('POST', '/api/admin/services', bodyOf(form));
        void navigate(`/admin/settings/services/${created.service.id}`);
        setNotice('Service created. It is offered for booking now.');
      } else {
        const r = await api<{ changes: Record<string, unknown> }>('PATCH', `/api/admin/services/${id}`, bodyOf(form));
        const changed = Object.keys(r.changes);
        setNotice(changed.length ? `Saved: ${changed.join(', ')} changed. New bookings use it.` : 'Nothing changed.');
        setVersion((v) => v + 1);
      }
    });
  };
  const archive = () =>
    run(async () => {
      const r = await api<{ outcome: string }>('DELETE', `/api/admin/services/${id}`);
      if (r.outcome === 'deleted') {
        void navigate('/admin/settings/services');
        return;
      }
      setNotice('Archived: no longer offered. Its appointments keep it.');
      setVersion((v) => v + 1);
    });

  if (!form || !defaults) return error ? <Problem error={error} /> : <p>Loading…</p>;

  const set = (patch: Partial<Form>) => setForm({ ...form, ...patch });
  /** A labelled input with its refusal (if any) right below it, tied by aria-describedby. */
  const field = (
    key: string,
    label: string,
    value: string,
    onChange: (v: string) => void,
    hint?: string,
    inputMode: 'numeric' | 'decimal' | 'text' = 'text',
  ) => (
    <TextField
      key={key}
      id={`svc-${key}`}
      label={label}
      value={value}
      onChange={onChange}
      problems={problemsFor(`svc-${key}`)}
      hint={hint}
      inputMode={inputMode}
    />
  );

  const staffProblems = problemsFor('svc-staff');

  return (
    <>
      <h1>{isNew ? 'New service' : `Edit ${form.name || 'service'}`}</h1>
      <SettingsNav />
      <p>
        <Link to="/admin/settings/services">All services</Link>
      </p>
      <SaveMessages notice={notice} error={error} errorRef={errorRef} unplaced={unplaced()} />
      <form onSubmit={save} aria-label={isNew ? 'New service' : 'Edit service'} noValidate>
        <fieldset>
          <legend>Service</legend>
          {field('name', 'Name', form.name, (v) => set({ name: v }))}
          {field(
            'slug',
            'Booking address',
            form.slug,
            (v) => set({ slug: v }),
            `/book/${form.slug || '…'}${isNew ? ' (left empty: made from the name)' : ''}. Links already sent keep working after a change${
              formerSlugs.length ? `; earlier addresses: ${formerSlugs.map((s) => `/book/${s}`).join(', ')}` : ''
            }.`,
          )}
          {field('description', 'Description', form.description, (v) => set({ description: v }))}
          {NUMBER_FIELDS.slice(0, 6).map(([key, label, unit]) =>
            field(
              key,
              `${label} (${unit})`,
              form[key],
              (v) => set({ [key]: v } as Partial<Form>),
              undefined,
              'numeric',
            ),
          )}
          <div className="check">
            <input
              id="svc-active"
              type="checkbox"
              checked={form.active}
              onChange={(e) => set({ active: e.target.checked })}
            />
            <label htmlFor="svc-active">Offered for booking (uncheck to archive)</label>
          </div>
        </fieldset>
        <fieldset
          id="svc-staff"
          tabIndex={-1}
          aria-describedby={staffProblems.length ? 'svc-staff-problem' : undefined}
        >
          <legend>Staff who perform it</legend>
          {staff.map((s) => (
            <div className="check" key={s.id}>
              <input
                id={`svc-staff-${s.id}`}
                type="checkbox"
                checked={form.staffIds.includes(s.id)}
                onChange={(e) =>
                  set({
                    staffIds: e.target.checked ? [...form.staffIds, s.id] : form.staffIds.filter((x) => x !== s.id),
                  })
                }
              />
              <label htmlFor={`svc-staff-${s.id}`}>{s.name}</label>
            </div>
          ))}
          {staffProblems.length > 0 && (
            <p className="field-error" id="svc-staff-problem">
              {staffProblems.join('; ')}
            </p>
          )}
        </fieldset>
        <fieldset>
          <legend>Price and billing</legend>
          <label htmlFor="svc-pricing">Price model</label>
          <select
            id="svc-pricing"
            value={form.pricing}
            onChange={(e) => set({ pricing: e.target.value as Form['pricing'] })}
          >
            <option value="fixed">Fixed price per visit</option>
            <option value="hourly">Hourly rate (billable hours)</option>
          </select>
          {field('price', `Fixed price (${form.currency})`, form.price, (v) => set({ price: v }), undefined, 'decimal')}
          {field(
            'hourlyRate',
            `Hourly rate (${form.currency})`,
            form.hourlyRate,
            (v) => set({ hourlyRate: v }),
            undefined,
            'decimal',
          )}
          {field('currency', 'Currency', form.currency, (v) => set({ currency: v }), 'ISO code, e.g. USD')}
          {field(
            'billingIncrementMinutes',
            'Billing increment (minutes)',
            form.billingIncrementMinutes,
            (v) => set({ billingIncrementMinutes: v }),
            'billable hours are entered in these steps',
            'numeric',
          )}
          <label htmlFor="svc-billingPolicy">Billing policy</label>
          <select
            id="svc-billingPolicy"
            value={form.billingPolicy}
            onChange={(e) => set({ billingPolicy: e.target.value as Form['billingPolicy'] })}
          >
            <option value="manual">Staff confirm the charge (a task)</option>
            <option value="auto">Charge the saved card automatically after delivery</option>
          </select>
          {field(
            'taxPercent',
            'Tax rate override (%)',
            form.taxPercent,
            (v) => set({ taxPercent: v }),
            'empty: the business tax rate',
            'decimal',
          )}
        </fieldset>
        <CancellationPolicyFields
          form={form.cancellation}
          currency={form.currency}
          onChange={(cancellation) => set({ cancellation })}
          problemsFor={problemsFor}
        />
        <DepositFields
          form={form.deposit}
          currency={form.currency}
          onChange={(deposit) => set({ deposit })}
          problemsFor={problemsFor}
        />
        <FilesRequestField form={form} onChange={set} problemsFor={problemsFor} />
        <fieldset>
          <legend>Lifecycle policy</legend>
          <p className="hint">Leave a field empty to follow the default shown with it.</p>
          {POLICY_FIELDS.map(([key, label, unit]) => {
            const fallback = defaults[key];
            return field(
              `policy-${key}`,
              `${label} (${unit})`,
              form.policy[key],
              (v) => set({ policy: { ...form.policy, [key]: v } }),
              `default ${Array.isArray(fallback) ? fallback.join(', ') : fallback}`,
              key === 'paymentRetryDays' ? 'text' : 'decimal',
            );
          })}
        </fieldset>
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {isNew ? 'Create service' : 'Save changes'}
          </button>
          {!isNew && form.active && (
            <button type="button" onClick={() => void archive()} disabled={busy}>
              {appointments > 0 ? 'Archive' : 'Delete'}
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
