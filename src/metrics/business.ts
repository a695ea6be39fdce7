/**
 * Business counters: what happened to appointments, messages, payments and deliveries, counted where
 * it happened (after the change committed). Other modules call the one-line `count*` functions below;
 * a counter's labels are small closed sets (channels, statuses, outcomes), never ids.
 */
import { Counter } from 'prom-client';
import { registry } from './registry';

const counter = (name: string, help: string, labelNames: string[]) =>
  new Counter({ name, help, labelNames, registers: [registry] });

const bookings = counter('appointflow_bookings_total', 'Appointments booked, by channel', ['channel']);
const reschedules = counter('appointflow_reschedules_total', 'Appointments rescheduled, by channel', ['channel']);
const cancellations = counter('appointflow_cancellations_total', 'Appointments cancelled, by channel', ['channel']);
const noShows = counter('appointflow_no_shows_total', 'Appointments marked no-show, by channel', ['channel']);
const messages = counter(
  'appointflow_messages_total',
  'Messages entering a status (sent, delivered, bounced, failed, suppressed), by channel',
  ['channel', 'status'],
);
const charges = counter(
  'appointflow_charges_total',
  'Charge attempts, by outcome (succeeded, declined, requires_action, error, zero_total)',
  ['outcome'],
);
const deliveries = counter(
  'appointflow_webhook_deliveries_total',
  'Outbound deliveries (webhooks and platform sync), by target kind and outcome (succeeded, skipped, attempt_failed, failed)',
  ['kind', 'outcome'],
);

export function countBooking(channel: string): void {
  bookings.inc({ channel });
}

export function countReschedule(channel: string): void {
  reschedules.inc({ channel });
}

/** A status change of an appointment: cancellations and no-shows are counted, other statuses are not. */
export function countStatusChange(status: string, channel: string): void {
  if (status === 'cancelled') cancellations.inc({ channel });
  else if (status === 'no_show') noShows.inc({ channel });
}

export function countMessage(channel: string, status: string): void {
  messages.inc({ channel, status });
}

export function countCharge(outcome: string): void {
  charges.inc({ outcome });
}

export function countDelivery(kind: 'webhook' | 'platform', outcome: string): void {
  deliveries.inc({ kind, outcome });
}
