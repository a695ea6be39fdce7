/**
 * The booking page's card step on the server: a service with `cardAtBooking: required` books only
 * with a SetupIntent that succeeded for the booking's own email; `optional` takes one if given. The
 * card is saved on the contact right after the booking (src/payments/card-on-file.ts).
 */
import type { PaymentGateway } from '../../payments/gateway';
import {
  CardRefusal,
  saveCardOnAppointment,
  saveCardOnContact,
  succeededSetupIntent,
} from '../../payments/card-on-file';
import type { AppDeps } from '../app';
import { HttpError } from '../errors';
import { type BookingDeposit, depositUsedBy } from '../../billing/deposits';
import { formatMoney } from '../../billing/invoice';
import { DepositRefusal, depositTerms, succeededDeposit } from '../../payments/deposit-intents';
import { httpErrorForDeposit } from './booking-helpers';

type Deps = AppDeps & { payments: PaymentGateway };
type ConfirmedCard = Awaited<ReturnType<typeof succeededSetupIntent>>;

export function httpErrorForCard(error: unknown): never {
  if (error instanceof CardRefusal) {
    throw new HttpError(422, 'card_required', error.message, {}, [{ field: error.field, message: error.message }]);
  }
  throw error;
}

export async function cardForBooking(
  deps: Deps,
  body: { serviceId: string; setupIntentId?: string | undefined; customer: { email: string } },
): Promise<ConfirmedCard | undefined> {
  const service = await deps.database.db
    .selectFrom('services')
    .select(['card_at_booking'])
    .where('id', '=', body.serviceId)
    .executeTakeFirst();
  if (!service || service.card_at_booking === 'none') return undefined;
  if (!body.setupIntentId) {
    if (service.card_at_booking === 'optional') return undefined;
    throw new HttpError(
      422,
      'card_required',
      'This service needs a card saved for after your visit (nothing is charged now).',
      {},
      [{ field: 'setupIntentId', message: 'a card is required for this service' }],
    );
  }
  try {
    return await succeededSetupIntent(deps.payments, body.setupIntentId, { email: body.customer.email });
  } catch (error) {
    return httpErrorForCard(error);
  }
}

/**
 * Saves the booking's card. A public booking with the email of a contact that existed before, from a
 * device not proven to be theirs (issue 12), changes nothing of the contact's: its card (made on a
 * Stripe customer of its own, src/payments/card-on-file.ts) is kept on the appointment and charged for
 * that visit only. Otherwise the card becomes the contact's card on file.
 */
export async function saveBookingCard(
  deps: Deps,
  appointment: { id: string; contact: { id: string; name: string } },
  card: ConfirmedCard,
  unprovenExistingContact: boolean,
): Promise<void> {
  const input = {
    contactId: appointment.contact.id,
    appointmentId: appointment.id,
    intent: card,
    actor: appointment.contact.name,
    channel: 'web',
  };
  if (unprovenExistingContact) {
    await saveCardOnAppointment(deps.database.db, deps.payments, input);
    return;
  }
  await saveCardOnContact(deps.database.db, deps.payments, input);
}

/**
 * A service that takes a deposit books only with its PaymentIntent, read back from the gateway:
 * succeeded, for this email and service, for the deposit asked now, not used by another booking (422 /
 * 409 naming `paymentIntentId`). A membership visit takes none. When the service also keeps a card,
 * the deposit's card (`setup_future_usage: off_session`) is the booking's card.
 */
export async function depositForBooking(
  deps: Deps,
  body: {
    serviceId: string;
    paymentIntentId?: string | undefined;
    membershipId?: string | undefined;
    certificateNumber?: string | undefined;
    customer: { email: string };
  },
): Promise<{ deposit: BookingDeposit; card: ConfirmedCard | undefined } | undefined> {
  if (body.membershipId || body.certificateNumber) return undefined;
  const { db } = deps.database;
  const terms = await depositTerms(db, body.serviceId);
  if (!terms) return undefined;
  try {
    if (!body.paymentIntentId) {
      const amount = formatMoney(terms.amountMinor, terms.currency.toUpperCase());
      throw new DepositRefusal(
        `This service takes a deposit of ${amount} at booking; please pay it first.`,
        'paymentIntentId',
      );
    }
    if ((await depositUsedBy(db, body.paymentIntentId)) !== null) {
      throw new DepositRefusal('This deposit has already been used for a booking.', 'paymentIntentId', 409);
    }
    const intent = await succeededDeposit(deps.payments, body.paymentIntentId, {
      email: body.customer.email,
      serviceId: body.serviceId,
      terms,
    });
    const card =
      terms.saveCard && intent.paymentMethodId && intent.customerId
        ? {
            setupIntentId: intent.paymentIntentId,
            status: intent.status,
            customerId: intent.customerId,
            paymentMethodId: intent.paymentMethodId,
            metadata: intent.metadata,
          }
        : undefined;
    return {
      deposit: {
        paymentIntentId: intent.paymentIntentId,
        amountMinor: intent.amountMinor,
        currency: intent.currency,
        gateway: deps.payments.name,
      },
      card,
    };
  } catch (error) {
    if (error instanceof DepositRefusal) throw httpErrorForDeposit(error);
    throw error;
  }
}
