/**
 * When each WhatsApp number last wrote to us (`whatsapp_windows`): an inbound message opens or
 * extends the 24-hour customer-service window (src/domain/whatsapp.ts decides what may be sent).
 * Only moves forward, so a late redelivery never shortens the window.
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema';

export async function recordWhatsappInbound(db: Kysely<Database>, address: string, at: Date): Promise<void> {
  await db
    .insertInto('whatsapp_windows')
    .values({ address, last_inbound_at: at })
    .onConflict((oc) =>
      oc
        .column('address')
        .doUpdateSet({ last_inbound_at: sql`greatest(whatsapp_windows.last_inbound_at, excluded.last_inbound_at)` }),
    )
    .execute();
}

export async function lastWhatsappInbound(db: Kysely<Database>, address: string): Promise<Date | null> {
  const row = await db
    .selectFrom('whatsapp_windows')
    .select('last_inbound_at')
    .where('address', '=', address)
    .executeTakeFirst();
  return row?.last_inbound_at ?? null;
}
