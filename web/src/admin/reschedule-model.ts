/** The reschedule form's model: the server's preview, which control shows each field the server names, the preview's key. */
import { useEffect, useState } from 'react';
import { api, ApiError, errorText } from '../api';
import type { ReschedulePreview } from '../../../src/messaging/reschedule-preview';
import type { SlotView } from '../SlotPicker';

export interface ServiceOption {
  id: string;
  name: string;
}

/** POST /api/appointments/{id}/reschedule/preview: the slot, and the server's preview of the message. */
export type Preview = { startsAt: string; staffId: string } & ReschedulePreview;

/** The form control each field the server may name is shown next to (in the order of the form). */
export const FIELD_CONTROLS: ReadonlyArray<readonly [field: string, control: string]> = [
  ['serviceId', 'rs-service'],
  ['startsAt', 'rs-slot'],
  ['staffId', 'rs-slot'],
  ['note', 'rs-note'],
  ['channel', 'rs-channel'],
  ['message.email.subject', 'rs-email-subject'],
  ['message.email.body', 'rs-email-body'],
  ['message.email', 'rs-email-body'],
  ['message.sms', 'rs-sms'],
  ['message', 'rs-email-body'],
  ['reminders', 'rs-reminders'],
];

export type Problems = Record<string, string[]>;

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/** What the preview depends on: edits made for another key may describe the wrong time. */
function previewKey(slot: SlotView | undefined, serviceId: string, note: string): string {
  return slot ? JSON.stringify([slot.startsAt, slot.staffId, serviceId, note.trim()]) : '';
}

/**
 * A refused reschedule: the server's field problems placed at the controls that show them, and the
 * summary above the form (only a pointer to the fields when every problem was placed).
 */
export function refusalOf(e: unknown): { problems: Problems; formError: { text: string; placedOnly: boolean } } {
  const problems: Problems = {};
  const known = new Set(FIELD_CONTROLS.map(([field]) => field));
  const unplaced: string[] = [];
  for (const f of e instanceof ApiError ? e.fields : []) {
    if (known.has(f.field)) (problems[f.field] ??= []).push(f.message);
    else unplaced.push(`${f.field}: ${f.message}`);
  }
  const placed = Object.keys(problems).length > 0;
  const formError = placed
    ? unplaced.length
      ? { text: `Not rescheduled: ${unplaced.join('; ')}`, placedOnly: false }
      : { text: 'Not rescheduled: see the fields marked below.', placedOnly: true }
    : { text: `Not rescheduled: ${errorText(e)}`, placedOnly: false };
  return { problems, formError };
}

/**
 * The message the customer would get for the chosen slot, service and (debounced) note, previewed by
 * the server; `currentKey` names what is on screen now, so a preview for an older choice is not sent.
 */
export function useReschedulePreview(
  appointment: { id: string; service: { id: string } },
  slot: SlotView | undefined,
  serviceId: string,
  note: string,
) {
  const [preview, setPreview] = useState<{ key: string; data: Preview } | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const debouncedNote = useDebounced(note, 400);
  const requestKey = previewKey(slot, serviceId, debouncedNote);
  const currentKey = previewKey(slot, serviceId, note);
  useEffect(() => {
    if (!slot) {
      setPreview(null);
      setPreviewError(null);
      return;
    }
    let live = true;
    setPreviewError(null);
    api<Preview>('POST', `/api/appointments/${appointment.id}/reschedule/preview`, {
      startsAt: slot.startsAt,
      staffId: slot.staffId,
      ...(serviceId !== appointment.service.id ? { serviceId } : {}),
      ...(debouncedNote.trim() ? { note: debouncedNote.trim() } : {}),
    })
      .then((data) => {
        if (!live) return;
        setPreview({ key: requestKey, data });
      })
      .catch((e: unknown) => live && setPreviewError(errorText(e)));
    return () => {
      live = false;
    };
    // requestKey covers slot, service and the (debounced) note.
  }, [requestKey]);
  return { preview, previewError, currentKey };
}
