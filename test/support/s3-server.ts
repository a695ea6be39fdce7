/**
 * A real S3-compatible server for storage tests: moto's server, installed once into a venv under
 * ~/.cache/appointflow by `.ci/s3-server.sh install` (idempotent; CI runs it first), started per test
 * file on a free port, with a fresh bucket.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { freePort } from './ports';

export interface S3Server {
  endpoint: string;
  bucket: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** ATTACHMENTS_S3_* for startSystem / loadConfig. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function startS3Server(bucket = 'appointflow-attachments'): Promise<S3Server> {
  const script = resolve(__dirname, '../../.ci/s3-server.sh');
  const binary = execFileSync('bash', [script, 'install'], { encoding: 'utf8' }).trim().split('\n').pop()!;
  const port = await freePort();
  const child: ChildProcess = spawn(binary, ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto_server exited: ${stderr}`);
    try {
      await fetch(`${endpoint}/moto-api/`);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`moto_server did not start: ${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const region = 'us-east-1';
  const credentials = { accessKeyId: 'appointflow-test', secretAccessKey: 'appointflow-test-secret' };
  const client = new S3Client({ endpoint, region, credentials, forcePathStyle: true });
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  client.destroy();
  return {
    endpoint,
    bucket,
    region,
    credentials,
    env: {
      ATTACHMENTS_S3_BUCKET: bucket,
      ATTACHMENTS_S3_ENDPOINT: endpoint,
      ATTACHMENTS_S3_REGION: region,
      ATTACHMENTS_S3_ACCESS_KEY_ID: credentials.accessKeyId,
      ATTACHMENTS_S3_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      ATTACHMENTS_S3_FORCE_PATH_STYLE: 'true',
    },
    stop: () =>
      new Promise((resolvePromise) => {
        if (child.exitCode !== null) return resolvePromise();
        child.once('exit', () => resolvePromise());
        child.kill('SIGTERM');
      }),
  };
}
