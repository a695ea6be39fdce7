/**
 * Where attachment bytes live: the local disk under DATA_DIR/attachments by default. One small
 * interface, so an S3-compatible store can take its place by configuration.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

export interface AttachmentStorage {
  readonly name: string;
  put(key: string, bytes: Buffer, contentType: string): Promise<void>;
  get(key: string): Promise<Buffer>;
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
