/**
 * The provider per channel from configuration: SendGrid for email when SENDGRID_API_KEY is set, Twilio
 * for SMS when TWILIO_ACCOUNT_SID (with a number or Messaging Service) is set, Slack for staff alerts
 * when SLACK_BOT_TOKEN is set, Twilio's WhatsApp sender when TWILIO_WHATSAPP_FROM is set. A channel without keys keeps the local outbox provider.
 */
import type { Config } from '../config';
import { localProviders, type MessageProviders } from './providers';
import { SendGridEmailProvider } from './sendgrid';
import { SlackAlertProvider } from './slack';
import { TwilioSmsProvider } from './twilio';
import { TwilioWhatsappProvider } from './whatsapp';

/** True when SMS goes to the local outbox (no Twilio number or Messaging Service configured). */
export function smsUsesLocalOutbox(config: Config): boolean {
  const twilio = config.messaging.twilio;
  return !(twilio?.accountSid && twilio.from);
}

export function messageProvidersFromConfig(config: Config): MessageProviders {
  const providers: MessageProviders = localProviders();
  const { sendgrid, twilio, slack, whatsapp } = config.messaging;
  if (sendgrid) providers.email = new SendGridEmailProvider(sendgrid);
  if (twilio?.accountSid && twilio.from) {
    providers.sms = new TwilioSmsProvider({
      accountSid: twilio.accountSid,
      authToken: twilio.authToken,
      from: twilio.from,
      statusCallbackUrl: `${config.http.publicBaseUrl}/webhooks/twilio/status`,
      apiBase: twilio.apiBase,
    });
  }
  if (twilio?.accountSid && whatsapp) {
    providers.whatsapp = new TwilioWhatsappProvider({
      accountSid: twilio.accountSid,
      authToken: twilio.authToken,
      from: whatsapp.from,
      statusCallbackUrl: `${config.http.publicBaseUrl}/webhooks/twilio/status`,
      apiBase: twilio.apiBase,
    });
  }
  if (slack) providers.slack = new SlackAlertProvider(slack);
  return providers;
}
