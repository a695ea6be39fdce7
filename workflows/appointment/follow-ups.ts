/**
 * Follow-ups that bring customers back (patch appointment-follow-ups-v1, issue 16): when the service's
 * lifecycle policy sets `bookAgainWeeks`, a delivered and settled visit sleeps that many weeks after its
 * end (a durable timer), then asks an activity whether the contact booked again — another active
 * appointment made since this one started, or one still to come — and only if not sends `bookAgain`
 * with the next free times of the same staff member and a one-tap booking link.
 *
 * Why a check when the timer fires rather than a signal from the booking: the answer is an activity
 * result recorded in the history (deterministic on replay), the check only reads (idempotent on retry),
 * the booking path needs no knowledge of which workflows are waiting, and a booking that is cancelled
 * again before the timer fires does not count. The message itself is keyed by step (`book-again`), so a
 * retried send never sends twice.
 */
import { sleep } from '@temporalio/workflow';
import { DAY_MS } from '../../src/domain/durations';
import { data, persistently } from './activities';
import type { Outbox } from './outbox';
import type { AppointmentModel } from './state';

const WEEK_MS = 7 * DAY_MS;

/** Weeks after the end of a visit when "book again" fires, or null when the visit does not qualify. */
export function bookAgainWeeks(model: AppointmentModel): number | null {
  const weeks = model.appointment.policy.bookAgainWeeks;
  if (!weeks || model.appointment.status !== 'done') return null;
  // Only a settled visit: a customer still owing money is not invited back by the automation.
  if (model.billing && model.billing.payment !== 'paid') return null;
  return weeks;
}

/** Sleeps until the visit's end + `weeks`, then sends "book again" unless the contact booked meanwhile. */
export async function bookAgain(model: AppointmentModel, outbox: Outbox, weeks: number): Promise<void> {
  const { appointment } = model;
  const at = appointment.endsAt + weeks * WEEK_MS;
  model.bookAgain = { state: 'waiting', at };
  if (at > Date.now()) await sleep(at - Date.now());
  const bookedAgain = await persistently(appointment.appointmentId, 'book-again check', () =>
    data.contactBookedAgain({
      contactId: appointment.contactId,
      appointmentId: appointment.appointmentId,
      since: appointment.startsAt,
    }),
  );
  model.bookAgain = { state: bookedAgain ? 'not_needed' : 'sent', at };
  if (bookedAgain) return;
  outbox.enqueue({
    audience: 'customer',
    event: 'bookAgain',
    step: 'book-again',
    onlyIfCurrent: false,
    suggestSlots: appointment.policy.rebookSuggestions,
  });
}
