/**
 * A card saved on the contact's Stripe customer for off-session charges, through a SetupIntent
 * (`usage: off_session`) that the customer confirms with the Payment Element (or, without Stripe keys,
 * the simulated gateway's clearly labelled test-card form):
 * - at booking, before the contact exists: the customer is found by email (a returning contact's own
 *   Stripe customer) or created with an idempotency key derived from the email; the SetupIntent's
 *   metadata carries the email, so a booking can only use a SetupIntent made for its own email;
 * - from the manage link ("update card"): the appointment's contact.
 * The server never trusts the page's word: it reads the SetupIntent back and needs `succeeded`.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { appendTimeline } from '../appointments/repository';
import type { Database } from '../db/schema';
import type { PaymentGateway, SetupIntentView } from './gateway';

/** A card the flow cannot use; `field` is what the API names. */
export class CardRefusal extends Error {
  override readonly name = 'CardRefusal';
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

const normalEmail = (email: string) => email.trim().toLowerCase();
const nameKey = (name: string) => createHash('sha256').update(name).digest('hex').slice(0, 16);
const emailKey = (email: string) => createHash('sha256').update(normalEmail(email)).digest('hex').slice(0, 32);

/** The Stripe customer for an email: the contact's own, else one created once per email. */
async function customerForEmail(
  db: Kysely<Database>,
  gateway: PaymentGateway,
  customer: { email: string; name: string },
): Promise<string> {
  const email = normalEmail(customer.email);
  const contact = await db
    .selectFrom('contacts')
    .select(['id', 'stripe_customer_id'])
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email))
    .executeTakeFirst();
  if (contact?.stripe_customer_id) return contact.stripe_customer_id;
  const { customerId } = await gateway.ensureCustomer({
    contactId: contact?.id ?? '',
    email,
    name: customer.name,
    existingCustomerId: null,
    // The key names what the customer is created with (a retry with the same name is the same request;
    // another name for the same email is another request, not an idempotency conflict → 500).
    idempotencyKey: `${contact ? `contact:${contact.id}` : `email:${emailKey(email)}`}:${nameKey(customer.name)}:customer`,
  });
  if (contact) {
    await db.updateTable('contacts').set({ stripe_customer_id: customerId }).where('id', '=', contact.id).execute();
  }
  return customerId;
}

/** Whether a contact with this email exists (whose Stripe customer an unproven caller must not touch). */
export async function contactExists(db: Kysely<Database>, email: string): Promise<boolean> {
  const row = await db
    .selectFrom('contacts')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['email']), '=', normalEmail(email)))
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * A SetupIntent for the booking page; `requestKey` (the page's own) makes a retried request the same intent.
 * A caller not proven to be the email's existing contact (issue 12) gets a Stripe customer of its own
 * for this card, never the contact's: nothing is attached to, or read from, the contact's customer.
 */
export async function setupIntentForBooking(
  db: Kysely<Database>,
  gateway: PaymentGateway,
  input: { email: string; name: string; requestKey?: string; proven: boolean },
): Promise<{ setupIntentId: string; clientSecret: string }> {
  const requestKey = input.requestKey ?? randomUUID();
  const customerId = await bookingCustomer(db, gateway, { ...input, requestKey });
  return gateway.createSetupIntent({
    customerId,
    idempotencyKey: `setup:${customerId}:${requestKey}`,
    metadata: { purpose: 'booking', email: normalEmail(input.email) },
  });
}

/**
 * The Stripe customer a booking's card or deposit goes on: the email's contact's own (created once per
 * email), or — for a caller not proven to be that existing contact (issue 12) — one of its own.
 */
export async function bookingCustomer(
  db: Kysely<Database>,
  gateway: PaymentGateway,
  input: { email: string; name: string; requestKey: string; proven: boolean },
): Promise<string> {
  const guest = !input.proven && (await contactExists(db, input.email));
  if (!guest) return customerForEmail(db, gateway, input);
  const { customerId } = await gateway.ensureCustomer({
    contactId: '',
    email: normalEmail(input.email),
    name: input.name,
    existingCustomerId: null,
    idempotencyKey: `guest:${emailKey(input.email)}:${input.requestKey}:customer`,
  });
  return customerId;
}

/** The card a visit is charged on: the one given at booking for it (migration 0052), else the contact's. */
export async function cardForCharge(
  db: Kysely<Database>,
  appointmentId: string,
  contact: { stripe_customer_id: string | null; default_payment_method_id: string | null },
): Promise<{ customerId: string | null; paymentMethodId: string } | null> {
  const visit = await db
    .selectFrom('appointments')
    .select(['booking_customer_id', 'booking_payment_method_id'])
    .where('id', '=', appointmentId)
    .executeTakeFirst();
  if (visit?.booking_payment_method_id) {
    return { customerId: visit.booking_customer_id, paymentMethodId: visit.booking_payment_method_id };
  }
  return contact.default_payment_method_id
    ? { customerId: contact.stripe_customer_id, paymentMethodId: contact.default_payment_method_id }
    : null;
}

/** Keeps an unproven caller's booking card on its appointment only, with a timeline entry. */
export async function saveCardOnAppointment(
  db: Kysely<Database>,
  gateway: PaymentGateway,
  input: {
    contactId: string;
    appointmentId: string;
    intent: { setupIntentId: string; customerId: string; paymentMethodId: string };
    actor: string;
    channel: string;
  },
): Promise<void> {
  const card = await gateway.describeCard(input.intent.paymentMethodId).catch(() => null);
  await db
    .updateTable('appointments')
    .set({
      booking_customer_id: input.intent.customerId,
      booking_payment_method_id: input.intent.paymentMethodId,
    })
    .where('id', '=', input.appointmentId)
    .execute();
  await appendTimeline(db, {
    appointmentId: input.appointmentId,
    contactId: input.contactId,
    kind: 'card:saved',
    actor: input.actor,
    channel: input.channel,
    summary: `Card given for this visit only (not yet confirmed as the contact's)${card ? ` (${card.brand} ending ${card.last4})` : ''}${gateway.simulated ? ' — simulated payments' : ''}`,
    data: { setupIntentId: input.intent.setupIntentId, scope: 'appointment' },
    idempotencyKey: `card:${input.intent.setupIntentId}:${input.appointmentId}`,
  });
}

/** A SetupIntent for the manage page's "update card", on the appointment's contact. */
export async function setupIntentForContact(
  db: Kysely<Database>,
  gateway: PaymentGateway,
  input: { contactId: string; requestKey?: string },
): Promise<{ setupIntentId: string; clientSecret: string }> {
  const contact = await db
    .selectFrom('contacts')
    .selectAll()
    .where('id', '=', input.contactId)
    .executeTakeFirstOrThrow();
  const { customerId } = await gateway.ensureCustomer({
    contactId: contact.id,
    email: contact.email,
    name: contact.name,
    existingCustomerId: contact.stripe_customer_id,
    idempotencyKey: `contact:${contact.id}:customer`,
  });
  if (customerId !== contact.stripe_customer_id) {
    await db.updateTable('contacts').set({ stripe_customer_id: customerId }).where('id', '=', contact.id).execute();
  }
  return gateway.createSetupIntent({
    customerId,
    idempotencyKey: `setup:${customerId}:${input.requestKey ?? randomUUID()}`,
    metadata: { purpose: 'update_card', contactId: contact.id },
  });
}

/** The SetupIntent, if it succeeded and belongs to `owner`; otherwise a refusal naming `setupIntentId`. */
export async function succeededSetupIntent(
  gateway: PaymentGateway,
  setupIntentId: string,
  owner: { email: string } | { contactId: string },
): Promise<SetupIntentView & { paymentMethodId: string; customerId: string }> {
  let intent: SetupIntentView;
  try {
    intent = await gateway.retrieveSetupIntent(setupIntentId);
  } catch {
    throw new CardRefusal('This card setup is unknown; please enter the card again.', 'setupIntentId');
  }
  const mine =
    'email' in owner
      ? intent.metadata.email === normalEmail(owner.email)
      : intent.metadata.contactId === owner.contactId;
  if (!mine) throw new CardRefusal('This card setup belongs to someone else.', 'setupIntentId');
  if (intent.status !== 'succeeded' || !intent.paymentMethodId || !intent.customerId) {
    throw new CardRefusal('The card has not been confirmed yet; please finish entering it.', 'setupIntentId');
  }
  return { ...intent, paymentMethodId: intent.paymentMethodId, customerId: intent.customerId };
}

/** Saves the confirmed card on the contact (customer, payment method, brand and last four) with a timeline entry. */
export async function saveCardOnContact(
  db: Kysely<Database>,
  gateway: PaymentGateway,
  input: {
    contactId: string;
    appointmentId: string;
    intent: { setupIntentId: string; customerId: string; paymentMethodId: string };
    actor: string;
    channel: string;
  },
): Promise<{ brand: string; last4: string } | null> {
  const card = await gateway.describeCard(input.intent.paymentMethodId).catch(() => null);
  await db
    .updateTable('contacts')
    .set({
      stripe_customer_id: input.intent.customerId,
      default_payment_method_id: input.intent.paymentMethodId,
      card_brand: card?.brand ?? null,
      card_last4: card?.last4 ?? null,
      updated_at: new Date(),
    })
    .where('id', '=', input.contactId)
    .execute();
  await appendTimeline(db, {
    appointmentId: input.appointmentId,
    contactId: input.contactId,
    kind: 'card:saved',
    actor: input.actor,
    channel: input.channel,
    summary: `Card saved for charges after the visit${card ? ` (${card.brand} ending ${card.last4})` : ''}${gateway.simulated ? ' — simulated payments' : ''}`,
    data: { setupIntentId: input.intent.setupIntentId },
    idempotencyKey: `card:${input.intent.setupIntentId}:${input.appointmentId}`,
  });
  return card;
}
