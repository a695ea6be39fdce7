/**
 * The customer's details: checked as they type (once a field has been left, or after a first try to
 * book) and again by the server, whose refusals land on the same fields. Each problem is tied to its
 * field (`aria-invalid`, `aria-describedby`) and focus goes to the first one. Details remembered on
 * this device are offered back with a "Not you?" control.
 */
import { type ReactNode, useEffect, useState } from 'react';
import { useT } from '../i18n';
import {
  checkPhoneNumber,
  type Details,
  type FieldName,
  type PhoneResult,
  type Problems,
  problemsOf,
} from './validation';

export function Field(props: {
  id: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  children: (aria: { 'aria-invalid': boolean; 'aria-describedby'?: string }) => ReactNode;
}) {
  const described = [props.hint && `${props.id}-hint`, props.error && `${props.id}-error`].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      {props.hint && (
        <p className="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      )}
      {props.children({
        'aria-invalid': Boolean(props.error),
        ...(described ? { 'aria-describedby': described } : {}),
      })}
      {props.error && (
        <p className="field-error" id={`${props.id}-error`}>
          {props.error}
        </p>
      )}
    </div>
  );
}

/** Problems as the customer types: the phone check is async (its library loads on first use). */
export function useDetailsCheck(details: Details, country: string, addressRequired: boolean) {
  const { t } = useT();
  const [phone, setPhone] = useState<PhoneResult | null>(null);
  useEffect(() => {
    let live = true;
    const typed = details.phone.trim();
    if (!typed) {
      setPhone(null);
      return;
    }
    void checkPhoneNumber(typed, country).then((r) => live && setPhone(r));
    return () => {
      live = false;
    };
  }, [details.phone, country]);
  const problems = problemsOf(details, { addressRequired, phone }, t);
  /** Resolves the phone check first (for submit). */
  async function finalProblems(): Promise<Problems> {
    const typed = details.phone.trim();
    const result = typed ? await checkPhoneNumber(typed, country) : null;
    return problemsOf(details, { addressRequired, phone: result }, t);
  }
  return { problems, finalProblems };
}

export function DetailsFields(props: {
  details: Details;
  onChange: (details: Details) => void;
  /** Problems to show now (typed-and-left fields, or all after a try), server ones included. */
  shown: Problems;
  onLeave: (field: FieldName) => void;
  addressRequired: boolean;
  phoneExample: string;
  remembered: boolean;
  onForget: () => void;
}) {
  const { t } = useT();
  const d = props.details;
  const set = <K extends keyof Details>(key: K, value: Details[K]) => props.onChange({ ...d, [key]: value });
  return (
    <>
      {props.remembered && (
        <p className="hint remembered">
          {t('form.remembered', { name: d.name })}{' '}
          <button type="button" className="link-button" onClick={props.onForget}>
            {t('form.notYou')}
          </button>
        </p>
      )}
      <Field id="name" label={t('form.name')} error={props.shown.name}>
        {(aria) => (
          <input
            id="name"
            autoComplete="name"
            required
            value={d.name}
            {...aria}
            onChange={(e) => set('name', e.target.value)}
            onBlur={() => props.onLeave('name')}
          />
        )}
      </Field>
      <Field id="email" label={t('form.email')} error={props.shown.email}>
        {(aria) => (
          <input
            id="email"
            type="email"
            inputMode="email"
            autoComplete="email"
            required
            value={d.email}
            {...aria}
            onChange={(e) => set('email', e.target.value)}
            onBlur={() => props.onLeave('email')}
          />
        )}
      </Field>
      <Field
        id="phone"
        label={t('form.phone')}
        hint={t('form.phoneHint', { example: props.phoneExample })}
        error={props.shown.phone}
      >
        {(aria) => (
          <input
            id="phone"
            type="tel"
            autoComplete="tel"
            value={d.phone}
            {...aria}
            onChange={(e) => set('phone', e.target.value)}
            onBlur={() => props.onLeave('phone')}
          />
        )}
      </Field>
      <div className="check">
        <input id="smsOptIn" type="checkbox" checked={d.smsOptIn} onChange={(e) => set('smsOptIn', e.target.checked)} />
        <label htmlFor="smsOptIn">{t('form.sms')}</label>
      </div>
      <Field
        id="address"
        label={props.addressRequired ? t('form.addressVisit') : t('form.address')}
        error={props.shown.address}
      >
        {(aria) => (
          <input
            id="address"
            autoComplete="street-address"
            required={props.addressRequired}
            value={d.address}
            {...aria}
            onChange={(e) => set('address', e.target.value)}
            onBlur={() => props.onLeave('address')}
          />
        )}
      </Field>
      <Field id="note" label={t('form.note')} error={props.shown.note}>
        {(aria) => (
          <textarea
            id="note"
            rows={2}
            value={d.note}
            {...aria}
            onChange={(e) => set('note', e.target.value)}
            onBlur={() => props.onLeave('note')}
          />
        )}
      </Field>
    </>
  );
}
