/**
 * Encryption of secrets stored in the database (webhook signing secrets, platform access tokens,
 * inbound signing secrets): AES-256-GCM with a random 96-bit nonce per value. The stored form is
 *
 *   enc:v1:<key id>:<base64 of nonce (12 bytes) + ciphertext + tag (16 bytes)>
 *
 * The key id (8 hex digits of a SHA-256 of the key) names the key that wrote the value, so a keyring
 * of the current key and older ones can read values written before a rotation; the header
 * `enc:v1:<key id>` is authenticated data, so changing it is detected like any other tampering.
 * A value without the `enc:` prefix is a legacy plain-text value (written before encryption) and
 * reads as itself. Pure functions: no I/O, no configuration.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

export interface SecretKey {
  /** 8 hex digits derived from the key; stored with every value it encrypts. */
  id: string;
  key: Buffer;
}

/** The current key (writes and reads) and older keys (reads only, during a rotation). */
export interface Keyring {
  current: SecretKey;
  old: readonly SecretKey[];
}

export class SecretsError extends Error {
  override name = 'SecretsError';
}

const PREFIX = 'enc:';
const VERSION = 'v1';
const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** The 32 bytes of a base64 key (standard or URL-safe alphabet), or undefined if it is not one. */
export function parseBase64Key(text: string): Buffer | undefined {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) return undefined;
  const bytes = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return bytes.length === KEY_BYTES ? bytes : undefined;
}

export function secretKey(key: Buffer): SecretKey {
  if (key.length !== KEY_BYTES) throw new SecretsError(`a secrets key must be ${KEY_BYTES} bytes, not ${key.length}`);
  const id = createHash('sha256').update('appointflow secrets key id\0').update(key).digest('hex').slice(0, 8);
  return { id, key: Buffer.from(key) };
}

export function keyring(current: Buffer, old: readonly Buffer[] = []): Keyring {
  const currentKey = secretKey(current);
  const seen = new Set([currentKey.id]);
  const oldKeys: SecretKey[] = [];
  for (const bytes of old) {
    const k = secretKey(bytes);
    if (seen.has(k.id)) continue;
    seen.add(k.id);
    oldKeys.push(k);
  }
  return { current: currentKey, old: oldKeys };
}

/** A fresh random key, base64 (what SECRETS_KEY expects). */
export function generateKey(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}

/** True for the stored (encrypted) form; false for a legacy plain-text value. */
export function isEncrypted(stored: string): boolean {
  return stored.startsWith(PREFIX);
}

/** Encrypts with the keyring's current key (a fresh nonce every time). */
export function encryptSecret(plain: string, ring: Keyring): string {
  const { id, key } = ring.current;
  const header = `${PREFIX}${VERSION}:${id}`;
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(header, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return `${header}:${Buffer.concat([nonce, ciphertext, cipher.getAuthTag()]).toString('base64')}`;
}

interface Parsed {
  header: string;
  keyId: string;
  payload: Buffer;
}

function parse(stored: string): Parsed {
  const parts = stored.split(':');
  if (parts.length !== 4 || parts[0] !== 'enc')
    throw new SecretsError('stored secret is malformed (expected enc:v1:<key id>:<data>)');
  const [, version, keyId, data] = parts as [string, string, string, string];
  if (version !== VERSION) throw new SecretsError(`stored secret has unsupported format version "${version}"`);
  if (!/^[0-9a-f]{8}$/.test(keyId)) throw new SecretsError('stored secret is malformed (bad key id)');
  const payload = Buffer.from(data, 'base64');
  if (payload.length < NONCE_BYTES + TAG_BYTES) throw new SecretsError('stored secret is malformed (too short)');
  return { header: `${PREFIX}${version}:${keyId}`, keyId, payload };
}

/** The key id a stored value was encrypted with; undefined for legacy plain text. */
export function keyIdOf(stored: string): string | undefined {
  return isEncrypted(stored) ? parse(stored).keyId : undefined;
}

/**
 * The plain text of a stored value. Legacy plain text reads as itself; an encrypted value needs its
 * key in the keyring (SECRETS_KEY or SECRETS_OLD_KEYS) and must be exactly as written.
 */
export function decryptSecret(stored: string, ring: Keyring): string {
  if (!isEncrypted(stored)) return stored;
  const { header, keyId, payload } = parse(stored);
  const key = [ring.current, ...ring.old].find((k) => k.id === keyId);
  if (!key) {
    throw new SecretsError(
      `stored secret was encrypted with key ${keyId}, which is neither SECRETS_KEY (key ${ring.current.id}) nor in SECRETS_OLD_KEYS`,
    );
  }
  const nonce = payload.subarray(0, NONCE_BYTES);
  const tag = payload.subarray(payload.length - TAG_BYTES);
  const ciphertext = payload.subarray(NONCE_BYTES, payload.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key.key, nonce);
  decipher.setAAD(Buffer.from(header, 'utf8'));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretsError(`stored secret (key ${keyId}) failed authentication: it was altered or is corrupt`);
  }
}

/** True when a stored value should be rewritten: legacy plain text, or encrypted with an older key. */
export function needsReencryption(stored: string, ring: Keyring): boolean {
  return !isEncrypted(stored) || keyIdOf(stored) !== ring.current.id;
}

/** Encrypts every value of a record of secrets (the keys, names such as `signingKey`, stay readable). */
export function encryptSecrets(values: Record<string, string>, ring: Keyring): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, encryptSecret(value, ring)]));
}

export function decryptSecrets(values: Record<string, string>, ring: Keyring): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, decryptSecret(value, ring)]));
}

/** `…` and the last four characters, for API responses; null when the value cannot be read. */
export function secretHint(stored: string, ring: Keyring): string | null {
  try {
    return `…${decryptSecret(stored, ring).slice(-4)}`;
  } catch {
    return null;
  }
}
