/**
 * Where attachment bytes live: the local disk under DATA_DIR/attachments by default, or an
 * S3-compatible bucket when ATTACHMENTS_S3_BUCKET is set (src/conversations/s3-storage.ts). One small
 * interface, so either serves the same routes and passes the same tests.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { AttachmentsConfig } from '../config';
import { S3Storage } from './s3-storage';

/** How long a storage-level download link (an S3 presigned URL) lives, and what it downloads as. */
export interface DownloadLink {
  filename: string;
  contentType: string;
  expiresInSeconds: number;
}

export interface AttachmentStorage {
  readonly name: string;
  /** `filename`: what a download is saved as (S3 keeps it as the object's Content-Disposition). */
  put(key: string, bytes: Buffer, contentType: string, filename?: string): Promise<void>;
  get(key: string): Promise<Buffer>;
  /** A short-lived link straight to the bytes (S3); unset: the app serves the bytes itself. */
  downloadLink?(key: string, link: DownloadLink): Promise<string>;
}

export class LocalDiskStorage implements AttachmentStorage {
  readonly name = 'local';
  private readonly root: string;
  constructor(root: string) {
    this.root = resolve(root);
  }
  private path(key: string): string {
    const path = resolve(join(this.root, key));
    if (!path.startsWith(`${this.root}/`)) throw new Error(`attachment key outside the store: ${key}`);
    return path;
  }
  async put(key: string, bytes: Buffer): Promise<void> {
    const path = this.path(key);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, bytes, { mode: 0o600, flag: 'wx' });
  }
  async get(key: string): Promise<Buffer> {
    return readFile(this.path(key));
  }
}

export function attachmentStorageFromConfig(config: AttachmentsConfig): AttachmentStorage {
  return config.kind === 's3' ? new S3Storage(config) : new LocalDiskStorage(config.dir);
}
