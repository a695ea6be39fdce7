/**
 * Attachments in conversations (issue 16): what may be sent (JPEG, PNG, WebP, PDF, up to
 * MAX_ATTACHMENT_BYTES; the declared type must match the file's own signature bytes, so a renamed
 * script is refused), stored through an `AttachmentStorage` under a random key, and downloaded only
 * through a signed link that expires (HMAC-SHA256 over id and expiry with a key derived from the
 * secrets key, so every replica verifies the same links).
 */
import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { AttachmentStorage } from './storage';

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
export const LINK_TTL_MS = 10 * 60_000;

const SIGNATURES: Record<string, (b: Buffer) => boolean> = {
  'image/jpeg': (b) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/png': (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/webp': (b) =>
    b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
  'application/pdf': (b) => b.subarray(0, 5).toString('latin1') === '%PDF-',
};
export const ATTACHMENT_TYPES = Object.keys(SIGNATURES);

export class AttachmentRefused extends Error {
  constructor(
    readonly status: 413 | 415,
    message: string,
  ) {
    super(message);
    this.name = 'AttachmentRefused';
  }
}

/** Refuses what is not an allowed type (by its bytes) or too large. */
export function checkAttachment(contentType: string, bytes: Buffer): void {
  if (bytes.length > MAX_ATTACHMENT_BYTES) {
    throw new AttachmentRefused(413, `The file is too large: at most ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB.`);
  }
  const matches = SIGNATURES[contentType];
  if (!matches) throw new AttachmentRefused(415, 'Send a photo (JPEG, PNG or WebP) or a PDF.');
  if (!matches(bytes)) throw new AttachmentRefused(415, `The file is not a real ${contentType} file.`);
}

/** A file name safe to store and to send back in Content-Disposition. */
export function safeFilename(raw: string | undefined, contentType: string): string {
  const cleaned = (raw ?? '')
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}._ -]+/gu, '_')
    .trim()
    .slice(0, 120);
  const ext = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'application/pdf': 'pdf' }[contentType];
  return cleaned || `attachment.${ext ?? 'bin'}`;
}

export async function storeAttachment(
  db: Kysely<Database>,
  storage: AttachmentStorage,
  input: { contactId: string; filename: string; contentType: string; bytes: Buffer },
) {
  checkAttachment(input.contentType, input.bytes);
  const storageKey = `${input.contactId}/${randomUUID()}`;
  const filename = safeFilename(input.filename, input.contentType);
  await storage.put(storageKey, input.bytes, input.contentType, filename);
  return db
    .insertInto('conversation_attachments')
    .values({
      contact_id: input.contactId,
      filename,
      content_type: input.contentType,
      size_bytes: input.bytes.length,
      sha256: createHash('sha256').update(input.bytes).digest('hex'),
      storage_key: storageKey,
    })
    .returning(['id', 'filename', 'content_type', 'size_bytes'])
    .executeTakeFirstOrThrow();
}

function signature(key: Buffer, id: string, expires: number): string {
  return createHmac('sha256', key).update(`attachment:${id}:${expires}`).digest('base64url');
}

/** A download path that works until `now + LINK_TTL_MS`. */
export function signedAttachmentPath(key: Buffer, id: string, now = Date.now()): string {
  const expires = now + LINK_TTL_MS;
  return `/api/attachments/${id}?expires=${expires}&sig=${signature(key, id, expires)}`;
}

export function verifyAttachmentLink(key: Buffer, id: string, expires: number, sig: string, now = Date.now()): boolean {
  if (!(expires > now)) return false;
  const expected = Buffer.from(signature(key, id, expires));
  const given = Buffer.from(sig);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
