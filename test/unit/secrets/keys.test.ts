/**
 * Where the secrets key comes from: SECRETS_KEY / SECRETS_OLD_KEYS validated by loadConfig (errors name
 * the variable and never echo its value), required in production, and on embedded defaults a key
 * generated once into DATA_DIR (mode 0600) and read back on every later start.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../../src/config';
import { decryptSecret, encryptSecret, keyring, SecretsError } from '../../../src/secrets/cipher';
import { keyringOf, readOrCreateKeyFile } from '../../../src/secrets/keys';

const emptyDir = () => mkdtempSync(join(tmpdir(), 'appointflow-secrets-'));

it('generates a key once into DATA_DIR (0600) on embedded defaults and reads the same key on the next start', () => {
  const cwd = emptyDir();
  const first = loadConfig({}, cwd);
  expect(first.secrets).toEqual({ key: undefined, oldKeys: [], keyFile: join(cwd, '.data', 'secrets.key') });
  const ring = keyringOf(first.secrets);
  expect(statSync(first.secrets.keyFile).mode & 0o777).toBe(0o600);
  expect(Buffer.from(readFileSync(first.secrets.keyFile, 'utf8').trim(), 'base64')).toHaveLength(32);
  const stored = encryptSecret('whsec_survives_restart', ring);
  // A "restart": a new configuration, same DATA_DIR.
  const second = keyringOf(loadConfig({}, cwd).secrets);
  expect(second.current.id).toBe(ring.current.id);
  expect(decryptSecret(stored, second)).toBe('whsec_survives_restart');
  expect(readOrCreateKeyFile(first.secrets.keyFile)).toEqual(ring.current.key);
});

it('refuses a damaged key file with a message naming the file', () => {
  const path = join(emptyDir(), 'secrets.key');
  writeFileSync(path, 'short\n');
  expect(() => readOrCreateKeyFile(path)).toThrow(SecretsError);
  expect(() => readOrCreateKeyFile(path)).toThrow(`${path}: expected base64 of 32 bytes`);
  // …unless SECRETS_KEY is set: then the damaged file is not needed to start.
  const cwd = emptyDir();
  const config = loadConfig({ SECRETS_KEY: randomBytes(32).toString('base64') }, cwd);
  mkdirSync(join(cwd, '.data'));
  writeFileSync(config.secrets.keyFile, 'short\n');
  expect(keyringOf(config.secrets).old).toEqual([]);
});

it('uses SECRETS_KEY to write and SECRETS_OLD_KEYS (and an earlier generated key) to read', () => {
  const cwd = emptyDir();
  const generated = keyringOf(loadConfig({}, cwd).secrets);
  const underGenerated = encryptSecret('from npm start', generated);
  const current = randomBytes(32);
  const old = randomBytes(32);
  const underOld = encryptSecret('before rotation', keyring(old));
  const config = loadConfig(
    { SECRETS_KEY: current.toString('base64'), SECRETS_OLD_KEYS: ` ${old.toString('base64')} ,` },
    cwd,
  );
  expect(config.secrets.key).toEqual(current);
  expect(config.secrets.oldKeys).toEqual([old]);
  const ring = keyringOf(config.secrets);
  expect(ring.current.id).toBe(keyring(current).current.id);
  expect(decryptSecret(underOld, ring)).toBe('before rotation');
  expect(decryptSecret(underGenerated, ring)).toBe('from npm start');
});

it('validates SECRETS_KEY and SECRETS_OLD_KEYS, naming the variable without echoing the value', () => {
  const badKey = randomBytes(16).toString('base64');
  const attempt = (env: Record<string, string>) => {
    try {
      loadConfig(env, emptyDir());
    } catch (error) {
      return error as Error;
    }
    return undefined;
  };
  const error = attempt({ SECRETS_KEY: badKey });
  expect(error).toBeInstanceOf(ConfigError);
  expect(error?.message).toMatch(/SECRETS_KEY: expected base64 of 32 random bytes/);
  expect(error?.message).not.toContain(badKey);
  const old = attempt({ SECRETS_KEY: randomBytes(32).toString('base64'), SECRETS_OLD_KEYS: `${badKey}` });
  expect(old?.message).toMatch(/SECRETS_OLD_KEYS: expected comma-separated keys, each base64 of 32 bytes/);
  expect(old?.message).not.toContain(badKey);
});

it('makes a missing SECRETS_KEY a configuration error in production', () => {
  expect(() => loadConfig({ NODE_ENV: 'production' }, emptyDir())).toThrow(ConfigError);
  expect(() => loadConfig({ NODE_ENV: 'production' }, emptyDir())).toThrow(/SECRETS_KEY: required in production/);
  const config = loadConfig({ NODE_ENV: 'production', SECRETS_KEY: randomBytes(32).toString('base64') }, emptyDir());
  expect(config.secrets.key).toHaveLength(32);
});
