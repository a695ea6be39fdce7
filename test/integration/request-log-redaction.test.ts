/**
 * The request log never carries secrets: the staff API key in the Authorization header, an inbound
 * platform's shared secret sent in the URL (ActiveCampaign's `?secret=`), and SendGrid Inbound Parse's
 * secret path segment are written as `[redacted]`, while the rest of the request stays readable.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { Writable } from 'node:stream';
import pino from 'pino';
import { createApiKey } from '../../src/auth/api-keys';
import { loadConfig } from '../../src/config';
import { seedDemoData } from '../../src/db/seed';
import { createApp } from '../../src/http/app';
import { redactUrl } from '../../src/http/log-redaction';
import { saveSettings } from '../../src/integrations/inbound/store';
import { keyringOf } from '../../src/secrets/keys';
import { closeServer, listen } from '../../src/server';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { noTemporal } from '../support/feedback';

let database: TestDatabase;
let server: Server;
let baseUrl: string;
const lines: string[] = [];
const config = loadConfig(
  { PORT: '1', SENDGRID_INBOUND_SECRET: 'sg-inbound-path-secret-42', LOG_LEVEL: 'info' },
  tmpdir(),
);

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoData(database.db);
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  config.http.port = 0;
  const logger = pino({ level: 'info' }, stream);
  server = await listen(createApp({ config, database, temporal: noTemporal, logger }), config);
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  if (server) await closeServer(server);
  await database?.drop();
});

it('writes request lines without the API key, URL-borne platform secrets or the Inbound Parse path secret', async () => {
  const { key } = await createApiKey(database.db, 'Log check');
  await saveSettings(
    database.db,
    'activecampaign',
    { secrets: { sharedSecret: 'ac-shared-secret-in-url' } },
    keyringOf(config.secrets),
  );
  const listed = await fetch(`${baseUrl}/api/webhooks?limit=5`, { headers: { authorization: `Bearer ${key}` } });
  expect(listed.status).toBe(200);
  const hook = await fetch(`${baseUrl}/webhooks/integrations/activecampaign?secret=ac-shared-secret-in-url&x=1`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'type=deal_update',
  });
  await hook.text();
  await (
    await fetch(`${baseUrl}/webhooks/sendgrid/inbound/sg-inbound-path-secret-42`, { method: 'POST', body: 'x' })
  ).text();

  const log = lines.join('');
  expect(log).toContain('/api/webhooks?limit=5');
  expect(log).toContain('/webhooks/integrations/activecampaign?secret=[redacted]&x=1');
  expect(log).toContain('/webhooks/sendgrid/inbound/[redacted]');
  expect(log).toContain('"authorization":"[redacted]"');
  expect(log).not.toContain(key);
  expect(log).not.toContain('ac-shared-secret-in-url');
  expect(log).not.toContain('sg-inbound-path-secret-42');
});

it('redacts only secret-looking query parameters', () => {
  expect(redactUrl('/a?secret=s&page=2&access_token=t&Key=k')).toBe(
    '/a?secret=[redacted]&page=2&access_token=[redacted]&Key=[redacted]',
  );
  expect(redactUrl('/webhooks/sendgrid/inbound/abc?x=1')).toBe('/webhooks/sendgrid/inbound/[redacted]?x=1');
  expect(redactUrl('/plain/path')).toBe('/plain/path');
});
