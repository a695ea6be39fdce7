/**
 * The deposit a service asks for at booking (issue 13, item 2; src/domain/deposit-policy.ts), taken
 * with a PaymentIntent the customer confirms on-session with the Payment Element (or, without Stripe
 * keys, the simulated gateway's labelled test-card form). When the service also wants a card for after
 * the visit, the intent carries `setup_future_usage: off_session` and its card is saved as the card on
 * file (no second form).
 *
 * The server never trusts the page: `POST /api/bookings` reads the PaymentIntent back from the gateway
 * and books only if it `succeeded` for this email and service, for the deposit the service asks now, in
 * its currency; the ledger's unique provider payment id makes one PaymentIntent book once.
 *
 * Every deposit PaymentIntent made here is recorded (`deposit_intents`, migration 0062) and claimed by
 * the booking that uses it, in the booking's transaction: a booking that fails (the slot was taken)
 * leaves it `open` for another time, and one the customer never makes is refunded by the unbooked-deposit
 * sweep after the grace (src/payments/unbooked-deposits.ts).
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema';
import { depositAmount } from '../domain/deposit-policy';
import { bookingCustomer } from './card-on-file';
import type { PaymentGateway, PaymentIntentView } from './gateway';

/** A deposit the booking cannot use; `field` is what the API names, `status` its HTTP status. */
export class DepositRefusal extends Error {
  override readonly name = 'DepositRefusal';
  constructor(
    message: string,
    readonly field: string,
    readonly status: 409 | 422 = 422,
  ) {
    super(message);
  }
}

export interface DepositTerms {
  amountMinor: number;
  currency: string;
  /** The service also keeps a card for after the visit: the deposit's card is saved for it. */
  saveCard: boolean;
}

/** What the service asks up front now (null: no deposit), from its price (an hourly service: its duration's estimate). */
export async function depositTerms(db: Kysely<Database>, serviceId: string): Promise<DepositTerms | null> {
  const service = await db
    .selectFrom('services')
    .select([
      'deposit_policy',
      'pricing',
      'price_minor',
      'hourly_rate_minor',
      'duration_minutes',
      'currency',
      'card_at_booking',
    ])
    .where('id', '=', serviceId)
    .executeTakeFirst();
  if (!service) return null;
  const price =
    service.pricing === 'fixed'
      ? Number(service.price_minor)
      : Math.round((Number(service.hourly_rate_minor) * service.duration_minutes) / 60);
  const amountMinor = depositAmount(service.deposit_policy, price);
  if (amountMinor === 0) return null;
  return { amountMinor, currency: service.currency.trim().toLowerCase(), saveCard: service.card_at_booking !== 'none' };
}

const normalEmail = (email: string) => email.trim().toLowerCase();

/** A PaymentIntent for the service's deposit; the page's `requestKey` makes a retried request the same intent. */
export async function depositIntentForBooking(
  db: Kysely<Database>,
  gateway: PaymentGateway,
  input: { serviceId: string; email: string; name: string; requestKey?: string; proven: boolean },
): Promise<{ paymentIntentId: string; clientSecret: string } & DepositTerms> {
  const terms = await depositTerms(db, input.serviceId);
  if (!terms) throw new DepositRefusal('This service takes no deposit.', 'serviceId');
  const requestKey = input.requestKey ?? randomUUID();
  const customerId = await bookingCustomer(db, gateway, { ...input, requestKey });
  const intent = await gateway.createPaymentIntent({
    amountMinor: terms.amountMinor,
    currency: terms.currency,
    customerId,
    description: 'Deposit at booking',
    idempotencyKey: `deposit:${customerId}:${input.serviceId}:${terms.amountMinor}:${requestKey}`,
    metadata: { purpose: 'deposit', email: normalEmail(input.email), serviceId: input.serviceId },
    saveCard: terms.saveCard,
  });
  // The same page key again is the same PaymentIntent: recorded once.
  await db
    .insertInto('deposit_intents')
    .values({
      provider_payment_id: intent.paymentIntentId,
      gateway: gateway.name,
      service_id: input.serviceId,
      email: normalEmail(input.email),
      name: input.name,
      amount_minor: terms.amountMinor,
      currency: terms.currency.toUpperCase(),
    })
    .onConflict((oc) => oc.column('provider_payment_id').doNothing())
    .execute();
  return { ...intent, ...terms };
}

/**
 * Claims the deposit for the booking, inside the booking's transaction: `open` becomes `booked`. One the
 * sweep refunded or is refunding (the customer came back hours later) is refused; one made before
 * deposits were recorded has no row and books on the ledger's uniqueness alone.
 */
export async function claimDepositIntent(
  trx: Transaction<Database>,
  input: { paymentIntentId: string; appointmentId: string },
): Promise<void> {
  const claimed = await trx
    .updateTable('deposit_intents')
    .set({ state: 'booked', appointment_id: input.appointmentId, updated_at: new Date() })
    .where('provider_payment_id', '=', input.paymentIntentId)
    .where('state', '=', 'open')
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) > 0) return;
  const row = await trx
    .selectFrom('deposit_intents')
    .select('state')
    .where('provider_payment_id', '=', input.paymentIntentId)
    .executeTakeFirst();
  if (!row) return;
  if (row.state === 'booked') {
    throw new DepositRefusal('This deposit has already been used for a booking.', 'paymentIntentId', 409);
  }
  throw new DepositRefusal(
    'This deposit was refunded because no booking was completed with it; please pay the deposit again.',
    'paymentIntentId',
  );
}

/** The PaymentIntent, read back from the gateway, if it is this booking's deposit and succeeded; else a refusal. */
export async function succeededDeposit(
  gateway: PaymentGateway,
  paymentIntentId: string,
  booking: { email: string; serviceId: string; terms: DepositTerms },
): Promise<PaymentIntentView> {
  let intent: PaymentIntentView;
  try {
    intent = await gateway.retrievePaymentIntent(paymentIntentId);
  } catch {
    throw new DepositRefusal('This deposit payment is unknown; please pay the deposit again.', 'paymentIntentId');
  }
  const { metadata } = intent;
  if (metadata.purpose !== 'deposit' || metadata.email !== normalEmail(booking.email)) {
    throw new DepositRefusal('This deposit payment belongs to someone else.', 'paymentIntentId');
  }
  if (metadata.serviceId !== booking.serviceId) {
    throw new DepositRefusal('This deposit was paid for another service.', 'paymentIntentId');
  }
  if (intent.amountMinor !== booking.terms.amountMinor || intent.currency.toLowerCase() !== booking.terms.currency) {
    throw new DepositRefusal(
      `This payment is not the deposit this service asks for (${booking.terms.amountMinor} ${booking.terms.currency.toUpperCase()}); please pay the deposit again.`,
      'paymentIntentId',
    );
  }
  if (intent.status !== 'succeeded') {
    throw new DepositRefusal('The deposit has not been paid yet; please finish paying it.', 'paymentIntentId');
  }
  return intent;
}
