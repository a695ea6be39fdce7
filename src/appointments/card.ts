/**
 * The appointment card's computed parts (issue 15): which actions are open and why others are not
 * (`actions.ts`), and the stage and price as delivery and invoicing moved them (`progress.ts`), from
 * the row, its deliver task, its latest invoice and whether its workflow answered.
 */
import type { Kysely } from 'kysely';
import type { Appointment, Database } from '../db/schema';
import type { AppointmentState } from '../../workflows/appointment/messages';
import { depositOf, type DepositView } from '../billing/deposits';
import { cardActions, type CardActions } from './actions';
import { cardProgress, type CardProgress } from './progress';

/** A zone named by the client (`?timeZone=`) when it is a real IANA zone, else `fallback`. */
export function zoneOf(value: unknown, fallback: string): string {
  if (typeof value !== 'string' || value.length > 64) return fallback;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return value;
  } catch {
    return fallback;
  }
}

export async function cardState(
  db: Kysely<Database>,
  row: Appointment,
  workflow: AppointmentState | null,
  view: {
    stage: string;
    price: { amountMinor: number; currency: string };
    billing: { pricing: 'fixed' | 'hourly'; hourlyRateMinor: number | null };
  },
  timeZone: string,
  now = Date.now(),
): Promise<{ actions: CardActions; progress: CardProgress; deposit: DepositView | null }> {
  const [deliver, invoice, deposit] = await Promise.all([
    db
      .selectFrom('tasks')
      .select('status')
      .where('appointment_id', '=', row.id)
      .where('kind', '=', 'deliver_service')
      .orderBy('created_at', 'desc')
      .executeTakeFirst(),
    db
      .selectFrom('invoices')
      .select(['status', 'total_minor', 'currency'])
      .where('appointment_id', '=', row.id)
      // A draft (lines staff added, a deposit, before delivery) is not yet what the visit costs.
      .where('status', '!=', 'draft')
      .orderBy('created_at', 'desc')
      .executeTakeFirst(),
    depositOf(db, row.id),
  ]);
  const actions = cardActions({
    status: row.status,
    startsAt: row.starts_at.getTime(),
    endsAt: row.ends_at.getTime(),
    now,
    deliverTask: deliver ? { status: deliver.status } : null,
    workflowRunning: workflow !== null && !workflow.closed,
    timeZone,
  });
  const progress = cardProgress({
    stage: view.stage,
    status: row.status,
    price: view.price,
    pricing: view.billing.pricing,
    hourlyRateMinor: view.billing.hourlyRateMinor,
    invoice: invoice
      ? { status: invoice.status, totalMinor: invoice.total_minor, currency: invoice.currency.trim() }
      : null,
  });
  return { actions, progress, deposit: deposit ?? null };
}
