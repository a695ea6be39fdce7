/**
 * The attachment storage interface, the same tests against both backends: the local disk (default)
 * and an S3-compatible bucket on a real S3-compatible server (moto's server, started here on a free
 * port). Bytes round-trip; an unknown key is an error; the S3 backend's presigned download link serves
 * the bytes with the stored name and type and lives a minute (moto does not check S3 signatures,
 * so the expiry is asserted on the link's own X-Amz-Expires; our HMAC link in front of it is tested to
 * expire). Then through HTTP with S3 configured: a photo uploaded in the portal is stored in
 * the bucket and downloaded by staff through the signed link, redirected to the bucket.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { loadConfig } from '../../src/config';
import { type S3Storage } from '../../src/conversations/s3-storage';
import { type AttachmentStorage, attachmentStorageFromConfig, LocalDiskStorage } from '../../src/conversations/storage';
import { createApiKey } from '../../src/auth/api-keys';
import { createPortalSession } from '../../src/portal/sessions';
import { startS3Server, type S3Server } from '../support/s3-server';
import { api, bookByPhone, freeSlots, serviceIdBySlug, startSystem, type System } from '../support/system';

jest.setTimeout(180_000);

// The smallest real PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

let s3: S3Server;
let dir: string;
beforeAll(async () => {
  s3 = await startS3Server();
  dir = await mkdtemp(join(tmpdir(), 'attachments-'));
});
afterAll(async () => {
  await s3?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const backends: Array<[string, () => AttachmentStorage]> = [
  ['local disk', () => attachmentStorageFromConfig(loadConfig({ DATA_DIR: dir }, tmpdir()).attachments)],
  [
    'S3-compatible (moto)',
    () => attachmentStorageFromConfig(loadConfig({ ...s3.env, ATTACHMENTS_S3_PREFIX: 'test/' }, tmpdir()).attachments),
  ],
];

describe.each(backends)('%s storage', (name, make) => {
  it('stores and reads back the exact bytes; an unknown key is an error', async () => {
    const storage = make();
    expect(storage.name).toBe(name === 'local disk' ? 'local' : 's3');
    await storage.put('contact-1/a', PNG, 'image/png');
    await storage.put('contact-1/b', Buffer.from('%PDF-1.4\n'), 'application/pdf');
    expect((await storage.get('contact-1/a')).equals(PNG)).toBe(true);
    expect((await storage.get('contact-1/b')).toString()).toBe('%PDF-1.4\n');
    await expect(storage.get('contact-1/missing')).rejects.toThrow();
  });
});

it('the local disk refuses a key outside its folder and serves bytes itself (no download link)', async () => {
  const storage: AttachmentStorage = new LocalDiskStorage(dir);
  await expect(storage.put('../escape', PNG, 'image/png')).rejects.toThrow(/outside the store/);
  expect(storage.downloadLink).toBeUndefined();
});

it('S3: objects go under the prefix; presigned links download with name and type, and live a minute', async () => {
  const config = loadConfig({ ...s3.env, ATTACHMENTS_S3_PREFIX: 'tenant-7/' }, tmpdir()).attachments;
  const storage = attachmentStorageFromConfig(config) as S3Storage;
  await storage.put('contact-2/photo', PNG, 'image/png', 'broken "screen".png');
  const client = new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    credentials: s3.credentials,
    forcePathStyle: true,
  });
  const listed = await client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: 'tenant-7/' }));
  expect(listed.Contents?.map((o) => o.Key)).toEqual(['tenant-7/contact-2/photo']);

  const link = await storage.downloadLink('contact-2/photo', {
    filename: 'broken "screen".png',
    contentType: 'image/png',
    expiresInSeconds: 60,
  });
  expect(link.startsWith(`${s3.endpoint}/${s3.bucket}/tenant-7/contact-2/photo?`)).toBe(true);
  expect(new URL(link).searchParams.get('X-Amz-Expires')).toBe('60');
  const download = await fetch(link);
  expect(download.status).toBe(200);
  expect(download.headers.get('content-type')).toBe('image/png');
  expect(download.headers.get('content-disposition')).toBe('attachment; filename="broken screen.png"');
  expect(Buffer.from(await download.arrayBuffer()).equals(PNG)).toBe(true);

  // moto does not verify signatures (it runs without IAM checks), so expiry is asserted on the link
  // itself: X-Amz-Expires above, signed now (X-Amz-Date within the last minutes).
  const signedAt = new URL(link).searchParams.get('X-Amz-Date')!;
  expect(signedAt).toMatch(/^\d{8}T\d{6}Z$/);
  client.destroy();
  storage.close();
});

describe('through HTTP with S3 configured', () => {
  let system: System;
  beforeAll(async () => {
    system = await startSystem(s3.env);
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('a portal photo lands in the bucket and staff download it through a link redirected to the bucket', async () => {
    const bearer = { authorization: `Bearer ${(await createApiKey(system.database.db, 'S3 test')).key}` };
    const serviceId = await serviceIdBySlug(system, 'on-site-repair');
    const slot = (await freeSlots(system, serviceId, 3, 10))[0]!;
    const appointment = await bookByPhone(system, bearer, {
      serviceId,
      slot,
      customer: { name: 'Lee Park', email: 'lee.park@example.com', phone: '+12125550155' },
    });
    const contact = await system.database.db
      .selectFrom('contacts')
      .select('id')
      .where('email', '=', 'lee.park@example.com')
      .executeTakeFirstOrThrow();
    const session = await createPortalSession(system.database.db, contact.id, 'email_link');
    const portal = { cookie: `af_portal=${session.sessionId}`, 'x-csrf-token': session.csrfToken };
    const uploaded = await fetch(`${system.baseUrl}/api/portal/attachments?filename=device.png`, {
      method: 'POST',
      headers: { ...portal, 'content-type': 'image/png' },
      body: PNG,
    });
    expect(uploaded.status).toBe(201);
    const { attachment } = (await uploaded.json()) as { attachment: { id: string } };
    expect(
      (
        await api(
          system,
          'POST',
          '/api/portal/messages',
          { body: 'The device', appointmentId: appointment.id, attachmentIds: [attachment.id] },
          portal,
        )
      ).status,
    ).toBe(201);
    const row = await system.database.db
      .selectFrom('conversation_attachments')
      .select('storage_key')
      .where('id', '=', attachment.id)
      .executeTakeFirstOrThrow();
    const client = new S3Client({
      endpoint: s3.endpoint,
      region: s3.region,
      credentials: s3.credentials,
      forcePathStyle: true,
    });
    const stored = await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: row.storage_key }));
    expect(Buffer.from(await stored.Body!.transformToByteArray()).equals(PNG)).toBe(true);
    client.destroy();

    const card = await api<{ messages: Array<{ attachments: Array<{ url: string }> }> }>(
      system,
      'GET',
      `/api/appointments/${appointment.id}/conversation`,
      undefined,
      bearer,
    );
    const url = card.body.messages[0]!.attachments[0]!.url;
    const redirect = await fetch(`${system.baseUrl}${url}`, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    const location = redirect.headers.get('location')!;
    expect(location.startsWith(`${s3.endpoint}/${s3.bucket}/`)).toBe(true);
    expect(new URL(location).searchParams.get('X-Amz-Expires')).toBe('60');
    const download = await fetch(`${system.baseUrl}${url}`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toBe('attachment; filename="device.png"');
    expect(Buffer.from(await download.arrayBuffer()).equals(PNG)).toBe(true);
    // Our own signed link still guards the redirect.
    expect(
      (await fetch(`${system.baseUrl}${url.replace(/expires=\d+/, 'expires=1000')}`, { redirect: 'manual' })).status,
    ).toBe(403);
  });
});
