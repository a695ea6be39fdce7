/**
 * The pure encryption of stored secrets: AES-256-GCM round trip in the versioned stored form, a fresh
 * nonce per value, tampering and a wrong key refused with clear errors, legacy plain text read as-is,
 * and rotation (old keys read, the current key writes).
 */
import { randomBytes } from 'node:crypto';
import {
  decryptSecret,
  decryptSecrets,
  encryptSecret,
  encryptSecrets,
  generateKey,
  isEncrypted,
  keyIdOf,
  keyring,
  needsReencryption,
  parseBase64Key,
  secretHint,
  SecretsError,
} from '../../../src/secrets/cipher';

const keyA = randomBytes(32);
const keyB = randomBytes(32);
const ringA = keyring(keyA);
const ringB = keyring(keyB);

it('round-trips a secret through the versioned stored form, with a fresh nonce each time', () => {
  const secret = 'whsec_0123456789abcdef — ünïcödé';
  const stored = encryptSecret(secret, ringA);
  expect(stored).toMatch(/^enc:v1:[0-9a-f]{8}:[A-Za-z0-9+/]+=*$/);
  expect(stored.split(':')[2]).toBe(ringA.current.id);
  expect(stored).not.toContain('whsec');
  expect(isEncrypted(stored)).toBe(true);
  expect(decryptSecret(stored, ringA)).toBe(secret);
  // 12-byte nonce + ciphertext + 16-byte tag.
  const payload = Buffer.from(stored.split(':')[3]!, 'base64');
  expect(payload.length).toBe(12 + Buffer.byteLength(secret) + 16);
  const again = encryptSecret(secret, ringA);
  expect(again).not.toBe(stored);
  expect(Buffer.from(again.split(':')[3]!, 'base64').subarray(0, 12)).not.toEqual(payload.subarray(0, 12));
  expect(decryptSecret(encryptSecret('', ringA), ringA)).toBe('');
});

it('detects tampering with the ciphertext, the tag, the nonce or the key id in the header', () => {
  const stored = encryptSecret('pat-na1-secret-token', ringA);
  const [prefix, version, id, data] = stored.split(':') as [string, string, string, string];
  const bytes = Buffer.from(data, 'base64');
  for (const index of [0, 12, bytes.length - 1]) {
    const changed = Buffer.from(bytes);
    changed[index] = changed[index]! ^ 0x01;
    const altered = [prefix, version, id, changed.toString('base64')].join(':');
    expect(() => decryptSecret(altered, ringA)).toThrow(SecretsError);
    expect(() => decryptSecret(altered, ringA)).toThrow(/altered or is corrupt/);
  }
  // The header is authenticated: the same bytes under another (known) key id do not decrypt.
  const rotated = keyring(keyB, [keyA]);
  const relabelled = [prefix, version, rotated.current.id, data].join(':');
  expect(() => decryptSecret(relabelled, rotated)).toThrow(/altered or is corrupt/);
  expect(() => decryptSecret('enc:v1:zz:abc', ringA)).toThrow(/malformed/);
  expect(() => decryptSecret('enc:v1:0011aabb', ringA)).toThrow(/malformed/);
  expect(() => decryptSecret(`enc:v2:${id}:${data}`, ringA)).toThrow(/unsupported format version "v2"/);
});

it('refuses a value written with a key it does not have, naming the key ids and the variables', () => {
  const stored = encryptSecret('ya29.token', ringA);
  const error = (() => {
    try {
      decryptSecret(stored, ringB);
    } catch (e) {
      return e as Error;
    }
    return undefined;
  })();
  expect(error).toBeInstanceOf(SecretsError);
  expect(error?.message).toContain(`key ${ringA.current.id}`);
  expect(error?.message).toMatch(/neither SECRETS_KEY \(key [0-9a-f]{8}\) nor in SECRETS_OLD_KEYS/);
  expect(error?.message).not.toContain('ya29');
  expect(secretHint(stored, ringB)).toBeNull();
  expect(secretHint(stored, ringA)).toBe('…oken');
});

it('reads legacy plain-text values as they are and marks them for re-encryption', () => {
  expect(isEncrypted('whsec_legacy_plain_text')).toBe(false);
  expect(decryptSecret('whsec_legacy_plain_text', ringA)).toBe('whsec_legacy_plain_text');
  expect(keyIdOf('whsec_legacy_plain_text')).toBeUndefined();
  expect(needsReencryption('whsec_legacy_plain_text', ringA)).toBe(true);
  expect(needsReencryption(encryptSecret('x', ringA), ringA)).toBe(false);
  expect(decryptSecrets({ signingKey: 'plain', apiKey: encryptSecret('sealed', ringA) }, ringA)).toEqual({
    signingKey: 'plain',
    apiKey: 'sealed',
  });
});

it('rotates: old keys still read, the current key writes, and old values are marked for rewriting', () => {
  const underA = encryptSecret('rotate-me', ringA);
  const rotated = keyring(keyB, [keyA]);
  expect(decryptSecret(underA, rotated)).toBe('rotate-me');
  expect(needsReencryption(underA, rotated)).toBe(true);
  const underB = encryptSecret('rotate-me', rotated);
  expect(keyIdOf(underB)).toBe(rotated.current.id);
  expect(needsReencryption(underB, rotated)).toBe(false);
  // Once the old key is dropped, values still under it are refused rather than misread.
  expect(() => decryptSecret(underA, ringB)).toThrow(SecretsError);
  // The same key twice is one entry.
  expect(keyring(keyA, [keyA, keyB, keyB]).old.map((k) => k.id)).toEqual([ringB.current.id]);
  const record = encryptSecrets({ clientSecret: 'a', accessToken: 'b' }, rotated);
  expect(Object.keys(record)).toEqual(['clientSecret', 'accessToken']);
  expect(Object.values(record).every((v) => keyIdOf(v) === rotated.current.id)).toBe(true);
});

it('accepts base64 keys of exactly 32 bytes', () => {
  expect(parseBase64Key(generateKey())?.length).toBe(32);
  expect(parseBase64Key(keyA.toString('base64url'))).toEqual(keyA);
  expect(parseBase64Key(` ${keyA.toString('base64')}\n`)).toEqual(keyA);
  expect(parseBase64Key(randomBytes(16).toString('base64'))).toBeUndefined();
  expect(parseBase64Key(randomBytes(33).toString('base64'))).toBeUndefined();
  expect(parseBase64Key('not a key!')).toBeUndefined();
  expect(keyring(keyA).current.id).toBe(ringA.current.id);
  expect(ringA.current.id).not.toBe(ringB.current.id);
});
