/**
 * The booking form's state: details (remembered on this device after a booking, offered back with
 * "Not you?"), which problems to show (fields left once, or all after a try), server refusals on the
 * same fields, and focus to the first problem.
 */
import { useState } from 'react';
import { ApiError } from '../api';
import { useDetailsCheck } from './DetailsForm';
import { type Details, FIELD_ORDER, type FieldName, fieldOf, type Problems } from './validation';

const REMEMBER_KEY = 'appointflow.customer';
const empty: Details = { name: '', email: '', phone: '', smsOptIn: false, address: '', note: '' };

function remembered(): Details | null {
  try {
    const saved = JSON.parse(localStorage.getItem(REMEMBER_KEY) ?? 'null') as Partial<Details> | null;
    return saved?.email ? { ...empty, ...saved, note: '' } : null;
  } catch {
    return null;
  }
}

export function rememberDetails(details: Details): void {
  try {
    localStorage.setItem(REMEMBER_KEY, JSON.stringify({ ...details, note: '' }));
  } catch {
    // storage blocked: nothing remembered
  }
}

function focusField(field: FieldName): void {
  document.getElementById(field)?.focus();
}

export function useBookingForm(country: string, addressRequired: boolean) {
  const [saved] = useState(remembered);
  const [details, setDetails] = useState<Details>(saved ?? empty);
  const [isRemembered, setRemembered] = useState(saved !== null);
  const [left, setLeft] = useState<ReadonlySet<FieldName>>(new Set());
  const [tried, setTried] = useState(false);
  const [server, setServer] = useState<Problems>({});
  const { problems, finalProblems } = useDetailsCheck(details, country, addressRequired);

  const shown: Problems = {};
  for (const field of FIELD_ORDER) {
    const problem = (tried || left.has(field) ? problems[field] : undefined) ?? server[field];
    if (problem) shown[field] = problem;
  }

  return {
    details,
    shown,
    remembered: isRemembered,
    change(next: Details) {
      // A changed field drops the server's refusal of it; the live check takes over.
      const changed = FIELD_ORDER.filter((f) => next[f] !== details[f]);
      if (changed.length)
        setServer((s) => Object.fromEntries(Object.entries(s).filter(([f]) => !changed.includes(f as FieldName))));
      setDetails(next);
    },
    leave(field: FieldName) {
      setLeft((l) => (l.has(field) ? l : new Set([...l, field])));
    },
    forget() {
      try {
        localStorage.removeItem(REMEMBER_KEY);
      } catch {
        // nothing stored
      }
      setDetails(empty);
      setRemembered(false);
      setLeft(new Set());
      focusField('name');
    },
    /** Checks everything; false (and focus on the first problem) when something needs fixing. */
    async validate(): Promise<boolean> {
      setTried(true);
      const found = await finalProblems();
      const first = FIELD_ORDER.find((f) => found[f]);
      if (first) focusField(first);
      return first === undefined;
    },
    /** Puts the server's field refusals on the fields; true when at least one landed on a field. */
    showServerError(error: unknown): boolean {
      if (!(error instanceof ApiError)) return false;
      const placed: Problems = {};
      for (const f of error.fields) {
        const field = fieldOf(f.field);
        if (field) placed[field] = f.message;
      }
      setServer(placed);
      const first = FIELD_ORDER.find((f) => placed[f]);
      if (first) focusField(first);
      return first !== undefined;
    },
  };
}
