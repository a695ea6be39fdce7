/**
 * The customer's manage link: the appointment with its status in words, where it is, the business's
 * policy and public notes; reschedule with the month calendar, cancel after a confirmation, a working
 * "call us"; card update and invoice (ManageBilling.tsx). A dead link says why and what to do instead.
 */
import { type ReactNode, type SubmitEvent, useCallback, useEffect, useState } from 'react';
import { type PendingContactDetails, PendingDetails } from './PendingDetails';
import { Link, Route, Routes, useParams } from 'react-router-dom';
import { api, ApiError, errorText } from '../api';
import { Dialog } from '../Dialog';
import { useT } from '../i18n';
import { addDaysTo, dateTimeOf, localDateOf, moneyOf } from '../i18n/format';
import { TimePicker } from '../picker/TimePicker';
import { TimeZonePicker } from '../picker/TimeZonePicker';
import type { DayView, TimeChoice } from '../picker/types';
import { CustomerLayout, useBusiness, usePageTitle } from './business';
import { CardPage, InvoicePage } from './ManageBilling';
import { CallUs, type DeadLink, DeadLinkNotice } from './ManageNotices';
import { durationText } from './ServiceCards';
import { PayPage } from '../payments/PayPage';
import { CancelCost, type CancellationQuote, CancellationPolicyNote } from './CancellationPolicy';
import { type DepositInfo, DepositNote } from './DepositNote';

interface CustomerAppointment {
  id: string;
  status: string;
  stage: string;
  startsAt: string;
  endsAt: string;
  timeZone: string;
  price: { amountMinor: number; currency: string };
  publicNotes: string;
  service: { name: string; slug: string };
  staff: { name: string };
  contact: { name: string };
  location: 'business' | 'customer';
  visitAddress: string | null;
  bookingHorizonDays: number;
}

export function ManagePage() {
  const { token = '' } = useParams();
  // Card and invoice use the billing endpoints, which keep working after the visit.
  return (
    <Routes>
      <Route path="card" element={<CardPage token={token} />} />
      <Route path="pay" element={<PayPage token={token} />} />
      <Route path="invoice" element={<InvoicePage token={token} />} />
      <Route path="*" element={<ManageDetails token={token} />} />
    </Routes>
  );
}

function ManageDetails({ token }: { token: string }) {
  const { t } = useT();
  const [appointment, setAppointment] = useState<CustomerAppointment | null>(null);
  const [pending, setPending] = useState<PendingContactDetails | null>(null);
  const [cancellation, setCancellation] = useState<CancellationQuote | null>(null);
  const [deposit, setDeposit] = useState<DepositInfo | null>(null);
  const [dead, setDead] = useState<DeadLink | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    api<{
      appointment: CustomerAppointment;
      pendingDetails?: PendingContactDetails | null;
      cancellation?: CancellationQuote | null;
      deposit?: DepositInfo | null;
    }>('GET', `/api/manage/${encodeURIComponent(token)}`)
      .then((r) => {
        setAppointment(r.appointment);
        setPending(r.pendingDetails ?? null);
        setCancellation(r.cancellation ?? null);
        setDeposit(r.deposit ?? null);
      })
      .catch((e: unknown) => {
        if (e instanceof ApiError && (e.status === 410 || e.status === 404)) {
          setDead({
            message: e.message,
            ...(typeof e.details.bookingUrl === 'string' ? { bookingUrl: e.details.bookingUrl } : {}),
            reason: typeof e.details.reason === 'string' ? e.details.reason : 'unknown',
          });
        } else setError(errorText(e));
      });
  }, [token]);

  useEffect(load, [load]);

  if (dead) return <DeadLinkNotice dead={dead} />;
  if (!appointment)
    return (
      <CustomerLayout>
        {error ? (
          <p role="alert" className="error">
            {error}
          </p>
        ) : (
          <p className="loading">{t('manage.loading')}</p>
        )}
      </CustomerLayout>
    );
  return (
    <Details
      token={token}
      appointment={appointment}
      cancellation={cancellation}
      deposit={deposit}
      onChanged={load}
      onDead={setDead}
      pending={pending && <PendingDetails token={token} details={pending} onSettled={load} />}
    />
  );
}

function Details(props: {
  token: string;
  appointment: CustomerAppointment;
  /** The cancellation policy and what cancelling now costs (null: cancelling is free). */
  cancellation: CancellationQuote | null;
  /** The deposit paid at booking (null: none). */
  deposit: DepositInfo | null;
  onChanged: () => void;
  onDead: (dead: DeadLink) => void;
  /** Details given with the booking, waiting for the customer's word (PendingDetails). */
  pending?: ReactNode;
}) {
  const { t, locale } = useT();
  const business = useBusiness();
  const { appointment: a, token } = props;
  usePageTitle(t('manage.title'));
  const [timeZone, setTimeZone] = useState(() => Intl.DateTimeFormat().resolvedOptions().timeZone || a.timeZone);
  const [rescheduling, setRescheduling] = useState(false);
  const [choice, setChoice] = useState<TimeChoice | undefined>();
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [reason, setReason] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const base = `/api/manage/${encodeURIComponent(token)}`;
  const today = localDateOf(new Date(), timeZone);

  async function reschedule() {
    if (!choice) return;
    setBusy(true);
    setError(null);
    try {
      await api('POST', `${base}/reschedule`, { startsAt: choice.startsAt });
      setNotice(t('manage.moved', { when: dateTimeOf(choice.startsAt, timeZone, locale) }));
      setRescheduling(false);
      setChoice(undefined);
      props.onChanged();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  async function cancel(event: SubmitEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api('POST', `${base}/cancel`, reason.trim() ? { reason: reason.trim() } : {});
      setConfirmCancel(false);
      props.onDead({ message: t('manage.cancelled'), bookingUrl: `/book/${a.service.slug}` });
    } catch (e) {
      setConfirmCancel(false);
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  const minutes = Math.round((Date.parse(a.endsAt) - Date.parse(a.startsAt)) / 60_000);
  return (
    <CustomerLayout>
      <h1>{t('manage.title')}</h1>
      {props.pending}
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <p className={`visit-status visit-${a.status}`} data-testid="status">
        {t(`status.${a.status}`, { defaultValue: a.status })}
      </p>
      <dl className="details">
        <dt>{t('confirm.service')}</dt>
        <dd>{a.service.name}</dd>
        <dt>{t('confirm.when')}</dt>
        <dd data-testid="when">{dateTimeOf(a.startsAt, timeZone, locale)}</dd>
        <dt>{t('confirm.duration')}</dt>
        <dd>{durationText(minutes, t)}</dd>
        <dt>{t('confirm.with')}</dt>
        <dd>{a.staff.name}</dd>
        <dt>{t('confirm.where')}</dt>
        <dd>
          {a.location === 'customer'
            ? t('confirm.weComeToYou', { address: a.visitAddress ?? '' })
            : [business?.name, business?.address].filter(Boolean).join(', ')}
        </dd>
        <dt>{t('confirm.price')}</dt>
        <dd>{moneyOf(a.price.amountMinor, a.price.currency, locale)}</dd>
        {a.publicNotes && (
          <>
            <dt>{t('manage.notes')}</dt>
            <dd className="public-notes">{a.publicNotes}</dd>
          </>
        )}
      </dl>
      {business?.policy && (
        <p className="policy">
          <strong>{t('policy.title')}</strong> {business.policy}
        </p>
      )}
      <CancellationPolicyNote terms={props.cancellation} />
      <DepositNote deposit={props.deposit} />
      <div className="actions">
        <button type="button" onClick={() => setRescheduling((r) => !r)} aria-expanded={rescheduling}>
          {t('manage.reschedule')}
        </button>
        <button type="button" className="danger" onClick={() => setConfirmCancel(true)}>
          {t('manage.cancel')}
        </button>
        <CallUs />
        <a href={`/account/from/${encodeURIComponent(token)}`}>All your appointments</a>
      </div>
      <p className="actions">
        <Link to="card">{t('manage.card')}</Link>
        <Link to="invoice">{t('manage.invoice')}</Link>
      </p>
      {rescheduling && (
        <section aria-labelledby="pick-new">
          <h2 id="pick-new">{t('manage.pickNew')}</h2>
          <TimeZonePicker
            value={timeZone}
            onChange={setTimeZone}
            businessZone={business?.timeZone}
            businessName={business?.name}
          />
          <TimePicker
            load={async (from, to) =>
              (
                await api<{ days: DayView[] }>(
                  'GET',
                  `${base}/availability?${new URLSearchParams({ from, to, timeZone })}`,
                )
              ).days
            }
            timeZone={timeZone}
            lastDay={addDaysTo(today, a.bookingHorizonDays)}
            reloadKey={a.startsAt}
            selected={choice?.startsAt}
            onPick={setChoice}
            showStaff={false}
            phone={business?.phone}
          />
          <button type="button" className="primary" disabled={!choice || busy} onClick={() => void reschedule()}>
            {choice
              ? t('manage.moveTo', { when: dateTimeOf(choice.startsAt, timeZone, locale) })
              : t('book.chooseTime')}
          </button>
        </section>
      )}
      <Dialog open={confirmCancel} title={t('manage.cancelTitle')} onClose={() => setConfirmCancel(false)}>
        <form onSubmit={(e) => void cancel(e)}>
          <p>{t('manage.cancelBody', { service: a.service.name, when: dateTimeOf(a.startsAt, timeZone, locale) })}</p>
          <CancelCost quote={props.cancellation} timeZone={timeZone} />
          <label htmlFor="cancel-reason">{t('manage.reason')}</label>
          <textarea id="cancel-reason" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
          <div className="actions">
            <button type="button" onClick={() => setConfirmCancel(false)}>
              {t('manage.keep')}
            </button>
            <button type="submit" className="danger" disabled={busy}>
              {t('manage.yesCancel')}
            </button>
          </div>
        </form>
      </Dialog>
    </CustomerLayout>
  );
}
