/**
 * The sign-in message of the customer portal: the one-time link by email or the code by SMS, stored in
 * the outbox (`messages`, template `portal_sign_in`) and handed to the configured provider at once.
 * With a real provider the stored body is then redacted, so the database never keeps a live secret;
 * the local outbox (no provider keys) keeps it, since it is where the customer's message is read.
 */
import type { Kysely } from 'kysely';
import type { Config } from '../config';
import type { Database } from '../db/schema';
import { dispatchStoredMessages } from '../messaging/dispatch';
import type { MessageProviders } from '../messaging/providers';
import { CODE_TTL_MS, LINK_TTL_MS } from './sign-in';

export const SIGN_IN_TEMPLATE = 'portal_sign_in';

export interface SignInMessage {
  challengeId: string;
  contactId: string;
  channel: 'email' | 'sms';
  to: string;
  /** The link (email) or the code (SMS). */
  secret: string;
}

export function signInMessageText(businessName: string, m: Pick<SignInMessage, 'channel' | 'secret'>) {
  if (m.channel === 'sms') {
    return {
      subject: null,
      body: `${businessName}: your sign-in code is ${m.secret}. It works once, for ${CODE_TTL_MS / 60_000} minutes. If you did not ask for it, ignore this message.`,
    };
  }
  return {
    subject: `Sign in to your ${businessName} account`,
    body: [
      `Open this link to sign in to your ${businessName} account:`,
      '',
      m.secret,
      '',
      `It works once, for ${LINK_TTL_MS / 60_000} minutes. If you did not ask for it, ignore this email: nobody can sign in without it.`,
    ].join('\n'),
  };
}

export async function sendSignInMessage(
  deps: { db: Kysely<Database>; config: Config; providers: MessageProviders },
  m: SignInMessage,
): Promise<void> {
  const { db } = deps;
  const business = await db.selectFrom('business').select('name').executeTakeFirst();
  const provider = m.channel === 'sms' ? deps.providers.sms : deps.providers.email;
  const text = signInMessageText(business?.name ?? 'Your account', m);
  const idempotencyKey = `portal-sign-in:${m.challengeId}`;
  await db
    .insertInto('messages')
    .values({
      contact_id: m.contactId,
      channel: m.channel,
      template: SIGN_IN_TEMPLATE,
      recipient: m.to,
      subject: text.subject,
      body: text.body,
      html: null,
      provider: provider.name,
      idempotency_key: idempotencyKey,
    })
    .execute();
  const [sent] = await dispatchStoredMessages(deps, [idempotencyKey], { contactId: m.contactId });
  if (sent && provider.name !== 'outbox') {
    await db
      .updateTable('messages')
      .set({ body: `[${m.channel === 'sms' ? 'sign-in code' : 'sign-in link'} removed after sending]` })
      .where('id', '=', sent.id)
      .execute();
  }
}
