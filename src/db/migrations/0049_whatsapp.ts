/**
 * WhatsApp as a third customer channel (issue 16):
 * - `contacts.preferred_channel`: the text channel the customer wants besides email (`sms`,
 *   `whatsapp`, or `email` for email only); NULL keeps the earlier rule (SMS when opted in).
 * - WhatsApp opt-in and opt-out with time and source, like SMS (`portal`, `staff:<name>`, `whatsapp:STOP`).
 * - `whatsapp_windows`: when each WhatsApp number last wrote to us. Inside 24 hours of that free
 *   text may be sent; outside only an approved template (Twilio Content API).
 * - `messages.template_values`: the named values a WhatsApp template is filled with.
 * - `whatsapp` allowed as a message and a reply-conversation channel.
 */
import { type Kysely, sql } from 'kysely';

const statements = [
  `ALTER TABLE contacts ADD COLUMN preferred_channel text CHECK (preferred_channel IN ('email','sms','whatsapp'))`,
  `ALTER TABLE contacts ADD COLUMN whatsapp_opt_in boolean NOT NULL DEFAULT false`,
  `ALTER TABLE contacts ADD COLUMN whatsapp_opt_in_at timestamptz`,
  `ALTER TABLE contacts ADD COLUMN whatsapp_opt_in_source text`,
  `ALTER TABLE contacts ADD COLUMN whatsapp_opted_out_at timestamptz`,
  `ALTER TABLE contacts ADD COLUMN whatsapp_opt_out_source text`,
  `CREATE TABLE whatsapp_windows (
    address text PRIMARY KEY,
    last_inbound_at timestamptz NOT NULL
  )`,
  `ALTER TABLE messages ADD COLUMN template_values jsonb`,
  `ALTER TABLE messages DROP CONSTRAINT messages_channel_check`,
  `ALTER TABLE messages ADD CONSTRAINT messages_channel_check CHECK (channel IN ('email','sms','slack','whatsapp'))`,
  `ALTER TABLE conversations DROP CONSTRAINT conversations_channel_check`,
  `ALTER TABLE conversations ADD CONSTRAINT conversations_channel_check CHECK (channel IN ('sms','email','whatsapp'))`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DELETE FROM conversations WHERE channel = 'whatsapp'`.execute(db);
  await sql`ALTER TABLE conversations DROP CONSTRAINT conversations_channel_check`.execute(db);
  await sql`ALTER TABLE conversations ADD CONSTRAINT conversations_channel_check CHECK (channel IN ('sms','email'))`.execute(
    db,
  );
  // messages keeps accepting `whatsapp`: the WhatsApp messages already sent stay on record.
  await sql`ALTER TABLE messages DROP COLUMN IF EXISTS template_values`.execute(db);
  await sql`DROP TABLE IF EXISTS whatsapp_windows`.execute(db);
  for (const column of [
    'whatsapp_opt_out_source',
    'whatsapp_opted_out_at',
    'whatsapp_opt_in_source',
    'whatsapp_opt_in_at',
    'whatsapp_opt_in',
    'preferred_channel',
  ]) {
    await sql.raw(`ALTER TABLE contacts DROP COLUMN IF EXISTS ${column}`).execute(db);
  }
}
