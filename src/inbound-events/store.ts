/**
 * Provider webhook events (Stripe, Twilio, SendGrid) and local SMS replies, each stored once per
 * provider and event id in `inbound_events`: the first delivery claims the id and is processed; a
 * redelivery finds it claimed and changes nothing. A delivery whose processing fails releases its
 * claim, so the provider's retry is processed. Retention removes old rows (src/retention/).
 */
import type { Kysely } from 'kysely';
import type { Database, InboundEventStatus } from '../db/schema';

export interface InboundEventClaim {
  provider: string;
  eventId: string;
  payload: unknown;
  /** Recorded as already processed (a delivery whose events are claimed one by one). */
  processedOutcome?: string;
}

/** The claimed row's id, or undefined when this event was received before (a duplicate). */
export async function claimInboundEvent(db: Kysely<Database>, claim: InboundEventClaim): Promise<string | undefined> {
  const done = claim.processedOutcome !== undefined;
  const row = await db
    .insertInto('inbound_events')
    .values({
      provider: claim.provider,
      event_id: claim.eventId,
      payload: JSON.stringify(claim.payload),
      status: done ? 'processed' : 'received',
      ...(done ? { outcome: claim.processedOutcome, processed_at: new Date() } : {}),
    })
    .onConflict((oc) => oc.columns(['provider', 'event_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

/** Records what processing the claimed event did. */
export async function finishInboundEvent(
  db: Kysely<Database>,
  id: string,
  outcome: string,
  status: Extract<InboundEventStatus, 'processed' | 'unmatched'> = 'processed',
): Promise<void> {
  await db
    .updateTable('inbound_events')
    .set({ status, outcome, processed_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** Gives the claim back after a failure, so a redelivery is processed. */
export async function releaseInboundEvent(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('inbound_events').where('id', '=', id).execute();
}
