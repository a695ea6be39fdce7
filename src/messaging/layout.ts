/**
 * A tiny document model for transactional emails, rendered twice from the same blocks: as plain text
 * and as simple inline-styled HTML in which every interpolated value is escaped. Keeping one model is
 * what guarantees the two parts of an email say the same thing. Pure.
 */

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/** A paragraph; `strong` parts are emphasised in HTML and plain in text. */
export type Inline = string | { strong: string };

export type Block =
  | { kind: 'p'; parts: Inline[] }
  | { kind: 'heading'; text: string }
  /** Label/value rows; a value may span lines (addresses, notes). */
  | { kind: 'details'; rows: Array<readonly [label: string, value: string]> }
  /** A labelled note quoted as written (multi-line). */
  | { kind: 'note'; label: string; text: string }
  /** A list of links, each with its own label. */
  | { kind: 'links'; items: Array<{ label: string; href: string }> }
  /** A call to action: a button in HTML, "label: url" in text. */
  | { kind: 'button'; label: string; href: string };

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** `s` safe to place in HTML text and in double- or single-quoted attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] ?? ch);
}

/** A single-line header value (no CR/LF, collapsed whitespace). */
export function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** Only http(s) URLs become links; anything else (javascript:, data:, …) is shown as text. */
function isWebUrl(href: string): boolean {
  return /^https?:\/\/[^\s"'<>]+$/i.test(href);
}

function htmlMultiline(s: string): string {
  return escapeHtml(s.trim()).replace(/\r?\n/g, '<br>');
}

function inlineText(parts: Inline[]): string {
  return parts.map((p) => (typeof p === 'string' ? p : p.strong)).join('');
}

function inlineHtml(parts: Inline[]): string {
  return parts
    .map((p) => (typeof p === 'string' ? escapeHtml(p) : `<strong>${escapeHtml(p.strong)}</strong>`))
    .join('');
}

function indent(s: string, prefix: string): string {
  return s
    .trim()
    .split(/\r?\n/)
    .map((line, i) => (i === 0 ? line : prefix + line))
    .join('\n');
}

function blockText(b: Block): string {
  switch (b.kind) {
    case 'p':
      return inlineText(b.parts);
    case 'heading':
      return b.text.toUpperCase();
    case 'details': {
      return b.rows.map(([label, value]) => `${label}: ${indent(value, ' '.repeat(label.length + 2))}`).join('\n');
    }
    case 'note':
      return `${b.label}:\n${b.text.trim()}`;
    case 'links':
      return b.items.map((i) => `- ${i.label}: ${i.href}`).join('\n');
    case 'button':
      return `${b.label}: ${b.href}`;
  }
}

const P = 'margin:0 0 16px;';
const LINK = 'color:#1a5fb4;';

function linkHtml(label: string, href: string, style: string): string {
  if (!isWebUrl(href)) return `${escapeHtml(label)}: ${escapeHtml(href)}`;
  return `<a href="${escapeHtml(href)}" style="${style}">${escapeHtml(label)}</a>`;
}

function blockHtml(b: Block): string {
  switch (b.kind) {
    case 'p':
      return `<p style="${P}">${inlineHtml(b.parts)}</p>`;
    case 'heading':
      return `<h2 style="margin:24px 0 8px;font-size:16px;color:#333;">${escapeHtml(b.text)}</h2>`;
    case 'details': {
      const rows = b.rows
        .map(
          ([label, value]) =>
            `<tr><td style="padding:4px 16px 4px 0;color:#666;vertical-align:top;white-space:nowrap;">${escapeHtml(label)}</td>` +
            `<td style="padding:4px 0;vertical-align:top;">${htmlMultiline(value)}</td></tr>`,
        )
        .join('');
      return `<table role="presentation" style="border-collapse:collapse;${P}">${rows}</table>`;
    }
    case 'note':
      return (
        `<p style="margin:0 0 4px;color:#666;">${escapeHtml(b.label)}</p>` +
        `<blockquote style="margin:0 0 16px;padding:8px 12px;border-left:3px solid #ccc;background:#f7f7f7;">${htmlMultiline(b.text)}</blockquote>`
      );
    case 'links': {
      const items = b.items.map((i) => `<li style="margin:0 0 8px;">${linkHtml(i.label, i.href, LINK)}</li>`).join('');
      return `<ul style="${P}padding-left:20px;">${items}</ul>`;
    }
    case 'button':
      return `<p style="${P}">${linkHtml(
        b.label,
        b.href,
        'display:inline-block;padding:10px 18px;background:#1a5fb4;color:#ffffff;text-decoration:none;border-radius:4px;font-weight:bold;',
      )}</p>`;
  }
}

/** Renders blocks into the plain-text and HTML parts of an email with the given subject. */
export function renderEmail(subject: string, blocks: Block[], lang = 'en'): RenderedEmail {
  const cleanSubject = oneLine(subject);
  const text = blocks.map(blockText).join('\n\n') + '\n';
  const html =
    `<!DOCTYPE html>\n<html lang="${escapeHtml(lang)}"><head><meta charset="utf-8">` +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${escapeHtml(cleanSubject)}</title></head>\n` +
    '<body style="margin:0;padding:0;background:#f2f2f2;">\n' +
    '<div style="max-width:600px;margin:0 auto;padding:24px;background:#ffffff;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#222222;">\n' +
    blocks.map(blockHtml).join('\n') +
    '\n</div>\n</body></html>\n';
  return { subject: cleanSubject, text, html };
}
