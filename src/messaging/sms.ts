/**
 * GSM-7 helpers for SMS: mapping arbitrary text onto the GSM 03.38 default alphabet (so a message is
 * never silently sent as UCS-2, which cuts a segment from 153 to 67 characters), counting septets, and
 * fitting a message into two concatenated segments by truncating its variable parts. Pure.
 */

/** Two concatenated GSM-7 segments: 2 × 153 septets. */
export const SMS_MAX_SEPTETS = 306;

// GSM 03.38 basic character set (ESC and CR left out: we never emit them).
const GSM7_BASIC = new Set(
  '@£$¥èéùìòÇ\nØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
// Extension table: each costs two septets (escape + character).
const GSM7_EXTENDED = new Set('^{}\\[~]|€');

const REPLACEMENTS: Readonly<Record<string, string>> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201A': "'",
  '\u201B': "'",
  '\u2032': "'",
  '\u00B4': "'",
  '`': "'",
  '\u201C': '"',
  '\u201D': '"',
  '\u201E': '"',
  '\u201F': '"',
  '\u2033': '"',
  '\u00AB': '"',
  '\u00BB': '"',
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2013': '-',
  '\u2014': '-',
  '\u2015': '-',
  '\u2212': '-',
  '\u2026': '...',
  '\u2022': '-',
  '\u00B7': '-',
  '\u00D7': 'x',
  '\u00A9': '(c)',
  '\u00AE': '(R)',
  '\u2122': 'TM',
  '\u0141': 'L',
  '\u0142': 'l',
  '\u0110': 'D',
  '\u0111': 'd',
  '\u00F0': 'd',
  '\u00DE': 'Th',
  '\u00FE': 'th',
  '\u0152': 'OE',
  '\u0153': 'oe',
  '\u0131': 'i',
};

// Emoji, their modifiers/joiners/variation selectors, flags, and invisible format/control characters.
const DROP = /^(?:\p{Extended_Pictographic}|\p{Emoji_Modifier}|\p{Regional_Indicator}|\p{Cf}|\p{Cc}|\uFE0E|\uFE0F)$/u;

function isGsm7Char(ch: string): boolean {
  return GSM7_BASIC.has(ch) || GSM7_EXTENDED.has(ch);
}

/** Whether every character of `s` is in the GSM-7 default alphabet or its extension table. */
export function isGsm7(s: string): boolean {
  for (const ch of s) if (!isGsm7Char(ch)) return false;
  return true;
}

/** Length of `s` in GSM-7 septets (extension characters count two). Assumes `isGsm7(s)`. */
export function gsm7Length(s: string): number {
  let n = 0;
  for (const ch of s) n += GSM7_EXTENDED.has(ch) ? 2 : 1;
  return n;
}

/**
 * `s` mapped onto GSM-7: typographic quotes/dashes/ellipses to ASCII, accents the alphabet lacks
 * dropped (ë → e; é stays, it is GSM-7), whitespace other than newline to a space, emoji and
 * invisible characters removed, anything else to '?'.
 */
export function toGsm7(s: string): string {
  let out = '';
  for (const ch of s) {
    if (isGsm7Char(ch)) out += ch;
    else if (ch === '\r') continue;
    else if (/^\s$/u.test(ch)) out += ' ';
    else if (REPLACEMENTS[ch] !== undefined) out += REPLACEMENTS[ch];
    else if (DROP.test(ch)) continue;
    else {
      const base = ch.normalize('NFD').replace(/\p{M}/gu, '');
      out += base !== '' && isGsm7(base) ? base : '?';
    }
  }
  return out;
}

/** A value for an SMS: whitespace (newlines included) collapsed, trimmed, mapped onto GSM-7. */
export function smsText(s: string | null | undefined): string {
  return toGsm7((s ?? '').replace(/\s+/gu, ' ').trim())
    .replace(/ {2,}/g, ' ')
    .trim();
}

/** `s` cut to at most `n` characters, marking the cut with "..." when there is room for it. */
export function truncate(s: string, n: number): string {
  const chars = [...s];
  if (chars.length <= n) return s;
  if (n <= 0) return '';
  if (n <= 3) return chars.slice(0, n).join('');
  return (
    chars
      .slice(0, n - 3)
      .join('')
      .trimEnd() + '...'
  );
}

function cutToSeptets(s: string, max: number): string {
  if (gsm7Length(s) <= max) return s;
  let out = '';
  let used = 0;
  for (const ch of s) {
    const cost = GSM7_EXTENDED.has(ch) ? 2 : 1;
    if (used + cost > max - 3) break;
    out += ch;
    used += cost;
  }
  return out + '...';
}

/** A variable part of an SMS: its text and the fewest characters it may be cut to (0: may vanish). */
export interface SmsPart {
  text: string;
  min: number;
}

export interface FittedSms {
  text: string;
  /** Some part was shortened. */
  truncated: boolean;
  /** False when even the shortest parts did not fit and the whole message was cut (last resort). */
  fits: boolean;
}

/**
 * Renders `build(parts)` within `max` septets: the parts (GSM-7 mapped with `smsText`) are shortened,
 * longest first and evenly, down to their minimums until the message fits. If it still does not fit,
 * the message itself is cut (which can cut a link, so templates keep their fixed text short).
 */
export function fitSms<K extends string>(
  parts: Readonly<Record<K, SmsPart>>,
  build: (text: Readonly<Record<K, string>>) => string,
  max = SMS_MAX_SEPTETS,
): FittedSms {
  const keys = Object.keys(parts) as K[];
  const original = {} as Record<K, string>;
  const current = {} as Record<K, string>;
  for (const k of keys) {
    original[k] = smsText(parts[k].text);
    current[k] = original[k];
  }
  let truncated = false;
  for (;;) {
    const text = toGsm7(build(current));
    const over = gsm7Length(text) - max;
    if (over <= 0) return { text, truncated, fits: true };
    const lengths = keys
      .map((k) => ({ k, len: [...current[k]].length, min: parts[k].min }))
      .filter((e) => e.len > e.min)
      .sort((a, b) => b.len - a.len);
    const longest = lengths[0];
    if (longest === undefined) {
      return { text: cutToSeptets(text, max), truncated: true, fits: false };
    }
    const next = lengths[1]?.len ?? 0;
    // Shrink the longest part to the next-longest (at least by one), never by more than needed.
    const step = Math.max(1, Math.min(over, longest.len - next));
    current[longest.k] = truncate(original[longest.k], Math.max(longest.min, longest.len - step));
    truncated = true;
  }
}
