/** Settings: the business, services at a glance, and each staff member's working hours and time off. */
import { useState } from 'react';
import { api } from '../api';
import { detectedTimeZone, formatDateTime, formatMoney } from '../format';
import { useLoad } from '../useLoad';
import { HoursEditor } from './HoursEditor';
import { Problem } from './Problem';
import { SettingsNav } from './SettingsNav';
import { TimeOffForm } from './TimeOffForm';

export function SettingsPage() {
  const [version, setVersion] = useState(0);
  const { data, error } = useLoad<{
    business: { name: string; time_zone: string; currency: string; tax_rate_bps: number } | null;
    services: Array<{
      id: string;
      name: string;
      durationMinutes: number;
      pricing: string;
      priceMinor: number;
      hourlyRateMinor: number;
      currency: string;
      active: boolean;
      billingPolicy: string;
      billingIncrementMinutes: number;
    }>;
    staff: Array<{ id: string; name: string; email: string; role: string; timeZone: string }>;
    hours: Array<{ staffId: string; weekday: number; startTime: string; endTime: string }>;
    timeOff: Array<{ id: string; staffId: string; startsAt: string; endsAt: string; reason: string }>;
  }>(`/api/admin/settings?v=${version}`, 'Settings');
  const reload = () => setVersion((v) => v + 1);
  const [saved, setSaved] = useState<{ staffId: string; text: string } | null>(null);
  return (
    <>
      <h1>Settings</h1>
      <SettingsNav />
      <p className="hint">
        Working hours and time off change the free slots at once (booked appointments stay). Admins edit services with
        their lifecycle and billing policies, message templates and integrations in their own sections.
      </p>
      <Problem error={error} />
      {data?.business && (
        <p>
          {data.business.name} · {data.business.time_zone} · {data.business.currency} · tax{' '}
          {data.business.tax_rate_bps / 100}%
        </p>
      )}
      <h2>Services</h2>
      <ul>
        {data?.services.map((s) => (
          <li key={s.id}>
            {s.name}: {s.durationMinutes} min,{' '}
            {s.pricing === 'hourly'
              ? `${formatMoney(s.hourlyRateMinor, s.currency)} per hour`
              : formatMoney(s.priceMinor, s.currency)}
            ; billing {s.billingPolicy === 'manual' ? 'after staff confirm the charge' : 'automatic after delivery'}
            {s.pricing === 'hourly' ? `, in ${s.billingIncrementMinutes}-minute steps` : ''}
            {s.active ? '' : ' (inactive)'}
          </li>
        ))}
      </ul>
      <h2>Staff, hours and time off</h2>
      {data?.staff.map((s) => (
        <section key={`${s.id}-${version}`} className="panel" style={{ marginBottom: '1rem' }}>
          <h3>
            {s.name} ({s.role}, {s.timeZone})
          </h3>
          <HoursEditor
            staffId={s.id}
            staffName={s.name}
            initial={data.hours.filter((h) => h.staffId === s.id)}
            onSaved={reload}
          />
          <h4>Time off</h4>
          <ul>
            {data.timeOff
              .filter((t) => t.staffId === s.id)
              .map((t) => (
                <li key={t.id}>
                  {formatDateTime(t.startsAt, s.timeZone)} – {formatDateTime(t.endsAt, s.timeZone)} {t.reason}{' '}
                  <button
                    type="button"
                    onClick={() => api('DELETE', `/api/admin/time-off/${t.id}`).then(reload, () => undefined)}
                  >
                    Remove
                  </button>
                </li>
              ))}
          </ul>
          <TimeOffForm
            staffId={s.id}
            staffName={s.name}
            timeZone={detectedTimeZone()}
            onSaved={(text) => {
              setSaved({ staffId: s.id, text });
              reload();
            }}
          />
          {saved?.staffId === s.id && (
            <p className="notice" role="status">
              {saved.text}
            </p>
          )}
        </section>
      ))}
    </>
  );
}
