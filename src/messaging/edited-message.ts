/**
 * A message as staff edited it before it goes (the reschedule dialog: preview → edit → send). The text
 * is sent as written — never compiled as a template — except for `{manage-link}`, which becomes the
 * customer's own manage link when the message is stored (the preview cannot mint a link for a message
 * that may never be sent). SMS are mapped onto GSM-7 and must fit two segments; the HTTP edge refuses a
 * longer one (counted with the real link's length) and the activity falls back to the template.
 * Pure.
 */
import { escapeHtml, oneLine, type RenderedEmail } from './layout';
import { SMS_MAX_SEPTETS, gsm7Length, toGsm7 } from './sms';

export const MANAGE_LINK_PLACEHOLDER = '{manage-link}';

/** Manage tokens are 32 random bytes in base64url: 43 characters. */
const MANAGE_TOKEN_LENGTH = 43;

export interface EditedMessage {
  email?: { subject: string; body: string };
  sms?: string;
}

const withLink = (text: string, manageUrl: string) => text.split(MANAGE_LINK_PLACEHOLDER).join(manageUrl);

/** The edited email: plain text as written, HTML escaped with paragraphs and line breaks kept, links clickable. */
export function editedEmail(edited: { subject: string; body: string }, manageUrl: string): RenderedEmail {
  const subject = oneLine(withLink(edited.subject, manageUrl));
  const body = withLink(edited.body, manageUrl).replace(/\r\n/g, '\n').trim();
  const paragraphs = body
    .split(/\n\s*\n/)
    .map(
      (p) =>
        `<p style="margin:0 0 16px;">${escapeHtml(p.trim())
          .replace(/https?:\/\/[^\s<>"']+/g, (url) => `<a href="${url}" style="color:#1a5fb4;">${url}</a>`)
          .replace(/\n/g, '<br>')}</p>`,
    )
    .join('\n');
  const html =
    '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${escapeHtml(subject)}</title></head>\n` +
    '<body style="margin:0;padding:0;background:#f2f2f2;">\n' +
    '<div style="max-width:600px;margin:0 auto;padding:24px;background:#ffffff;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#222222;">\n' +
    paragraphs +
    '\n</div>\n</body></html>\n';
  return { subject, text: body + '\n', html };
}

/** The edited SMS as it goes out: the link filled in, mapped onto GSM-7. */
export function editedSms(sms: string, manageUrl: string): string {
  return toGsm7(withLink(sms, manageUrl)).trim();
}

/** Length in GSM-7 septets of the edited SMS once sent, with a manage link of the real length. */
export function editedSmsSeptets(sms: string, publicBaseUrl: string): number {
  const link = `${publicBaseUrl}/manage/${'x'.repeat(MANAGE_TOKEN_LENGTH)}`;
  return gsm7Length(editedSms(sms, link));
}

export function fitsTwoSegments(septets: number): boolean {
  return septets <= SMS_MAX_SEPTETS;
}

/** The appointment's public notes with the note staff gave at the reschedule. */
export function withPublicNote(publicNotes: string, note: string | undefined): string {
  if (!note?.trim()) return publicNotes;
  return [publicNotes.trim(), note?.trim() ?? ''].filter(Boolean).join('\n\n');
}
