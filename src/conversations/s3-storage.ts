/**
 * Attachments in an S3-compatible bucket (AWS S3, or any server speaking its API: endpoint, region,
 * keys and path-style addressing from ATTACHMENTS_S3_*), with `@aws-sdk/client-s3`. Downloads go through
 * presigned GET links (`@aws-sdk/s3-request-presigner`) that live a minute and force a download with
 * the stored name and type, so the bytes never pass through the app. A `put` of the same key writes
 * the same bytes again (a retried upload is harmless); keys are random, so nothing is overwritten.
 */
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { AttachmentsConfig } from '../config';
import type { AttachmentStorage, DownloadLink } from './storage';

type S3Config = Extract<AttachmentsConfig, { kind: 's3' }>;

const attachmentDisposition = (filename: string) => `attachment; filename="${filename.replace(/"/g, '')}"`;

export class S3Storage implements AttachmentStorage {
  readonly name = 's3';
  private readonly client: S3Client;

  constructor(private readonly config: S3Config) {
    this.client = new S3Client({
      region: config.region,
      ...(config.endpoint ? { endpoint: config.endpoint } : {}),
      ...(config.credentials ? { credentials: config.credentials } : {}),
      forcePathStyle: config.forcePathStyle,
      // Bounded retries: the SDK's standard mode, three attempts.
      maxAttempts: 3,
    });
  }

  private key(key: string): string {
    return this.config.prefix ? `${this.config.prefix}/${key}` : key;
  }

  async put(key: string, bytes: Buffer, contentType: string, filename?: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.config.bucket,
        Key: this.key(key),
        Body: bytes,
        ContentType: contentType,
        ContentLength: bytes.length,
        ...(filename ? { ContentDisposition: attachmentDisposition(filename) } : {}),
      }),
    );
  }

  async get(key: string): Promise<Buffer> {
    const object = await this.client.send(new GetObjectCommand({ Bucket: this.config.bucket, Key: this.key(key) }));
    if (!object.Body) throw new Error(`attachment ${key}: the bucket answered without a body`);
    return Buffer.from(await object.Body.transformToByteArray());
  }

  async downloadLink(key: string, link: DownloadLink): Promise<string> {
    return getSignedUrl(
      this.client,
      new GetObjectCommand({
        Bucket: this.config.bucket,
        Key: this.key(key),
        ResponseContentType: link.contentType,
        ResponseContentDisposition: attachmentDisposition(link.filename),
        ResponseCacheControl: 'private, no-store',
      }),
      { expiresIn: link.expiresInSeconds },
    );
  }

  close(): void {
    this.client.destroy();
  }
}
