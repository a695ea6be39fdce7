/**
 * After booking: what, when (in the customer's zone, and the business's when it differs), with whom,
 * where (the business's address, or "we come to you" at the address given), how long, the price and
 * the policy; add to Google Calendar / Outlook / .ics; the manage link; what happens next.
 */
import { useEffect, useRef } from 'react';
import { useT } from '../i18n';
import { dateTimeOf, moneyOf, timeOf } from '../i18n/format';
import type { Business } from './business';
import { googleCalendarUrl, icsUrl, manageToken, outlookCalendarUrl } from './calendar-links';
import { durationText, type Service } from './ServiceCards';
import { CancellationPolicyNote } from './CancellationPolicy';
import { DepositNote } from './DepositNote';

export interface Booked {
  manageUrl: string;
  appointment: {
    id: string;
    startsAt: string;
    endsAt: string;
    timeZone: string;
    price: { amountMinor: number; currency: string };
    service: { name: string };
    staff: { name: string };
  };
}

export function Confirmation(props: {
  booked: Booked;
  service: Service;
  business: Business | null;
  email: string;
  address: string;
  sms: boolean;
  /** Embedded on another site: links open in a new tab. */
  embedded?: boolean;
}) {
  const { t, locale } = useT();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const a = props.booked.appointment;
  const b = props.business;
  const token = manageToken(props.booked.manageUrl);
  const managePath = new URL(props.booked.manageUrl, window.location.href).pathname;
  const where =
    props.service.location === 'customer'
      ? t('confirm.weComeToYou', { address: props.address })
      : [b?.name, b?.address].filter(Boolean).join(', ');
  const minutes = Math.round((Date.parse(a.endsAt) - Date.parse(a.startsAt)) / 60_000);
  const event = {
    title: t('confirm.eventTitle', { service: a.service.name, business: b?.name ?? '' }),
    startsAt: a.startsAt,
    endsAt: a.endsAt,
    details: t('confirm.eventDetails', { staff: a.staff.name, phone: b?.phoneDisplay ?? b?.phone ?? '' }),
    location: props.service.location === 'customer' ? props.address : (b?.address ?? ''),
  };
  const target = props.embedded ? { target: '_blank', rel: 'noopener' } : {};
  const [first, second] = props.service.reminderHoursBefore;
  return (
    <section className="confirmation" aria-labelledby="confirmed">
      <h1 id="confirmed" ref={heading} tabIndex={-1}>
        {t('confirm.title')}
      </h1>
      <p className="notice" role="status">
        {t('confirm.sent', { email: props.email })}
      </p>
      <dl className="details">
        <dt>{t('confirm.when')}</dt>
        <dd data-testid="confirmed-when">
          {dateTimeOf(a.startsAt, a.timeZone, locale)}
          {b && b.timeZone !== a.timeZone && (
            <span className="hint">
              {' '}
              ({t('confirm.businessTime', { time: timeOf(a.startsAt, b.timeZone, locale), name: b.name })})
            </span>
          )}
        </dd>
        <dt>{t('confirm.service')}</dt>
        <dd>{a.service.name}</dd>
        <dt>{t('confirm.duration')}</dt>
        <dd>{durationText(minutes, t)}</dd>
        <dt>{t('confirm.with')}</dt>
        <dd>{a.staff.name}</dd>
        <dt>{t('confirm.where')}</dt>
        <dd>{where}</dd>
        <dt>{t('confirm.price')}</dt>
        <dd>
          {moneyOf(a.price.amountMinor, a.price.currency, locale)}
          {props.service.price.per === 'hour' && <span className="hint"> {t('confirm.hourlyEstimate')}</span>}
        </dd>
      </dl>
      {b?.policy && (
        <p className="policy">
          <strong>{t('policy.title')}</strong> {b.policy}
        </p>
      )}
      <CancellationPolicyNote terms={props.service.cancellationPolicy} />
      {props.service.deposit && a.price.amountMinor > 0 && (
        <DepositNote
          deposit={{ ...props.service.deposit, refundedMinor: 0, status: 'held' }}
          priceMinor={a.price.amountMinor}
        />
      )}
      <h2>{t('confirm.addToCalendar')}</h2>
      <ul className="link-row">
        <li>
          <a href={googleCalendarUrl(event)} target="_blank" rel="noopener">
            Google Calendar
          </a>
        </li>
        <li>
          <a href={outlookCalendarUrl(event)} target="_blank" rel="noopener">
            Outlook
          </a>
        </li>
        <li>
          <a href={icsUrl(token, locale)} download="appointment.ics">
            {t('confirm.ics')}
          </a>
        </li>
      </ul>
      <p>
        <a className="button-link" href={managePath} {...target}>
          {t('confirm.manage')}
        </a>
      </p>
      <h2>{t('confirm.next')}</h2>
      <ul className="next-steps">
        <li>
          {t(props.sms ? 'confirm.remindersSms' : 'confirm.remindersEmail', {
            first: first ?? 48,
            second: second ?? 12,
          })}
        </li>
        <li>{t(props.sms ? 'confirm.changeSms' : 'confirm.change')}</li>
        {b?.phone && (
          <li>
            {t('confirm.questions')} <a href={`tel:${b.phone}`}>{b.phoneDisplay ?? b.phone}</a>
          </li>
        )}
      </ul>
    </section>
  );
}
