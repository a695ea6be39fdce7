/**
 * The staff reschedule action on the appointment card (issue 6): service, a slot picker showing free
 * slots, the public note and who asked; then the message the customer would get, previewed by the
 * server for that slot (POST …/reschedule/preview) and editable before it goes — email subject and text,
 * and the SMS with a live length counted as the server counts it — and whether the reminders for the new
 * time go out. The server decides: its refusals are shown next to the field they name, with focus there.
 */
import { type SubmitEvent, useEffect, useRef, useState } from 'react';
import { api } from '../api';
import { formatDateTime } from '../format';
import { RequestedBy } from './RequestedBy';
import { MANAGE_LINK, smsLength } from '../sms-count';
import { FIELD_CONTROLS, type Problems, refusalOf, type ServiceOption, useReschedulePreview } from './reschedule-model';
import { described, EmailEditor, FieldProblems, SmsEditor } from './RescheduleMessage';
import { useLoad } from '../useLoad';
import { type DayView, SlotPicker, type SlotView } from '../SlotPicker';

export interface RescheduleTarget {
  id: string;
  timeZone: string;
  service: { id: string; name: string };
}

export function RescheduleForm(props: {
  appointment: RescheduleTarget;
  /** The zone the slot picker shows times in (the browser's). */
  timeZone: string;
  /** A time chosen elsewhere (dragged on the calendar): previewed at once, still changeable. */
  initialSlot?: SlotView | undefined;
  onDone: () => void;
}) {
  const { appointment } = props;
  const services = useLoad<{ services: ServiceOption[] }>('/api/services').data?.services ?? [];
  const [serviceId, setServiceId] = useState(appointment.service.id);
  const [slot, setSlot] = useState<SlotView | undefined>(props.initialSlot);
  const [note, setNote] = useState('');
  const [channel, setChannel] = useState('phone');
  const [reminders, setReminders] = useState(true);
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [sms, setSms] = useState('');
  // The preview key the text was first edited for; null while the suggested text is shown.
  const [emailEditedFor, setEmailEditedFor] = useState<string | null>(null);
  const [smsEditedFor, setSmsEditedFor] = useState<string | null>(null);
  const [problems, setProblems] = useState<Problems>({});
  // placedOnly: the summary of problems shown at their fields, gone once they are all fixed.
  const [formError, setFormError] = useState<{ text: string; placedOnly: boolean } | null>(null);
  const [refusals, setRefusals] = useState(0);
  const [busy, setBusy] = useState(false);
  const formErrorRef = useRef<HTMLParagraphElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  // Opening the action takes keyboard users to it.
  useEffect(() => headingRef.current?.focus(), []);

  const { preview, previewError, currentKey } = useReschedulePreview(appointment, slot, serviceId, note);

  // The suggested text follows the preview until staff edit it.
  useEffect(() => {
    if (!preview) return;
    if (emailEditedFor === null) {
      setSubject(preview.data.email.subject);
      setBody(preview.data.email.body);
    }
    if (smsEditedFor === null) setSms(preview.data.sms);
  }, [preview]);

  // After a refusal, keyboard and screen-reader users land on the (first) field the server named.
  useEffect(() => {
    if (refusals === 0) return;
    const first = FIELD_CONTROLS.find(([field]) => problems[field]);
    if (first) document.getElementById(first[1])?.focus();
    else formErrorRef.current?.focus();
  }, [refusals]);

  const problemFor = (control: string): string[] =>
    FIELD_CONTROLS.filter(([, c]) => c === control).flatMap(([field]) => problems[field] ?? []);
  const clearProblems = (...fields: string[]) =>
    setProblems((p) => Object.fromEntries(Object.entries(p).filter(([f]) => !fields.includes(f))));

  const ready = Boolean(slot && preview && preview.key === currentKey);
  const p = preview?.data;
  const smsCount = p
    ? sms === p.sms
      ? { septets: p.smsSeptets, segments: p.smsSegments }
      : smsLength(sms, p.manageLinkSeptets)
    : null;

  function restoreSuggested(which: 'email' | 'sms') {
    if (!p) return;
    if (which === 'email') {
      setSubject(p.email.subject);
      setBody(p.email.body);
      setEmailEditedFor(null);
      clearProblems('message.email.subject', 'message.email.body', 'message.email', 'message');
    } else {
      setSms(p.sms);
      setSmsEditedFor(null);
      clearProblems('message.sms');
    }
  }

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    if (!slot || !p || !ready) return;
    const message: { email?: { subject: string; body: string }; sms?: string } = {};
    if (subject !== p.email.subject || body !== p.email.body) message.email = { subject, body };
    if (p.smsWillSend && sms !== p.sms) message.sms = sms;
    setBusy(true);
    setFormError(null);
    try {
      await api('POST', `/api/appointments/${appointment.id}/reschedule`, {
        startsAt: slot.startsAt,
        staffId: slot.staffId,
        ...(serviceId !== appointment.service.id ? { serviceId } : {}),
        ...(note.trim() ? { note: note.trim() } : {}),
        channel,
        reminders,
        ...(message.email || message.sms !== undefined ? { message } : {}),
      });
      setProblems({});
      props.onDone();
    } catch (e) {
      const refusal = refusalOf(e);
      setProblems(refusal.problems);
      setFormError(refusal.formError);
      setRefusals((n) => n + 1);
    } finally {
      setBusy(false);
    }
  }

  const fieldProblems = (control: string) => <FieldProblems control={control} list={problemFor(control)} />;
  const stale = (editedFor: string | null) => editedFor !== null && preview !== null && editedFor !== preview.key;

  return (
    <form className="panel" onSubmit={submit} aria-label="Reschedule" noValidate>
      <h2 tabIndex={-1} ref={headingRef}>
        Reschedule
      </h2>
      {formError && !(formError.placedOnly && Object.keys(problems).length === 0) && (
        <p role="alert" className="error" tabIndex={-1} ref={formErrorRef}>
          {formError.text}
        </p>
      )}
      <label htmlFor="rs-service">Service</label>
      <select
        id="rs-service"
        value={serviceId}
        aria-invalid={problemFor('rs-service').length > 0}
        aria-describedby={described(problemFor('rs-service').length > 0 && 'rs-service-problem')}
        onChange={(e) => {
          setServiceId(e.target.value);
          setSlot(undefined);
          clearProblems('serviceId');
        }}
      >
        {services.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </select>
      {fieldProblems('rs-service')}
      <SlotPicker
        timeZone={props.timeZone}
        reloadKey={serviceId}
        showStaff
        load={async (from, to) =>
          (
            await api<{ days: DayView[] }>(
              'GET',
              `/api/services/${serviceId}/availability?${new URLSearchParams({ from, to, timeZone: props.timeZone })}`,
            )
          ).days
        }
        selected={slot}
        onPick={(picked) => {
          setSlot(picked);
          clearProblems('startsAt', 'staffId');
        }}
      />
      <p id="rs-slot" tabIndex={-1} className={slot ? '' : 'hint'} aria-live="polite">
        {slot
          ? `New time: ${formatDateTime(slot.startsAt, props.timeZone)} with ${slot.staffName}`
          : 'Choose a free time above.'}
      </p>
      {fieldProblems('rs-slot')}
      {previewError && (
        <p role="alert" className="error">
          No preview for this time: {previewError}
        </p>
      )}
      <label htmlFor="rs-note">Public note (shown to the customer)</label>
      <textarea
        id="rs-note"
        rows={2}
        value={note}
        aria-invalid={problemFor('rs-note').length > 0}
        aria-describedby={described(problemFor('rs-note').length > 0 && 'rs-note-problem')}
        onChange={(e) => {
          setNote(e.target.value);
          clearProblems('note');
        }}
      />
      {fieldProblems('rs-note')}
      <RequestedBy id="rs-channel" value={channel} onChange={setChannel} />
      {fieldProblems('rs-channel')}

      {slot && (
        <fieldset aria-busy={!ready} data-testid="reschedule-message">
          <legend>Message to the customer</legend>
          {!p && !previewError && <p>Preparing the message…</p>}
          {p && (
            <>
              <p className="hint" id="rs-link-hint">
                Edit the text if you like. Keep <code>{MANAGE_LINK}</code>: it becomes the customer&apos;s own link to
                view or change the appointment when the message is sent.
              </p>
              <EmailEditor
                subject={subject}
                body={body}
                onSubject={(v) => {
                  setSubject(v);
                  setEmailEditedFor((k) => k ?? preview?.key ?? null);
                  clearProblems('message.email.subject');
                }}
                onBody={(v) => {
                  setBody(v);
                  setEmailEditedFor((k) => k ?? preview?.key ?? null);
                  clearProblems('message.email.body', 'message.email', 'message');
                }}
                subjectProblems={problemFor('rs-email-subject')}
                bodyProblems={problemFor('rs-email-body')}
                stale={stale(emailEditedFor)}
                edited={emailEditedFor !== null}
                onRestore={() => restoreSuggested('email')}
              />
              {p.smsWillSend ? (
                <SmsEditor
                  sms={sms}
                  onChange={(v) => {
                    setSms(v);
                    setSmsEditedFor((k) => k ?? preview?.key ?? null);
                    clearProblems('message.sms');
                  }}
                  count={smsCount}
                  problems={problemFor('rs-sms')}
                  stale={stale(smsEditedFor)}
                  edited={smsEditedFor !== null}
                  onRestore={() => restoreSuggested('sms')}
                />
              ) : (
                <p data-testid="no-sms">
                  No SMS: the customer has no mobile number that takes texts from us (not opted in, opted out or not
                  working). Only the email goes.
                </p>
              )}
            </>
          )}
        </fieldset>
      )}

      <div className="check">
        <input
          type="checkbox"
          id="rs-reminders"
          checked={reminders}
          aria-invalid={problemFor('rs-reminders').length > 0}
          aria-describedby={described(problemFor('rs-reminders').length > 0 && 'rs-reminders-problem')}
          onChange={(e) => {
            setReminders(e.target.checked);
            clearProblems('reminders');
          }}
        />
        <label htmlFor="rs-reminders">Send the usual reminders before the new time</label>
      </div>
      {fieldProblems('rs-reminders')}
      <div className="actions">
        <button type="submit" className="primary" disabled={!ready || busy}>
          {slot ? `Move to ${formatDateTime(slot.startsAt, props.timeZone)}` : 'Choose a time first'}
        </button>
        {slot && !ready && !previewError && <span className="hint">Preparing the message…</span>}
      </div>
    </form>
  );
}
