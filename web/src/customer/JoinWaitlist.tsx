/**
 * "No time that suits? Join the waitlist" on the booking page: the service (and staff member, if one
 * is chosen) between two dates and two times of day. The contact is the booking form's; when that
 * form is not shown yet (no time chosen), name and email are asked here, in the same state. `open`
 * unfolds it and brings it into view (the link in the rebooking messages, `?waitlist=1`). In the
 * portal (`endpoint` = /api/portal/waitlist) the signed-in customer is who waits: no contact is asked.
 */
import { useEffect, useRef, useState } from 'react';
import { api, errorText } from '../api';
import { useT } from '../i18n';
import { addDaysTo } from '../i18n/format';
import { customerOf } from './series-customer';
import type { Details } from './validation';

export function JoinWaitlist(props: {
  serviceId: string;
  staffId: string;
  timeZone: string;
  today: string;
  /** The booking form's contact; none in the portal. */
  details?: Details | undefined;
  /** Where to post (default the public /api/waitlist, which takes the contact). */
  endpoint?: string;
  /** Given when the booking form is hidden: name and email are asked here. */
  onDetails?: ((details: Details) => void) | undefined;
  open?: boolean;
}) {
  const { t } = useT();
  const [fromDate, setFromDate] = useState(props.today);
  const [toDate, setToDate] = useState(() => addDaysTo(props.today, 14));
  const [timeFrom, setTimeFrom] = useState('09:00');
  const [timeTo, setTimeTo] = useState('17:00');
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const { details, onDetails } = props;
  const box = useRef<HTMLDetailsElement>(null);
  const opened = props.open === true;
  useEffect(() => {
    if (!opened || !box.current) return;
    box.current.open = true;
    box.current.scrollIntoView({ block: 'start' });
  }, [opened]);

  async function join() {
    setBusy(true);
    setNote(null);
    try {
      await api('POST', props.endpoint ?? '/api/waitlist', {
        serviceId: props.serviceId,
        ...(props.staffId ? { staffId: props.staffId } : {}),
        fromDate,
        toDate,
        timeFrom,
        timeTo,
        timeZone: props.timeZone,
        ...(details ? { customer: customerOf(details) } : {}),
      });
      setNote(t('waitlist.joined'));
    } catch (e) {
      setNote(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <details className="step more-ways" ref={box} data-testid="join-waitlist">
      <summary>{t('waitlist.title')}</summary>
      <p className="hint">{t('waitlist.explain')}</p>
      <div className="inline-fields">
        <label htmlFor="wait-from">{t('waitlist.fromDate')}</label>
        <input id="wait-from" type="date" value={fromDate} onChange={(e) => setFromDate(e.target.value)} />
        <label htmlFor="wait-to">{t('waitlist.toDate')}</label>
        <input id="wait-to" type="date" value={toDate} onChange={(e) => setToDate(e.target.value)} />
        <label htmlFor="wait-time-from">{t('waitlist.timeFrom')}</label>
        <input id="wait-time-from" type="time" value={timeFrom} onChange={(e) => setTimeFrom(e.target.value)} />
        <label htmlFor="wait-time-to">{t('waitlist.timeTo')}</label>
        <input id="wait-time-to" type="time" value={timeTo} onChange={(e) => setTimeTo(e.target.value)} />
        {onDetails && details && (
          <>
            <label htmlFor="wait-name">{t('form.name')}</label>
            <input
              id="wait-name"
              autoComplete="name"
              value={details.name}
              onChange={(e) => onDetails({ ...details, name: e.target.value })}
            />
            <label htmlFor="wait-email">{t('form.email')}</label>
            <input
              id="wait-email"
              type="email"
              autoComplete="email"
              value={details.email}
              onChange={(e) => onDetails({ ...details, email: e.target.value })}
            />
          </>
        )}
      </div>
      <button type="button" disabled={busy} onClick={() => void join()}>
        {t('waitlist.join')}
      </button>
      <div role="status">{note && <p>{note}</p>}</div>
    </details>
  );
}
