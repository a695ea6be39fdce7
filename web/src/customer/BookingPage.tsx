/**
 * Public booking (also embedded on the business's site, /embed/book): service (ServiceStep) → a day and
 * a time → details → confirmation. `?staff=<id>`, `?start=<instant>` and `?waitlist=1` come from the
 * rebooking messages' links. A taken time (409) refreshes the times in place and offers the next free
 * ones beside the Book button, keeping the form filled. Under the form: RepeatVisit, JoinWaitlist.
 */
import { type SubmitEvent, useEffect, useRef, useState } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { api, ApiError, errorText } from '../api';
import { detectedTimeZone } from '../format';
import { useT } from '../i18n';
import { addDaysTo, dateTimeOf, localDateOf, timeOf } from '../i18n/format';
import { TimePicker } from '../picker/TimePicker';
import { TimeZonePicker } from '../picker/TimeZonePicker';
import { type DayView, mergeTimes, type SlotView, type TimeChoice } from '../picker/types';
import { CustomerLayout, useBusiness, usePageTitle } from './business';
import { type Booked, Confirmation } from './Confirmation';
import { DetailsFields } from './DetailsForm';
import { notifyHost, useReportHeight } from './embed-bridge';
import { JoinWaitlist } from './JoinWaitlist';
import { RepeatVisit } from './RepeatVisit';
import type { Service } from './ServiceCards';
import { ServiceStep } from './ServiceStep';
import { TakenTimes } from './TakenTimes';
import { rememberDetails, useBookingForm } from './useBookingForm';
import { BookingPayment, type BookingPaymentState, paymentFields, paymentReady } from '../payments/BookingPayment';
import { CancellationPolicyNote } from './CancellationPolicy';

export function BookingPage({ embedded = false }: { embedded?: boolean }) {
  const { slug } = useParams();
  const [query] = useSearchParams();
  const navigate = useNavigate();
  const { t, locale } = useT();
  const business = useBusiness();
  usePageTitle(t('book.title'));
  useReportHeight(embedded);
  const [services, setServices] = useState<Service[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [unknownService, setUnknownService] = useState(false);
  const [serviceId, setServiceId] = useState<string>();
  const [staffId, setStaffId] = useState(query.get('staff') ?? '');
  // A membership visit: the link in the membership messages carries the certificate number.
  const [certificate, setCertificate] = useState(query.get('certificate')?.trim() ?? '');
  const [timeZone, setTimeZone] = useState(detectedTimeZone);
  const [choice, setChoice] = useState<TimeChoice | undefined>(() => {
    const start = query.get('start');
    return start && !Number.isNaN(Date.parse(start))
      ? { startsAt: new Date(start).toISOString(), endsAt: '', staff: [] }
      : undefined;
  });
  const [picking, setPicking] = useState(choice === undefined);
  const [reload, setReload] = useState(0);
  const [taken, setTaken] = useState<TimeChoice[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [booked, setBooked] = useState<Booked | null>(null);
  const timeHeading = useRef<HTMLHeadingElement>(null);
  const base = embedded ? '/embed/book' : '/book';

  useEffect(() => {
    api<{ services: Service[] }>('GET', '/api/services').then(
      ({ services: list }) => {
        setServices(list);
        const linked = slug
          ? (list.find((s) => s.slug === slug) ?? list.find((s) => s.formerSlugs.includes(slug)))
          : undefined;
        if (linked && linked.slug !== slug)
          void navigate(`${base}/${linked.slug}${window.location.search}`, { replace: true });
        setUnknownService(slug !== undefined && linked === undefined);
        setServiceId(linked?.id ?? (list.length === 1 ? list[0]!.id : undefined));
      },
      (e: unknown) => setLoadError(errorText(e)),
    );
  }, [slug, navigate, base]);

  const service = services?.find((s) => s.id === serviceId);
  const [payment, setPayment] = useState<BookingPaymentState>({ setupIntentId: null, paymentIntentId: null });
  const form = useBookingForm(business?.country ?? 'US', service?.location === 'customer');
  const today = localDateOf(new Date(), timeZone);
  const lastDay = addDaysTo(today, service?.bookingHorizonDays ?? 60);

  async function loadDays(from: string, to: string): Promise<DayView[]> {
    const params = new URLSearchParams({ from, to, timeZone });
    if (staffId) params.set('staffId', staffId);
    return (await api<{ days: DayView[] }>('GET', `/api/services/${serviceId}/availability?${params}`)).days;
  }

  function pickService(s: Service) {
    setServiceId(s.id);
    setStaffId('');
    setChoice(undefined);
    setPayment((p) => ({ ...p, paymentIntentId: null }));
    setPicking(true);
    if (slug !== s.slug) void navigate(`${base}/${s.slug}`, { replace: true });
    requestAnimationFrame(() => timeHeading.current?.focus());
  }

  function pickTime(c: TimeChoice) {
    setChoice(c);
    setPicking(false);
    setTaken(null);
    setError(null);
    requestAnimationFrame(() => document.getElementById('name')?.focus());
  }

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    if (!service || !choice || busy) return;
    setError(null);
    if (!(await form.validate())) return;
    setBusy(true);
    const d = form.details;
    const chosenStaff = staffId || (choice.staff.length === 1 ? choice.staff[0]!.id : undefined);
    try {
      const result = await api<Booked>('POST', '/api/bookings', {
        serviceId: service.id,
        ...(chosenStaff ? { staffId: chosenStaff } : {}),
        startsAt: choice.startsAt,
        timeZone,
        ...(certificate ? { certificateNumber: certificate } : {}),
        customer: {
          name: d.name,
          email: d.email.trim(),
          ...(d.phone.trim() ? { phone: d.phone.trim() } : {}),
          smsOptIn: d.smsOptIn,
          ...(d.address.trim() ? { address: d.address.trim() } : {}),
          ...(d.note.trim() ? { note: d.note.trim() } : {}),
          locale,
        },
        ...paymentFields(payment),
      });
      rememberDetails(d);
      setBooked(result);
      notifyHost(embedded, result, service);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'slot_unavailable') {
        const next = Array.isArray(e.details.nextSlots) ? (e.details.nextSlots as SlotView[]) : [];
        setTaken(mergeTimes(next));
        setChoice(undefined);
        setReload((n) => n + 1);
        requestAnimationFrame(() => document.getElementById('taken')?.focus());
      } else if (!form.showServerError(e)) setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  const shared = { timeZone, details: form.details };
  const ask = choice || taken ? undefined : form.change;

  if (booked && service) {
    return (
      <CustomerLayout compact={embedded}>
        <Confirmation
          booked={booked}
          service={service}
          business={business}
          email={form.details.email}
          address={form.details.address}
          sms={form.details.smsOptIn}
          embedded={embedded}
        />
      </CustomerLayout>
    );
  }

  return (
    <CustomerLayout compact={embedded}>
      <h1>{t('book.title')}</h1>
      {unknownService && (
        <p className="notice" role="status">
          {t('book.unknownService')}
        </p>
      )}
      {loadError && (
        <p role="alert" className="error">
          {loadError}
        </p>
      )}
      {!services && !loadError && <p className="loading">{t('book.loadingServices')}</p>}
      {services && services.length === 0 && <p>{t('book.noServices')}</p>}
      <ServiceStep
        services={services}
        service={service}
        serviceId={serviceId}
        onPick={pickService}
        onChange={() => setServiceId(undefined)}
        certificate={certificate}
        onClearCertificate={() => setCertificate('')}
        staffId={staffId}
        onStaff={(id) => {
          setStaffId(id);
          setChoice(undefined);
          setPicking(true);
        }}
      />
      {service && (
        <section aria-labelledby="step-time" className="step">
          <h2 id="step-time" ref={timeHeading} tabIndex={-1}>
            {t('book.time')}
          </h2>
          {choice && !picking ? (
            <p className="summary-row">
              <span data-testid="chosen-time">
                <strong>{dateTimeOf(choice.startsAt, timeZone, locale)}</strong>
                {choice.staff.length === 1 && <> · {t('times.with', { name: choice.staff[0]!.name })}</>}
              </span>
              <button type="button" className="link-button" onClick={() => setPicking(true)}>
                {t('book.change')}
              </button>
            </p>
          ) : (
            <>
              <TimeZonePicker
                value={timeZone}
                onChange={setTimeZone}
                businessZone={business?.timeZone}
                businessName={business?.name}
              />
              <TimePicker
                load={loadDays}
                timeZone={timeZone}
                lastDay={lastDay}
                reloadKey={`${serviceId}|${staffId}|${reload}`}
                selected={choice?.startsAt}
                onPick={pickTime}
                showStaff={!staffId && service.staff.length > 1}
                phone={business?.phone}
              />
            </>
          )}
        </section>
      )}
      {service && (choice || taken) && (
        <form onSubmit={submit} noValidate className="step" aria-labelledby="step-details">
          <h2 id="step-details">{t('book.details')}</h2>
          <DetailsFields
            details={form.details}
            onChange={form.change}
            shown={form.shown}
            onLeave={form.leave}
            addressRequired={service.location === 'customer'}
            phoneExample={business?.phoneExample ?? ''}
            remembered={form.remembered}
            onForget={form.forget}
          />
          {business?.policy && (
            <p className="policy">
              <strong>{t('policy.title')}</strong> {business.policy}
            </p>
          )}
          {error && (
            <p role="alert" className="error">
              {error}
            </p>
          )}
          {taken && <TakenTimes times={taken} timeZone={timeZone} onPick={pickTime} />}
          <CancellationPolicyNote terms={service?.cancellationPolicy} />
          {service && (
            <BookingPayment
              key={service.id}
              service={service}
              membership={Boolean(certificate)}
              customer={{ name: form.details.name, email: form.details.email.trim() }}
              state={payment}
              onChange={setPayment}
            />
          )}
          <button
            type="submit"
            className="primary"
            disabled={busy || !choice || !paymentReady(service, Boolean(certificate), payment)}
          >
            {busy
              ? t('book.booking')
              : choice
                ? t('book.confirm', { time: timeOf(choice.startsAt, timeZone, locale) })
                : t('book.chooseTime')}
          </button>
        </form>
      )}
      {service && !embedded && (
        <>
          {choice && <RepeatVisit serviceId={service.id} staffId={staffId} choice={choice} {...shared} />}
          <JoinWaitlist
            serviceId={service.id}
            staffId={staffId}
            today={today}
            {...shared}
            onDetails={ask}
            open={query.get('waitlist') === '1'}
          />
        </>
      )}
    </CustomerLayout>
  );
}
