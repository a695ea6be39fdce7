import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, DEFAULT_RATE_LIMITS, loadConfig } from '../../src/config';

const emptyDir = () => mkdtempSync(join(tmpdir(), 'appointflow-config-'));

describe('loadConfig', () => {
  it('gives embedded defaults with no environment', () => {
    const cwd = emptyDir();
    const config = loadConfig({}, cwd);
    expect(config.http).toEqual({
      host: '127.0.0.1',
      port: 3000,
      publicBaseUrl: 'http://localhost:3000',
      trustProxy: false,
      rateLimits: DEFAULT_RATE_LIMITS,
    });
    expect(config.database).toEqual({ kind: 'pglite', dataDir: join(cwd, '.data', 'pglite') });
    expect(config.temporal.address).toBeUndefined();
    expect(config.temporal.namespace).toBe('default');
    expect(config.temporal.uiUrl).toBe('http://localhost:8233');
    expect(config.seedDemoData).toBe(true);
    expect(config.stripe).toBeUndefined();
    expect(config.stripeWebhookSecret).toBeUndefined();
  });

  it('uses PostgreSQL when DATABASE_URL is set and an external cluster when TEMPORAL_ADDRESS is set', () => {
    const config = loadConfig(
      { DATABASE_URL: 'postgres://u@db:5432/app', TEMPORAL_ADDRESS: 'temporal:7233', TEMPORAL_TLS: 'true' },
      emptyDir(),
    );
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://u@db:5432/app', poolMax: 10 });
    expect(config.temporal.address).toBe('temporal:7233');
    expect(config.temporal.tls).toBe(true);
  });

  it('names the variable and what it expects in one line when a value is bad', () => {
    expect(() => loadConfig({ PORT: 'abc' }, emptyDir())).toThrow(ConfigError);
    try {
      loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x' }, emptyDir());
      throw new Error('expected a ConfigError');
    } catch (error) {
      const message = (error as Error).message;
      expect(message).not.toContain('\n');
      expect(message).toMatch(/^Invalid configuration: /);
      expect(message).toContain('PORT: expected a port number (got "abc")');
      expect(message).toContain('DATABASE_URL: expected a postgres:// or postgresql:// URL (got "mysql://x")');
    }
  });

  it('rejects out-of-range ports, unknown enums and malformed addresses', () => {
    expect(() => loadConfig({ PORT: '70000' }, emptyDir())).toThrow(/PORT: expected a port from 1 to 65535/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' }, emptyDir())).toThrow(/LOG_LEVEL: expected fatal, error/);
    expect(() => loadConfig({ TEMPORAL_ADDRESS: 'no-port' }, emptyDir())).toThrow(
      /TEMPORAL_ADDRESS: expected host:port/,
    );
    expect(() => loadConfig({ SEED_DEMO_DATA: 'maybe' }, emptyDir())).toThrow(/SEED_DEMO_DATA: expected true or false/);
    expect(() => loadConfig({ STRIPE_SECRET_KEY: 'pk_test_123' }, emptyDir())).toThrow(
      /STRIPE_SECRET_KEY: expected a Stripe secret key/,
    );
    expect(() => loadConfig({ STRIPE_WEBHOOK_SECRET: 'secret' }, emptyDir())).toThrow(
      /STRIPE_WEBHOOK_SECRET: expected a Stripe webhook signing secret/,
    );
  });

  it('reads .env, with real environment variables taking precedence', () => {
    const cwd = emptyDir();
    writeFileSync(join(cwd, '.env'), 'PORT=4100\nTEMPORAL_NAMESPACE=from-file\n');
    const config = loadConfig({ TEMPORAL_NAMESPACE: 'from-env' }, cwd);
    expect(config.http.port).toBe(4100);
    expect(config.temporal.namespace).toBe('from-env');
  });
});

describe('edge settings (issue 12)', () => {
  it('trusts no proxy by default, and only the proxies named in TRUST_PROXY', () => {
    expect(loadConfig({}, '/tmp').http.trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }, '/tmp').http.trustProxy).toEqual([
      'loopback',
      '10.0.0.0/8',
    ]);
    expect(loadConfig({ TRUST_PROXY: '1' }, '/tmp').http.trustProxy).toBe(1);
    expect(() => loadConfig({ TRUST_PROXY: 'true' }, '/tmp')).toThrow(
      /TRUST_PROXY: expected false, a number of proxy hops/,
    );
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/99' }, '/tmp')).toThrow(/TRUST_PROXY/);
  });

  it('takes rate-limit overrides, off, or names what is wrong', () => {
    const limits = loadConfig({ RATE_LIMITS: 'booking.ip=60/1h' }, '/tmp').http.rateLimits;
    expect(limits !== 'off' && limits['booking.ip']).toEqual({ max: 60, windowMs: 3_600_000 });
    expect(loadConfig({ RATE_LIMITS: 'off' }, '/tmp').http.rateLimits).toBe('off');
    expect(() => loadConfig({ RATE_LIMITS: 'booking.everyone=1/1h' }, '/tmp')).toThrow(
      /RATE_LIMITS: expected off or name=max\/window/,
    );
  });
});
