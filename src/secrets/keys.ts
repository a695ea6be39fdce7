/**
 * Where the secrets key comes from: SECRETS_KEY (and SECRETS_OLD_KEYS for reading values written
 * before a rotation), validated by src/config.ts. On embedded defaults (no SECRETS_KEY, not
 * production) a key is generated once into DATA_DIR/secrets.key (mode 0600) and read from there on
 * every later start, so `npm start` works on a fresh machine and across restarts. When SECRETS_KEY is
 * set and that file exists too, the file's key is kept for reading (a move from the embedded key to a
 * configured one needs no manual step; the start-up step re-encrypts with SECRETS_KEY).
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Config } from '../config';
import { generateKey, type Keyring, keyring, parseBase64Key, SecretsError } from './cipher';

export type SecretsSettings = Config['secrets'];

function readKeyFile(path: string): Buffer {
  const key = parseBase64Key(readFileSync(path, 'utf8'));
  if (!key)
    throw new SecretsError(
      `${path}: expected base64 of 32 bytes (the generated secrets key); restore it or set SECRETS_KEY`,
    );
  return key;
}

/**
 * The key in `path`, generated first if the file does not exist. Creation is atomic (written to a
 * temporary file, then hard-linked into place), so concurrent starts agree on one key.
 */
export function readOrCreateKeyFile(path: string): Buffer {
  if (existsSync(path)) return readKeyFile(path);
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temporary, `${generateKey()}\n`, { mode: 0o600 });
  try {
    chmodSync(temporary, 0o600);
    linkSync(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(temporary);
  }
  return readKeyFile(path);
}

const cache = new WeakMap<SecretsSettings, Keyring>();

/** The keyring of a configuration (the key file is read or created on first use, then remembered). */
export function keyringOf(settings: SecretsSettings): Keyring {
  const known = cache.get(settings);
  if (known) return known;
  let ring: Keyring;
  if (settings.key) {
    // A damaged generated file does not stop a configured key (what it encrypted is reported unreadable).
    const fromFile = existsSync(settings.keyFile) ? [parseBase64Key(readFileSync(settings.keyFile, 'utf8'))] : [];
    const readable = fromFile.filter((k): k is Buffer => k !== undefined);
    ring = keyring(settings.key, [...settings.oldKeys, ...readable]);
  } else {
    ring = keyring(readOrCreateKeyFile(settings.keyFile), settings.oldKeys);
  }
  cache.set(settings, ring);
  return ring;
}
