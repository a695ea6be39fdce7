/** Services as cards (name, duration, price, description), and the optional staff choice. */
import { useT } from '../i18n';
import { moneyOf } from '../i18n/format';
import { type CancellationTerms, CancellationPolicyNote } from './CancellationPolicy';

export interface Service {
  /** Whether booking asks for a card saved for after the visit (web/src/payments/CardStep.tsx). */
  cardAtBooking?: 'required' | 'optional' | 'none';
  id: string;
  slug: string;
  formerSlugs: string[];
  name: string;
  description: string;
  durationMinutes: number;
  price: { amountMinor: number; currency: string; per: string };
  location: 'business' | 'customer';
  bookingHorizonDays: number;
  reminderHoursBefore: number[];
  staff: Array<{ id: string; name: string }>;
  /** Late-cancel window and fee, no-show fee, as amounts (null: cancelling is free). */
  cancellationPolicy?: CancellationTerms | null;
  /** The deposit taken at booking (null: none), credited on the invoice (web/src/payments/DepositStep.tsx). */
  deposit?: { amountMinor: number; currency: string } | null;
}

export function durationText(minutes: number, t: (k: string, v?: Record<string, unknown>) => string): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return t('duration.minutes', { count: m });
  return m === 0 ? t('duration.hours', { count: h }) : t('duration.hoursMinutes', { h, m });
}

export function priceText(service: Service, locale: string, t: (k: string) => string): string {
  const money = moneyOf(service.price.amountMinor, service.price.currency, locale);
  return service.price.per === 'hour' ? `${money} ${t('service.perHour')}` : money;
}

export function ServiceCards(props: {
  services: Service[];
  selected: string | undefined;
  onPick: (s: Service) => void;
}) {
  const { t, locale } = useT();
  return (
    <ul className="service-cards">
      {props.services.map((s) => (
        <li key={s.id}>
          <button
            type="button"
            className="service-card"
            aria-pressed={s.id === props.selected}
            aria-describedby={`svc-${s.id}-desc`}
            onClick={() => props.onPick(s)}
          >
            <span className="service-name">{s.name}</span>
            <span className="service-meta">
              {durationText(s.durationMinutes, t)} · {priceText(s, locale, t)}
              {s.location === 'customer' && <> · {t('service.weComeToYou')}</>}
            </span>
          </button>
          <p className="service-desc" id={`svc-${s.id}-desc`}>
            {s.description}
          </p>
          <CancellationPolicyNote terms={s.cancellationPolicy} />
        </li>
      ))}
    </ul>
  );
}

export function StaffChoice(props: { service: Service; value: string; onChange: (staffId: string) => void }) {
  const { t } = useT();
  if (props.service.staff.length < 2) return null;
  const options = [{ id: '', name: t('staff.anyone') }, ...props.service.staff];
  return (
    <fieldset className="staff-choice">
      <legend>{t('staff.legend')}</legend>
      <div className="chips">
        {options.map((o) => (
          <label key={o.id || 'anyone'} className={`chip${props.value === o.id ? ' selected' : ''}`}>
            <input
              type="radio"
              name="staff"
              value={o.id}
              checked={props.value === o.id}
              onChange={() => props.onChange(o.id)}
            />
            {o.name}
          </label>
        ))}
      </div>
      {props.value === '' && <p className="hint">{t('staff.anyoneRule')}</p>}
    </fieldset>
  );
}
