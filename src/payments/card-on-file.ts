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
    idempotencyKey: contact
      ? `contact:${contact.id}:customer`
      : `email:${createHash('sha256').update(email).digest('hex').slice(0, 32)}:customer`,
  });
  if (contact) {
    await db.updateTable('contacts').set({ stripe_customer_id: customerId }).where('id', '=', contact.id).execute();
  }
  return customerId;
}

/** A SetupIntent for the booking page; `requestKey` (the page's own) makes a retried request the same intent. */
export async function setupIntentForBooking(
  db: Kysely<Database>,
  gateway: PaymentGateway,
  input: { email: string; name: string; requestKey?: string },
): Promise<{ setupIntentId: string; clientSecret: string }> {
  const customerId = await customerForEmail(db, gateway, input);
  return gateway.createSetupIntent({
    customerId,
    idempotencyKey: `setup:${customerId}:${input.requestKey ?? randomUUID()}`,
    metadata: { purpose: 'booking', email: normalEmail(input.email) },
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
