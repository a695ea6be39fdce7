/**
 * What the appointment card says about where an appointment stands and what it costs (issue 15): the
 * stage follows delivery and invoicing (a delivered visit no longer reads "Appointment Tomorrow"), and
 * the price is the invoice total once invoiced. Pure; the stored stage stays the workflow's.
 */
import type { ServiceStatus } from '../domain/stages';

export interface ProgressFacts {
  stage: string;
  status: ServiceStatus;
  price: { amountMinor: number; currency: string };
  pricing: 'fixed' | 'hourly';
  hourlyRateMinor: number | null;
  /** The latest invoice, if any. */
  invoice: { status: string; totalMinor: number; currency: string } | null;
}

export interface CardProgress {
  /** The stage as the card shows it. */
  stage: string;
  price: {
    amountMinor: number;
    currency: string;
    /** booked: the price at booking; invoiced: the invoice total; hourly: the rate, billed by the hour. */
    basis: 'booked' | 'invoiced' | 'hourly';
  };
}

export function cardProgress(facts: ProgressFacts): CardProgress {
  const { invoice } = facts;
  const price: CardProgress['price'] = invoice
    ? { amountMinor: invoice.totalMinor, currency: invoice.currency, basis: 'invoiced' }
    : facts.pricing === 'hourly' && facts.hourlyRateMinor !== null
      ? { amountMinor: facts.hourlyRateMinor, currency: facts.price.currency, basis: 'hourly' }
      : { ...facts.price, basis: 'booked' };
  let stage = facts.stage;
  if (facts.status === 'in_progress') stage = 'In progress';
  if (facts.status === 'done') {
    if (invoice?.status === 'paid' || facts.stage === 'Paid Won') stage = 'Paid Won';
    else if (invoice && invoice.status !== 'void') stage = 'Delivered — awaiting payment';
    else stage = 'Delivered';
  }
  return { stage, price };
}
