/**
 * Staff alerts to Slack with `chat.postMessage` (bot token, JSON body). Slack answers HTTP 200 with
 * `ok: false` for most errors: `channel_not_found`, `not_in_channel`, `invalid_auth` and friends are
 * permanent (configuration), `ratelimited` and 5xx are retried.
 */
import { type MessageProvider, type OutgoingMessage, PermanentSendError } from './providers';

export interface SlackOptions {
  botToken: string;
  apiBase: string;
}

const PERMANENT_SLACK_ERRORS = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'missing_scope',
  'msg_too_long',
  'no_text',
  'invalid_blocks',
]);

export class SlackAlertProvider implements MessageProvider {
  readonly name = 'slack';

  constructor(private readonly options: SlackOptions) {}

  async send(message: OutgoingMessage): Promise<{ providerMessageId: string }> {
    const response = await fetch(`${this.options.apiBase}/chat.postMessage`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        authorization: `Bearer ${this.options.botToken}`,
      },
      body: JSON.stringify({
        channel: message.to,
        text: message.text,
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: message.text } }],
        unfurl_links: false,
      }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new Error(`Slack answered HTTP ${response.status}`);
    const body = (await response.json()) as { ok: boolean; error?: string; ts?: string; channel?: string };
    if (!body.ok) {
      const error = body.error ?? 'unknown_error';
      if (PERMANENT_SLACK_ERRORS.has(error)) throw new PermanentSendError(`Slack refused the alert: ${error}`, error);
      throw new Error(`Slack chat.postMessage failed: ${error}`);
    }
    return { providerMessageId: `${body.channel ?? message.to}:${body.ts ?? ''}` };
  }
}
