/**
 * A membership plan for sale again (`/memberships/plans/<planId>`, the renewal link in the
 * membership-expired email and SMS): what it gives, its price and policy, and a short form that buys it
 * through `POST /api/memberships` (the same idempotency key on a retry, so one purchase). With the
 * simulated gateway the card is one of Stripe's test cards, labelled as such. A retired plan says so.
 */
import { type SubmitEvent, useEffect, useMemo, useState } from 'react';
import { useParams } from 'react-router-dom';
import { api, ApiError, errorText } from '../api';
import { useT } from '../i18n';
import { moneyOf } from '../i18n/format';
import { CustomerLayout, useBusiness, usePageTitle } from './business';
import { Field } from './DetailsForm';
import { checkPhoneNumber } from './validation';

interface Plan {
  id: string;
  name: string;
  description: string;
  visitsTotal: number | null;
  validityDays: number;
  price: { amountMinor: number; currency: string };
  serviceIds: string[];
}

const TEST_CARDS = ['pm_card_visa', 'pm_card_visa_chargeDeclined'] as const;

export function MembershipPlanPage() {
  const { planId = '' } = useParams();
  const { t, locale } = useT();
  const business = useBusiness();
  usePageTitle(t('plan.title'));
  const [plan, setPlan] = useState<Plan | null | undefined>(undefined);
  const [simulated, setSimulated] = useState(true);
  const [form, setForm] = useState({ name: '', email: '', phone: '', card: TEST_CARDS[0] as string });
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [bought, setBought] = useState<{ certificateNumber: string } | null>(null);
  const idempotencyKey = useMemo(() => `renew-${planId}-${crypto.randomUUID()}`, [planId]);

  useEffect(() => {
    api<{ plans: Plan[] }>('GET', '/api/membership-plans').then(
      (r) => setPlan(r.plans.find((p) => p.id === planId) ?? null),
      (e: unknown) => setError(errorText(e)),
    );
    api<{ paymentsSimulated: boolean }>('GET', '/api/business').then(
      (r) => setSimulated(r.paymentsSimulated),
      () => undefined,
    );
  }, [planId]);

  async function buy(event: SubmitEvent) {
    event.preventDefault();
    setError(null);
    const found: Record<string, string> = {};
    if (!form.name.trim()) found.name = t('form.errors.nameRequired');
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(form.email.trim())) found.email = t('form.errors.emailInvalid');
    if (form.phone.trim()) {
      const phone = await checkPhoneNumber(form.phone, business?.country ?? 'US');
      if (!phone.ok) found.phone = t('form.errors.phoneInvalid', { example: phone.example });
    }
    setProblems(found);
    const first = ['name', 'email', 'phone'].find((f) => found[f]);
    if (first) return document.getElementById(`plan-${first}`)?.focus();
    setBusy(true);
    try {
      const result = await api<{ membership: { certificateNumber: string } }>('POST', '/api/memberships', {
        planId,
        timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
        customer: {
          name: form.name.trim(),
          email: form.email.trim(),
          ...(form.phone.trim() ? { phone: form.phone.trim() } : {}),
          smsOptIn: false,
          locale,
        },
        paymentMethodId: form.card,
        idempotencyKey,
      });
      setBought(result.membership);
    } catch (e) {
      if (e instanceof ApiError && e.fields.length) {
        setProblems(Object.fromEntries(e.fields.map((f) => [f.field.replace(/^customer\./, ''), f.message])));
      }
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  if (plan === null) {
    return (
      <CustomerLayout>
        <h1>{t('plan.goneTitle')}</h1>
        <p>{t('plan.gone')}</p>
        <p>
          <a href="/book">{t('manage.bookNew')}</a>
        </p>
      </CustomerLayout>
    );
  }
  const aria = (f: string) => ({
    'aria-invalid': Boolean(problems[f]),
    ...(problems[f] ? { 'aria-describedby': `plan-${f}-error` } : {}),
  });
  return (
    <CustomerLayout>
      <h1>{plan ? plan.name : t('plan.title')}</h1>
      {!plan && !error && <p className="loading">{t('plan.loading')}</p>}
      {plan && (
        <>
          {plan.description && <p>{plan.description}</p>}
          <dl className="details">
            <dt>{t('plan.visits')}</dt>
            <dd>{plan.visitsTotal === null ? t('plan.unlimited') : plan.visitsTotal}</dd>
            <dt>{t('plan.validity')}</dt>
            <dd>{t('plan.days', { count: plan.validityDays })}</dd>
            <dt>{t('confirm.price')}</dt>
            <dd>{moneyOf(plan.price.amountMinor, plan.price.currency, locale)}</dd>
          </dl>
        </>
      )}
      {bought ? (
        <div className="notice" role="status">
          <p>{t('plan.bought', { certificate: bought.certificateNumber })}</p>
          <p>
            <a href="/book">{t('plan.bookVisit')}</a>
          </p>
        </div>
      ) : (
        plan && (
          <form onSubmit={(e) => void buy(e)} noValidate aria-labelledby="plan-buy">
            <h2 id="plan-buy">{t('plan.buy')}</h2>
            {error && (
              <p role="alert" className="error">
                {error}
              </p>
            )}
            {(['name', 'email', 'phone'] as const).map((f) => (
              <Field key={f} id={`plan-${f}`} label={t(`form.${f}`)} error={problems[f]}>
                {() => (
                  <input
                    id={`plan-${f}`}
                    type={f === 'email' ? 'email' : f === 'phone' ? 'tel' : 'text'}
                    autoComplete={f === 'phone' ? 'tel' : f}
                    value={form[f]}
                    {...aria(f)}
                    onChange={(e) => setForm({ ...form, [f]: e.target.value })}
                  />
                )}
              </Field>
            ))}
            {simulated && (
              <fieldset>
                <legend>{t('plan.testCard')}</legend>
                {TEST_CARDS.map((c) => (
                  <div className="check" key={c}>
                    <input
                      type="radio"
                      id={c}
                      name="card"
                      checked={form.card === c}
                      onChange={() => setForm({ ...form, card: c })}
                    />
                    <label htmlFor={c}>{t(`plan.cards.${c}`)}</label>
                  </div>
                ))}
              </fieldset>
            )}
            <button type="submit" className="primary" disabled={busy}>
              {t('plan.pay', { price: moneyOf(plan.price.amountMinor, plan.price.currency, locale) })}
            </button>
          </form>
        )
      )}
    </CustomerLayout>
  );
}
