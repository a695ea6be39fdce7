/**
 * What a customer's SMS / email reply asks for. Pure. Matching is tolerant: case, spaces and
 * punctuation are ignored ("c", " C. ", "Yes!", "#2"). The carrier opt-out keywords Twilio itself honours
 * (STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE, OPTOUT) always mean opt-out — never "cancel
 * my appointment", which is why our messages say "reply C to cancel". The keywords: C (cancel, then
 * YES to confirm), R (reschedule, then 1-3 for an offered time), W / WAIT (join the waitlist for the
 * appointment just cancelled or missed), HELP, STOP / START.
 */

export const OPT_OUT_KEYWORDS = [
  'STOP',
  'STOPALL',
  'UNSUBSCRIBE',
  'CANCEL',
  'END',
  'QUIT',
  'REVOKE',
  'OPTOUT',
] as const;
export const OPT_IN_KEYWORDS = ['START', 'UNSTOP'] as const;
export const HELP_KEYWORDS = ['HELP', 'INFO'] as const;
/** The waitlist reply the cancellation follow-up and the no-show prompt offer ("Reply W …"). */
export const WAITLIST_KEYWORDS = ['W', 'WAIT', 'WAITLIST'] as const;

export type ReplyIntent =
  | { kind: 'opt_out'; keyword: string }
  | { kind: 'opt_in'; keyword: string }
  | { kind: 'help' }
  | { kind: 'cancel' }
  | { kind: 'reschedule' }
  /** W / WAIT / WAITLIST: join the waitlist for what was cancelled or missed (src/waitlist/reply.ts). */
  | { kind: 'waitlist' }
  | { kind: 'confirm' }
  | { kind: 'choice'; index: number }
  | { kind: 'other' };

/** Upper case, letters and digits only. */
export function normalizeReply(text: string): string {
  return text
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '');
}

export function parseSmsReply(text: string): ReplyIntent {
  const word = normalizeReply(text);
  if ((OPT_OUT_KEYWORDS as readonly string[]).includes(word)) return { kind: 'opt_out', keyword: word };
  if ((OPT_IN_KEYWORDS as readonly string[]).includes(word)) return { kind: 'opt_in', keyword: word };
  if ((HELP_KEYWORDS as readonly string[]).includes(word)) return { kind: 'help' };
  if (word === 'C') return { kind: 'cancel' };
  if (word === 'R') return { kind: 'reschedule' };
  if ((WAITLIST_KEYWORDS as readonly string[]).includes(word)) return { kind: 'waitlist' };
  if (word === 'YES' || word === 'Y') return { kind: 'confirm' };
  if (/^[1-3]$/.test(word)) return { kind: 'choice', index: Number(word) };
  return { kind: 'other' };
}

/**
 * An email reply: only its first non-empty line that is not quoted text counts, so a quoted copy of
 * our own message ("reply C to cancel") never triggers anything. The opt-out keywords do not apply to
 * email; words such as "cancel" or "reschedule" do.
 */
export function parseEmailReply(text: string): ReplyIntent {
  const line = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .find((l) => l !== '' && !l.startsWith('>'));
  if (line === undefined) return { kind: 'other' };
  if (/^On .+wrote:$/i.test(line)) return { kind: 'other' };
  const word = normalizeReply(line);
  if (word === 'C' || word === 'CANCEL' || /^(PLEASE)?CANCEL(MYAPPOINTMENT|IT)?(PLEASE)?$/.test(word)) {
    return { kind: 'cancel' };
  }
  if (word === 'R' || /^(PLEASE)?RESCHEDULE(MYAPPOINTMENT|IT)?(PLEASE)?$/.test(word)) return { kind: 'reschedule' };
  if ((WAITLIST_KEYWORDS as readonly string[]).includes(word)) return { kind: 'waitlist' };
  if (word === 'YES' || word === 'Y') return { kind: 'confirm' };
  if (/^[1-3]$/.test(word)) return { kind: 'choice', index: Number(word) };
  return { kind: 'other' };
}
