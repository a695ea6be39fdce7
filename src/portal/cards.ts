/**
 * The customer's saved cards in the portal (issue 16). Listed from the payment gateway (the cards on
 * the contact's Stripe customer, with expiry), plus the card on the contact's file when the gateway does
 * not list it (a simulated test card saved before a restart). Removing one detaches it at the gateway
 * once (idempotency key `contact:<id>:detach:<payment method>`) and, when it was the card on file,
 * clears it from the contact, so no later charge uses it. Only the contact's own cards are found: any
 * other id is "not found", whoever owns it.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { PaymentGateway } from '../payments/gateway';

export interface PortalCard {
  id: string;
  brand: string;
  last4: string;
  expMonth: number | null;
  expYear: number | null;
  /** The card charged after visits (the contact's card on file). */
  onFile: boolean;
  /** Whether the gateway lists it on the customer (a card only on the contact's file has nothing to detach). */
  atGateway: boolean;
}

/** A card as the portal API answers it (shared with the page). */
export type PortalCardView = Omit<PortalCard, 'atGateway'>;

export async function portalCards(db: Kysely<Database>, gateway: PaymentGateway, contactId: string) {
  const contact = await db
    .selectFrom('contacts')
    .select(['stripe_customer_id', 'default_payment_method_id', 'card_brand', 'card_last4'])
    .where('id', '=', contactId)
    .executeTakeFirstOrThrow();
  const listed = contact.stripe_customer_id ? await gateway.listCards(contact.stripe_customer_id) : [];
  const cards: PortalCard[] = listed.map((card) => ({
    id: card.paymentMethodId,
    brand: card.brand,
    last4: card.last4,
    expMonth: card.expMonth,
    expYear: card.expYear,
    onFile: card.paymentMethodId === contact.default_payment_method_id,
    atGateway: true,
  }));
  const onFile = contact.default_payment_method_id;
  if (onFile && !cards.some((card) => card.id === onFile)) {
    cards.unshift({
      id: onFile,
      brand: contact.card_brand ?? 'card',
      last4: contact.card_last4 ?? '',
      expMonth: null,
      expYear: null,
      onFile: true,
      atGateway: false,
    });
  }
  return cards;
}

/** Removes one of the contact's cards; false when the contact has no card with that id. */
export async function removePortalCard(
  db: Kysely<Database>,
  gateway: PaymentGateway,
  contactId: string,
  cardId: string,
): Promise<boolean> {
  const card = (await portalCards(db, gateway, contactId)).find((c) => c.id === cardId);
  if (!card) return false;
  if (card.atGateway) {
    await gateway.detachCard({ paymentMethodId: card.id, idempotencyKey: `contact:${contactId}:detach:${card.id}` });
  }
  if (card.onFile) {
    await db
      .updateTable('contacts')
      .set({ default_payment_method_id: null, card_brand: null, card_last4: null, updated_at: new Date() })
      .where('id', '=', contactId)
      .where('default_payment_method_id', '=', card.id)
      .execute();
  }
  return true;
}
