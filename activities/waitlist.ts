/**
 * Waitlist activities (workflows/waitlist/): offer a freed slot to the next person in line — the offer
 * row is the hold — and send them the one-tap claim link by email (and SMS when they opted in), stored
 * in the outbox under keys derived from the workflow and the entry, so a retry neither offers nor
 * sends twice; and expire an offer whose hold ran out.
 */
import type { Kysely } from 'kysely';
import type { Config } from '../src/config';
import type { Database, MessageChannel } from '../src/db/schema';
import { dispatchStoredMessages } from '../src/messaging/dispatch';
import { type MessageProviders, providerName } from '../src/messaging/providers';
import { customerTextRecipient } from '../src/messaging/recipients';
import { formatWhenShort } from '../src/messaging/templates';
import type { FreedSlot } from '../src/waitlist/matching';
import { type Candidate, createOffer, expireOffer, nextCandidate } from '../src/waitlist/service';

export interface WaitlistActivityDeps {
  db: Kysely<Database>;
  config: Config;
  providers: MessageProviders;
}

export interface OfferInput {
  workflowId: string;
  slot: FreedSlot;
  alreadyOffered: string[];
  holdMinutes: number;
}

export interface OfferMade {
  offerId: string;
  entryId: string;
  contactName: string;
  expiresAt: number;
}

export function waitlistActivities({ db, config, providers }: WaitlistActivityDeps) {
  return {
    async offerFreedSlot(input: OfferInput): Promise<OfferMade | null> {
      const now = Date.now();
      // The first in line who does not hold another slot right now (createOffer answers null then).
      const skip = [...input.alreadyOffered];
      let candidate: Candidate | undefined;
      let offer: Awaited<ReturnType<typeof createOffer>> = null;
      while (!offer) {
        candidate = await nextCandidate(db, input.slot, skip, now);
        if (!candidate) return null;
        skip.push(candidate.entryId);
        offer = await createOffer(
          db,
          { workflowId: input.workflowId, candidate, expiresAt: now + input.holdMinutes * 60_000 },
          now,
        );
      }
      if (!candidate) return null;
      const keyOf = (channel: MessageChannel) => `${input.workflowId}:offer:${candidate.entryId}:${channel}`;
      if (offer.token) {
        const [contact, service, business] = await Promise.all([
          db.selectFrom('contacts').selectAll().where('id', '=', candidate.contactId).executeTakeFirstOrThrow(),
          db.selectFrom('services').select('name').where('id', '=', candidate.serviceId).executeTakeFirstOrThrow(),
          db.selectFrom('business').select('name').executeTakeFirstOrThrow(),
        ]);
        const link = `${config.http.publicBaseUrl}/waitlist/offer/${offer.token}`;
        const when = formatWhenShort(candidate.slot.startsAt, candidate.timeZone);
        const minutes = input.holdMinutes;
        const rows: Array<{ channel: MessageChannel; to: string; subject: string | null; body: string }> = [];
        if (!contact.email_bounced_at) {
          rows.push({
            channel: 'email',
            to: contact.email,
            subject: `A time opened up: ${service.name} on ${when}`,
            body: `Hi ${contact.name.split(' ')[0]},\n\nGood news from ${business.name}: ${service.name} on ${when} is free, and it is yours if you want it. We are holding it for you for ${minutes} minutes.\n\nClaim it with one tap: ${link}\n\nAfter that it goes to the next person on the waitlist.`,
          });
        }
        // SMS or WhatsApp by the customer's preference and opt-ins (src/messaging/recipients.ts).
        const text = customerTextRecipient(contact);
        const short = `${business.name}: ${service.name} ${when} opened up. Held ${minutes} min for you: ${link}`;
        if (text) rows.push({ ...text, subject: null, body: short });
        for (const row of rows) {
          await db
            .insertInto('messages')
            .values({
              contact_id: contact.id,
              channel: row.channel,
              template: 'waitlistOffer',
              recipient: row.to,
              subject: row.subject,
              body: row.body,
              provider: providerName(providers, row.channel),
              idempotency_key: keyOf(row.channel),
              // What an approved WhatsApp template is filled with outside the 24-hour window.
              template_values:
                row.channel === 'whatsapp'
                  ? JSON.stringify({
                      name: contact.name,
                      business: business.name,
                      service: service.name,
                      when,
                      link,
                      text: short,
                    })
                  : null,
            })
            .onConflict((oc) => oc.column('idempotency_key').doNothing())
            .execute();
        }
      }
      await dispatchStoredMessages({ db, config, providers }, [keyOf('email'), keyOf('sms'), keyOf('whatsapp')], {
        contactId: candidate.contactId,
      });
      return {
        offerId: offer.offerId,
        entryId: candidate.entryId,
        contactName: candidate.contactName,
        expiresAt: offer.expiresAt,
      };
    },

    async expireWaitlistOffer(input: { offerId: string }): Promise<'expired' | 'claimed'> {
      return expireOffer(db, input.offerId);
    },
  };
}
