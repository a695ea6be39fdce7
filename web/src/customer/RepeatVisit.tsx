/**
 * "Repeat this visit" under the booking form: books the chosen time as a series (every N weeks or
 * months, K visits) with the details typed above. The server checks every visit first; a conflict
 * lists each visit that cannot be booked with free alternatives, and nothing is booked.
 */
import { useState } from 'react';
import { api, ApiError, errorText } from '../api';
import { useT } from '../i18n';
import { dateTimeOf } from '../i18n/format';
import type { TimeChoice } from '../picker/types';
import { customerOf } from './series-customer';
import type { Details } from './validation';

interface Conflict {
  index: number;
  startsAt: string;
  alternatives: Array<{ startsAt: string }>;
}

export function RepeatVisit(props: {
  serviceId: string;
  /** The staff member chosen on the page ('' for anyone); else the one offering the chosen time. */
  staffId: string;
  choice: TimeChoice;
  timeZone: string;
  details: Details;
}) {
  const { t, locale } = useT();
  const [every, setEvery] = useState(1);
  const [unit, setUnit] = useState<'week' | 'month'>('week');
  const [count, setCount] = useState(4);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const [conflicts, setConflicts] = useState<Conflict[]>([]);
  const rule = t(unit === 'week' ? 'repeat.everyWeek' : 'repeat.everyMonth', { count: every });
  const { startsAt, staff } = props.choice;
  const staffId = props.staffId || (staff.length === 1 ? staff[0]!.id : undefined);
  const when = (iso: string) => dateTimeOf(iso, props.timeZone, locale);

  async function book() {
    setBusy(true);
    setConflicts([]);
    setNote(null);
    try {
      const r = await api<{ series: { occurrences: unknown[] } }>('POST', '/api/bookings/series', {
        serviceId: props.serviceId,
        ...(staffId ? { staffId } : {}),
        startsAt,
        timeZone: props.timeZone,
        customer: customerOf(props.details),
        repeat: { every, unit, count },
      });
      setNote(t('repeat.booked', { count: r.series.occurrences.length, rule }));
    } catch (e) {
      if (e instanceof ApiError && Array.isArray(e.details.conflicts)) setConflicts(e.details.conflicts as Conflict[]);
      setNote(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <details className="step more-ways">
      <summary>{t('repeat.title')}</summary>
      <div className="inline-fields">
        <label htmlFor="repeat-every">{t('repeat.every')}</label>
        <select id="repeat-every" value={every} onChange={(e) => setEvery(Number(e.target.value))}>
          {[1, 2, 3, 4].map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
        <label htmlFor="repeat-unit">{t('repeat.unit')}</label>
        <select id="repeat-unit" value={unit} onChange={(e) => setUnit(e.target.value as 'week' | 'month')}>
          <option value="week">{t('repeat.weeks')}</option>
          <option value="month">{t('repeat.months')}</option>
        </select>
        <label htmlFor="repeat-count">{t('repeat.count')}</label>
        <input
          id="repeat-count"
          type="number"
          inputMode="numeric"
          min={2}
          max={52}
          value={count}
          onChange={(e) => setCount(Number(e.target.value))}
        />
      </div>
      <p className="hint">{t('repeat.summary', { count, rule, first: when(startsAt) })}</p>
      <button type="button" disabled={busy} onClick={() => void book()}>
        {busy ? t('book.booking') : t('repeat.book', { count })}
      </button>
      <div role="status">{note && <p>{note}</p>}</div>
      {conflicts.length > 0 && (
        <ul aria-label={t('repeat.conflicts')}>
          {conflicts.map((c) => (
            <li key={c.index}>
              {t('repeat.conflict', {
                index: c.index,
                when: when(c.startsAt),
                free: c.alternatives.map((a) => when(a.startsAt)).join('; ') || t('repeat.noneThatDay'),
              })}
            </li>
          ))}
        </ul>
      )}
    </details>
  );
}
